/**
 * The drawing thread `dojo start` runs (the compiled render-worker.js, which the global setup builds)
 * draws at the lowest priority: a chart follows words that are already out, so on a small machine it
 * waits for the acks and the replies instead of taking their CPU. Only that thread is lowered; the
 * thread that acks keeps its priority. (Linux keeps a nice value per thread; elsewhere the thread
 * draws at the process's priority and this test does not apply.)
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { RenderDone } from '../../src/charts/render-worker.js';

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

describe.skipIf(!existsSync('/proc/thread-self'))('the drawing thread', () => {
  it('draws at nice 19 while the thread that acks keeps its priority', async () => {
    const self = readlinkSync('/proc/thread-self').split('/').pop()!;
    const before = niceByThread();
    const worker = new Worker(WORKER);
    try {
      const done = await new Promise<RenderDone>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ id: 7, svg: '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="8"><rect width="6" height="8" fill="#4c78a8"/></svg>', font: { loadSystemFonts: false } });
      });
      expect(done).toMatchObject({ id: 7, width: 12, height: 8 });
      const after = niceByThread();
      const lowered = [...after].filter(([tid, nice]) => nice === 19 && before.get(tid) !== 19);
      // The worker's own thread; resvg's and libuv's threads started with it keep the process's value.
      expect(lowered).toHaveLength(1);
      expect(before.has(lowered[0]![0])).toBe(false);
      expect(after.get(self)).toBe(before.get(self));
      expect(before.get(self)).not.toBe(19);
    } finally {
      await worker.terminate();
    }
  });
});
