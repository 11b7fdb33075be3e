/**
 * How long a chart takes to draw: the /dojo stats picture (12 weeks, 6 topics) and a 10-row board,
 * rendered one after another, then 8 at once (resvg renders on libuv's worker threads). Prints
 * numbers; asserts nothing (this machine is shared and noisy).
 *
 *   npx tsx bench/charts.ts
 */
import { performance } from 'node:perf_hooks';
import { boardChart, statsChart } from '../src/charts/index.js';

const weeks = Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1} Nov`, points: (i * 7) % 23, scored: 3, correctRate: (i % 4) / 4 }));
const topics = Array.from({ length: 6 }, (_, i) => ({ topic: `topic-${i}`, score: 1 - i / 6, answers: 3 }));
const rows = Array.from({ length: 10 }, (_, i) => ({ name: `member-${i}`, points: 100 - i * 7 }));

async function time(label: string, draw: () => Promise<{ bytes: Uint8Array }>, n = 30): Promise<void> {
  const t0 = performance.now();
  const { bytes } = await draw();
  const first = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await draw();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const t = performance.now();
  await Promise.all(Array.from({ length: 8 }, draw));
  const parallel = performance.now() - t;
  console.log(`${label}: first ${first.toFixed(1)} ms, median ${times[n >> 1]!.toFixed(1)} ms, p95 ${times[Math.floor(n * 0.95)]!.toFixed(1)} ms, 8 at once ${parallel.toFixed(1)} ms; ${bytes.length} bytes`);
}

await time('stats chart', () => statsChart({ name: 'Ada Lovelace', weeks, topics }));
await time('board chart', () => boardChart(rows, { title: 'This week' }));
