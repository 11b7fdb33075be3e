/**
 * The core as the server hands it to the adapters: each inbound delivery gets its correlation id (the
 * platform's delivery id when there is one) for every log line and outbox row it causes, and is
 * counted and timed by platform, kind and outcome.
 */
import type { DojoCore } from './core/dojo.js';
import { withCorrelation } from './core/correlation.js';
import { DojoUnavailable, type InboundEvent } from './core/ports.js';
import type { Metrics } from './metrics.js';

// Subcommands become a label; anything else is "other", so typos cannot grow the label set.
const SUBCOMMANDS = new Set(['help', 'quiz', 'quiz-stop', 'question', 'leaderboard', 'stats', 'review', 'schedule', 'mentor', 'season', 'add-question', 'practice', 'forget-me', 'export', 'settings', 'topics']);

export function kindOf(event: InboundEvent): string {
  if (event.type !== 'command') return event.type;
  const first = event.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return `command:${first === '' ? 'help' : SUBCOMMANDS.has(first) ? first : 'other'}`;
}

/** The deliveries being handled right now, so a shutdown can wait for them. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}

export function observeDojo(dojo: DojoCore, metrics: Metrics, inFlight = new InFlight()): DojoCore {
  return {
    ...dojo,
    handle: (event) =>
      inFlight.track(withCorrelation(event.deliveryId, async () => {
        const labels = { platform: event.team.platform, kind: kindOf(event) };
        const end = metrics.handleDuration.startTimer(labels);
        let outcome = 'error';
        try {
          const result = await dojo.handle(event);
          outcome = result.duplicate ? 'duplicate' : 'ok';
          return result;
        } catch (error) {
          outcome = error instanceof DojoUnavailable ? 'unavailable' : 'error';
          throw error;
        } finally {
          end();
          metrics.events.inc({ ...labels, outcome });
        }
      })),
  };
}
