import type { Executor } from '../index.js';
import type { OutboxRow } from '../schema/outbox.js';

export async function insertOutbox(
  db: Executor,
  row: { team_id: string; channel_id: number | null; schedule_id: number | null; round_id: number | null; payload: unknown; now: Date; correlation_id?: string | null },
): Promise<number> {
  const inserted = await db
    .insertInto('outbox')
    .values({ team_id: row.team_id, channel_id: row.channel_id, schedule_id: row.schedule_id, round_id: row.round_id, payload: JSON.stringify(row.payload), next_attempt_at: row.now, created_at: row.now, last_error: null, correlation_id: row.correlation_id ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * Claims pending deliveries that are due by pushing their next attempt past a lease, so another
 * instance (or the tick racing the after-commit path) does not send them too.
 */
export async function claimOutbox(db: Executor, now: Date, leaseMs: number, options: { id?: number; limit?: number } = {}): Promise<OutboxRow[]> {
  return db
    .updateTable('outbox')
    .set({ next_attempt_at: new Date(now.getTime() + leaseMs) })
    .where('id', 'in', (eb) => {
      let q = eb.selectFrom('outbox').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now);
      if (options.id !== undefined) q = q.where('id', '=', options.id);
      return q.orderBy('id').limit(options.limit ?? 50).forUpdate().skipLocked();
    })
    .returningAll()
    .execute()
    .then((rows) => rows.sort((a, b) => a.id - b.id));
}

export async function markOutbox(db: Executor, id: number, update: { status: 'sent' | 'failed' | 'pending'; attempts?: number; nextAttemptAt?: Date; error?: string | null }): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: update.status,
      ...(update.attempts !== undefined ? { attempts: update.attempts } : {}),
      ...(update.nextAttemptAt ? { next_attempt_at: update.nextAttemptAt } : {}),
      ...(update.error !== undefined ? { last_error: update.error } : {}),
    })
    .where('id', '=', id)
    .execute();
}
