/** Small helpers of the bench: percentiles, bounded loops, process memory, one-line figures. */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export const now = () => performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

export const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
export const fmt = { n, ms: (v: number) => `${n(v, v < 10 ? 1 : 0)} ms`, s: (v: number) => `${n(v / 1000, 2)} s`, mb: (v: number) => `${n(v)} MB`, rate: (v: number) => `${n(v)}/s` };

export const lines: string[] = [];
/** One figure on one line: what, Interview Dojo, the floor, and the ratio (dojo / floor, or floor / dojo for rates). */
export function figure(what: string, dojo: string, floor: string, ratio: number | undefined): void {
  const r = ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
  const line = `${what.padEnd(56)} ${dojo.padEnd(48)} | ${floor.padEnd(34)} | ${r}`;
  lines.push(line);
  console.log(line);
}

export function note(text: string): void {
  console.log(`  · ${text}`);
}

/** Runs `fn` `count` times with `inFlight` at once, stopping at `maxMs`. Returns the per-call latencies and the rate. */
export async function closedLoop(fn: (i: number) => Promise<boolean>, o: { count: number; inFlight: number; maxMs: number }) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const start = now();
  const worker = async () => {
    while (next < o.count && now() - start < o.maxMs) {
      const i = next++;
      const s = now();
      if (await fn(i).catch(() => false)) latencies.push(now() - s);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, worker));
  const elapsed = now() - start;
  return { latencies, failed, done: latencies.length, elapsed, rate: latencies.length / (elapsed / 1000) };
}

/** Offers `fn` at `rate` per second (not waiting for answers) for `count` calls or `maxMs`; waits up to `drainMs` for the rest. */
export async function openLoop(fn: (i: number) => Promise<boolean>, o: { rate: number; count: number; maxMs: number; drainMs: number }) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let failed = 0;
  const start = now();
  for (let i = 0; i < o.count && now() - start < o.maxMs; i++) {
    const due = start + (i * 1000) / o.rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    const s = now();
    pending.push(
      fn(i)
        .catch(() => false)
        .then((ok) => {
          if (ok) latencies.push(now() - s);
          else failed++;
        }),
    );
  }
  const sent = pending.length;
  const offeredFor = now() - start;
  await Promise.race([Promise.all(pending), sleep(o.drainMs)]);
  return { latencies, failed, sent, lost: sent - latencies.length - failed, achieved: sent / (offeredFor / 1000) };
}

/** The processes a process started, and theirs (Linux /proc). */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) found.push(Number(child), ...descendants(Number(child)));
    }
  } catch {
    // gone
  }
  return found;
}

/** CPU seconds of a process and all its descendants (a peer bot's shard processes), threads included. */
export function treeCpuSeconds(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + cpuSeconds(p), 0);
}
