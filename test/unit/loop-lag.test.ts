/** src/loop-lag.ts: how late the event loop has been lately, from Node's own delay histogram. */
import { describe, expect, it } from 'vitest';
import { recentLoopLagMs } from '../../src/loop-lag.js';

/** Blocks this thread for `ms`, as a CPU-bound burst of work would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

describe('the event loop lag', () => {
  it('reports a loop held up by work, and comes back down once it is free', async () => {
    recentLoopLagMs();
    // Each look blocks the loop for 150 ms first: a window soon closes with that delay in it.
    await expect.poll(() => (busy(150), recentLoopLagMs()), { timeout: 10_000, interval: 20 }).toBeGreaterThan(100);
    await expect.poll(() => recentLoopLagMs(), { timeout: 10_000 }).toBeLessThan(100);
  });
});
