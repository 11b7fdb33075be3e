/**
 * How long a chart takes to draw: the /dojo stats picture (12 weeks, 6 topics) and a 10-row board,
 * rendered one after another, then 8 at once (resvg renders on libuv's worker threads), and the CPU
 * each took. Every picture is a new one (a different name): render.ts keeps the last pictures by their
 * SVG, and a repeated one would measure that memo, not the drawing. Prints numbers; asserts nothing
 * (this machine is shared and noisy).
 *
 *   npx tsx bench/charts.ts
 */
import { performance } from 'node:perf_hooks';
import { boardChart, statsChart } from '../src/charts/index.js';

const weeks = Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1} Nov`, points: (i * 7) % 23, scored: 3, correctRate: (i % 4) / 4 }));
const topics = Array.from({ length: 6 }, (_, i) => ({ topic: `topic-${i}`, score: 1 - i / 6, answers: 3 }));
const rows = Array.from({ length: 10 }, (_, i) => ({ name: `member-${i}`, points: 100 - i * 7 }));

let drawn = 0;

async function time(label: string, draw: (i: number) => Promise<{ bytes: Uint8Array }>, n = 30): Promise<void> {
  const t0 = performance.now();
  const { bytes } = await draw(drawn++);
  const first = performance.now() - t0;
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await draw(drawn++);
    times.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const t = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => draw(drawn++)));
  const parallel = performance.now() - t;
  const perChart = (used.user + used.system) / 1000 / n;
  console.log(`${label}: first ${first.toFixed(1)} ms, median ${times[n >> 1]!.toFixed(1)} ms, p95 ${times[Math.floor(n * 0.95)]!.toFixed(1)} ms, CPU ${perChart.toFixed(1)} ms each, 8 at once ${parallel.toFixed(1)} ms; ${bytes.length} bytes`);
}

await time('stats chart', (i) => statsChart({ name: `Ada Lovelace ${i}`, weeks, topics }));
await time('board chart', (i) => boardChart(rows, { title: `This week ${i}` }));
