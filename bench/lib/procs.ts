/**
 * Starting what the bench measures as a user would: the product (`dojo start` as bin/dojo.js runs it, the
 * compiled JavaScript) and the bare floors, each a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { basename, join } from 'node:path';
import { freePort } from '../../test/helpers/ports.js';
import { now, sleep } from './util.js';

export const ROOT = join(import.meta.dirname, '../..');


export interface Proc {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  /** Spawn to ready (first 200 from /readyz, or the floor's "ready" line). */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * How the product runs: `dojo start` as `npm start` runs it (bin/dojo.js: the compiled JavaScript in
 * dist/, brought up to date with the sources first, once, before anything is timed).
 */
export async function productCommand(extraNodeArgs: string[] = []): Promise<{ args: string[]; how: string }> {
  // @ts-expect-error bin/build.js is plain JavaScript without declarations.
  const { ensureBuilt, ensurePgliteTemplate } = (await import('../../bin/build.js')) as { ensureBuilt(): Promise<boolean>; ensurePgliteTemplate(): boolean };
  const rebuilt = await ensureBuilt();
  // Made once per PGlite version, as `node bin/build.js` makes it (the Docker image): not part of any start the bench times.
  ensurePgliteTemplate();
  return { args: [...extraNodeArgs, join(ROOT, 'bin/dojo.js'), 'start'], how: `the compiled build (node bin/dojo.js start: dist/${rebuilt ? ', just rebuilt' : ''})` };
}

async function launch(args: string[], env: Record<string, string>, port: number, ready: (out: string) => Promise<boolean>, timeoutMs: number): Promise<Proc> {
  const start = now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let out = '';
  // BENCH_LOG_DIR: each process's whole output is also kept there (one file a process), to look into a run afterwards.
  const log = process.env.BENCH_LOG_DIR ? createWriteStream(join(process.env.BENCH_LOG_DIR, `${args.map((a) => basename(a)).filter((a) => !a.startsWith('-')).slice(-2).join('-')}-${Date.now()}.log`)) : undefined;
  child.stdout?.on('data', (c: Buffer) => ((out = (out + c.toString()).slice(-20_000)), log?.write(c)));
  child.stderr?.on('data', (c: Buffer) => ((out = (out + c.toString()).slice(-20_000)), log?.write(c)));
  child.once('exit', () => log?.end());
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}):\n${out}`);
    if (now() - start > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} not ready after ${timeoutMs} ms:\n${out}`);
    }
    if (await ready(out)) break;
    await sleep(25);
  }
  const readyMs = now() - start;
  return {
    child,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    readyMs,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function readyz(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

export async function startProduct(env: Record<string, string>, extraNodeArgs: string[] = []): Promise<Proc> {
  const port = await freePort();
  const { args } = await productCommand(extraNodeArgs);
  return launch(args, { ...env, PORT: String(port), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error' }, port, async (out) => out.includes('listening on port') && readyz(port), 120_000);
}

/** A floor in bench/floors, run through tsx like the product's bin/dojo.js. */
export async function startFloor(file: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  return launch(['--import', 'tsx', join(ROOT, 'bench/floors', file)], { ...env, PORT: String(port) }, port, async (out) => out.includes('ready'), 60_000);
}
