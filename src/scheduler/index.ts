/**
 * The one tick: a croner timer fires every few seconds and the core claims whatever is due from
 * Postgres. No per-channel timers live in memory, so a restart or a second instance loses and doubles
 * nothing. Croner is also what computes schedules' runs (src/core/recurrence.ts): one cron library.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { withCorrelation } from '../core/correlation.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

export interface Tickable {
  tick(): Promise<unknown>;
}

export interface Scheduler {
  /** Runs one tick now (at start, so overdue work is done at once). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(dojo: Tickable, log: Logger, metrics?: Metrics, expression = '*/5 * * * * *'): Scheduler {
  let running: Promise<void> | undefined;
  const runOnce = async () => {
    // A slow tick is never overlapped by the next one.
    if (running) return running;
    // Each tick is a delivery of its own: its log lines and the outbox rows it writes share an id.
    running = withCorrelation(`tick-${randomUUID()}`, async () => {
      const end = metrics?.tickDuration.startTimer();
      try {
        await dojo.tick();
      } catch (error) {
        // A database outage must not crash the bot: log it and try again at the next tick.
        metrics?.tickFailures.inc();
        log.error({ err: error }, 'tick failed');
      } finally {
        end?.();
        running = undefined;
      }
    });
    return running;
  };
  const task = new Cron(expression, { protect: true }, () => runOnce());
  return {
    runOnce,
    stop: async () => {
      task.stop();
      await running;
    },
  };
}
