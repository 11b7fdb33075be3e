/**
 * One correlation id per inbound delivery (a Slack event or command, a Discord interaction, a tick):
 * set where the delivery enters, read by the logger (every line carries it) and by the outbox (each
 * row records the delivery that wrote it). AsyncLocalStorage carries it through awaits, so no
 * signature in the core has to pass it along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` with `id` (or a new one) as the correlation id of everything it does. */
export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return current.run(id || randomUUID(), fn);
}

/** The correlation id of the delivery being handled, if any. */
export function correlationId(): string | undefined {
  return current.getStore();
}
