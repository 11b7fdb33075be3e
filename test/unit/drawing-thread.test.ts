/**
 * The drawing thread `dojo start` runs (the compiled render-worker.js, which the global setup builds):
 * - it builds a picture from its data and draws exactly what the in-process drawing (run from the
 *   sources, as the other chart tests are) draws;
 * - it draws at the lowest priority: a chart follows words that are already out, so on a small machine
 *   it waits for the acks and the replies instead of taking their CPU. Only that thread is lowered;
 *   the thread that acks keeps its priority. (Linux keeps a nice value per thread; elsewhere the
 *   thread draws at the process's priority and that test does not apply.)
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/charts/index.js';
import type { RenderDone, RenderJob } from '../../src/charts/render-worker.js';
import type { ChartJob } from '../../src/charts/svg.js';

const WORKER = new URL('../../dist/bundle/render-worker.js', import.meta.url);

/** Each thread of this process and its nice value (the 19th field of /proc/self/task/TID/stat). */
function niceByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // After the command name in parentheses: state is field 3, nice field 19.
      out.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** Starts the compiled drawing thread, has it draw `job`, and ends it. */
async function drawOnThread<T>(job: ChartJob, meanwhile: (done: RenderDone) => T): Promise<T> {
  const worker = new Worker(WORKER);
  try {
    const done = await new Promise<RenderDone>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ id: 7, job } satisfies RenderJob);
    });
    return meanwhile(done);
  } finally {
    await worker.terminate();
  }
}

const stats: ChartJob = {
  kind: 'stats',
  data: {
    // A combining mark: set by resvg's own text layout from the font files, not as outlines.
    name: 'Jose\u0301 Ångström',
    weeks: Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1} Nov`, points: (i * 5) % 17, scored: i % 3, correctRate: i % 3 ? (i % 4) / 4 : null })),
    topics: [{ topic: 'networking', score: 0.8, answers: 4 }, { topic: 'caching', score: 0.3, answers: 2 }],
  },
};

describe('the drawing thread', () => {
  it('builds the picture from its data and draws what the in-process drawing draws', async () => {
    const here = await renderChart(stats);
    const board: ChartJob = { kind: 'board', rows: [{ name: 'Ada', points: 12 }, { name: 'Grace', points: 9, rank: 2 }], title: 'This week' };
    const hereBoard = await renderChart(board);
    for (const [job, expected] of [[stats, here], [board, hereBoard]] as const) {
      const done = await drawOnThread(job, (d) => d);
      expect(done).toMatchObject({ id: 7, width: expected.width, height: expected.height });
      expect(Buffer.from((done as { bytes: Uint8Array }).bytes).equals(Buffer.from(expected.bytes))).toBe(true);
    }
  });
});

// Linux only, and not when the tests themselves already run at the lowest priority (`nice -n 19`).
describe.skipIf(process.platform !== 'linux' || getPriority() === 19)('the drawing thread, on Linux', () => {
  it('draws at nice 19 while the thread that acks keeps its priority', async () => {
    const self = readlinkSync('/proc/thread-self').split('/').pop()!;
    const before = niceByThread();
    await drawOnThread({ kind: 'board', rows: [], title: 'Empty' }, (done) => {
      expect(done).toMatchObject({ id: 7, width: 800 });
      const after = niceByThread();
      const lowered = [...after].filter(([tid, nice]) => nice === 19 && before.get(tid) !== 19);
      // The worker's own thread; resvg's and libuv's threads started with it keep the process's value.
      expect(lowered).toHaveLength(1);
      expect(before.has(lowered[0]![0])).toBe(false);
      expect(after.get(self)).toBe(before.get(self));
      expect(before.get(self)).not.toBe(19);
    });
  });
});
