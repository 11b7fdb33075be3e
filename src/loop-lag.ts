/**
 * How late the event loop has been running lately: the longest delay seen in the last window. A bot
 * behind on its own loop (more work arriving than the CPU gets through) answers what it can at once
 * rather than hold an answer open for a budget: the Slack ack waits for a reply only while this stays
 * small (adapters/slack/listeners.ts), so under overload acks go out as fast as before that wait existed.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Delays are sampled every 10 ms, and the window closes every 250 ms (later when the loop is late). */
const RESOLUTION_MS = 10;
const WINDOW_MS = 250;

let histogram: IntervalHistogram | undefined;
let lastMaxMs = 0;

/** The longest event-loop delay, in ms, of the last closed window (0 until one closed). Starts watching on first use. */
export function recentLoopLagMs(): number {
  if (!histogram) {
    const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    h.enable();
    histogram = h;
    setInterval(() => {
      lastMaxMs = Math.max(0, h.max / 1e6 - RESOLUTION_MS);
      h.reset();
    }, WINDOW_MS).unref();
  }
  return lastMaxMs;
}
