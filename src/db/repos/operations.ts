/**
 * Figures for the operator's dashboard (GET /metrics), across every team: what waits in the outbox,
 * and how late the oldest due work is (a tick that cannot keep up, or none running at all).
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

export async function outboxBacklog(handle: Handle, now: Date): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const db = executor(handle);
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const oldest = row?.oldest ? new Date(row.oldest as Date).getTime() : now.getTime();
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, (now.getTime() - oldest) / 1000) };
}

/** Seconds since the oldest schedule or round close fell due without being done (0 when none is). */
export async function oldestOverdueSeconds(handle: Handle, now: Date): Promise<number> {
  const db = executor(handle);
  const schedule = await db.selectFrom('schedule').select((eb) => eb.fn.min('next_run_at').as('due')).where('enabled', '=', true).where('next_run_at', '<=', now).executeTakeFirst();
  const round = await db.selectFrom('round').select((eb) => eb.fn.min('closes_at').as('due')).where('status', '=', 'open').where('closes_at', '<=', now).executeTakeFirst();
  const due = [schedule?.due, round?.due].filter((d): d is Date => d !== null && d !== undefined).map((d) => new Date(d).getTime());
  return due.length ? Math.max(0, (now.getTime() - Math.min(...due)) / 1000) : 0;
}

/** The earliest moment any due work appears (across teams): lets a fake clock jump straight to it. */
export async function nextDueAt(handle: Handle, remindAfterMs: number): Promise<Date | undefined> {
  const db = executor(handle);
  const row = await sql<{ at: Date | null }>`
    select least(
      (select min(next_run_at) from schedule where enabled),
      (select min(closes_at) from round where status = 'open'),
      (select min(ends_at) from season where status = 'active'),
      (select min(next_attempt_at) from outbox where status = 'pending'),
      (select min(next_at) from practice_reminder),
      (select min(r.closed_at) + ${`${remindAfterMs / 1000} seconds`}::interval from answer a join round r on r.id = a.round_id
        where a.review_status = 'pending' and a.status = 'active' and a.reminded_at is null and r.status = 'closed')
    ) as at`.execute(db);
  const at = row.rows[0]?.at;
  return at ? new Date(at) : undefined;
}
