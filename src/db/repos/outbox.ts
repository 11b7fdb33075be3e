import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { OutboxRow } from '../schema/outbox.js';

export async function insertOutbox(
  handle: Handle,
  row: { team_id: string; channel_id: number | null; schedule_id: number | null; round_id: number | null; payload: unknown; now: Date; correlation_id?: string | null },
): Promise<number> {
  const db = executor(handle);
  const inserted = await db
    .insertInto('outbox')
    .values({ team_id: row.team_id, channel_id: row.channel_id, schedule_id: row.schedule_id, round_id: row.round_id, payload: JSON.stringify(row.payload), next_attempt_at: row.now, created_at: row.now, last_error: null, correlation_id: row.correlation_id ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * Claims pending deliveries that are due for one owner: a fresh token per claim, and the next attempt
 * pushed past a lease, so another instance (or the tick racing the after-commit path) leaves them alone
 * until the lease runs out. Only the holder of the token may save the result (`finishOutbox`).
 */
export async function claimOutbox(handle: Handle, now: Date, leaseMs: number, owner: string, options: { id?: number; limit?: number } = {}): Promise<OutboxRow[]> {
  const db = executor(handle);
  return db
    .updateTable('outbox')
    .set((eb) => ({ next_attempt_at: new Date(now.getTime() + leaseMs), owner, claims: eb('claims', '+', 1) }))
    .where('id', 'in', (eb) => {
      let q = eb.selectFrom('outbox').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now);
      if (options.id !== undefined) q = q.where('id', '=', options.id);
      return q.orderBy('id').limit(options.limit ?? 50).forUpdate().skipLocked();
    })
    .returningAll()
    .execute()
    .then((rows) => rows.sort((a, b) => a.id - b.id));
}

/** Keeps a running claim alive; false when the claim was lost (the lease ran out and someone else took it). */
export async function extendOutboxLease(handle: Handle, id: number, owner: string, until: Date): Promise<boolean> {
  const db = executor(handle);
  const row = await db.updateTable('outbox').set({ next_attempt_at: until }).where('id', '=', id).where('owner', '=', owner).where('status', '=', 'pending').returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * Saves a delivery's result if `owner` still holds the claim; false (and nothing changed) for a stale
 * owner. Run it in the transaction that saves the refs, so both happen or neither.
 */
export async function finishOutbox(
  handle: Handle,
  id: number,
  owner: string,
  update: { status: 'sent' | 'failed' | 'pending'; attempts?: number; nextAttemptAt?: Date; error?: string | null },
): Promise<boolean> {
  const db = executor(handle);
  const row = await db
    .updateTable('outbox')
    .set({
      status: update.status,
      owner: null,
      ...(update.attempts !== undefined ? { attempts: update.attempts } : {}),
      ...(update.nextAttemptAt ? { next_attempt_at: update.nextAttemptAt } : {}),
      ...(update.error !== undefined ? { last_error: update.error } : {}),
    })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Where a delivery stands (for the person who asked for it). */
export async function outboxStatus(handle: Handle, id: number): Promise<Pick<OutboxRow, 'status' | 'last_error' | 'attempts'> | undefined> {
  const db = executor(handle);
  return db.selectFrom('outbox').select(['status', 'last_error', 'attempts']).where('id', '=', id).executeTakeFirst();
}

/**
 * Inserts a delivery already claimed by `owner` (the sender right after the commit), so sending it
 * needs no claim of its own; if this instance dies first, the lease runs out and the tick takes it.
 */
export async function insertClaimedOutbox(
  handle: Handle,
  row: { team_id: string; channel_id: number | null; schedule_id: number | null; round_id: number | null; payload: unknown; now: Date; correlation_id?: string | null },
  claim: { owner: string; leaseMs: number },
): Promise<OutboxRow> {
  const db = executor(handle);
  return db
    .insertInto('outbox')
    .values({
      team_id: row.team_id, channel_id: row.channel_id, schedule_id: row.schedule_id, round_id: row.round_id, payload: JSON.stringify(row.payload),
      next_attempt_at: new Date(row.now.getTime() + claim.leaseMs), created_at: row.now, last_error: null, correlation_id: row.correlation_id ?? null,
      owner: claim.owner, claims: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A post that went out, saved in one statement: the thread it made is remembered (whoever posted it),
 * and if `owner` still holds the row it is marked sent and the round (or quiz and its rounds) gets its
 * refs. False for a stale owner (nothing but the thread changed). For a link to a round or a quiz, not both.
 */
export async function finishPosted(
  handle: Handle,
  row: { id: number; owner: string; team_id: string },
  posted: { message: string; thread: string; at: Date } | undefined,
  link: { roundId?: number; quizId?: number } | undefined,
): Promise<boolean> {
  const db = executor(handle);
  const round = posted ? (link?.roundId ?? null) : null;
  const quiz = posted ? (link?.quizId ?? null) : null;
  const result = await sql<{ ok: boolean }>`
    with pt as (
      insert into posted_thread (team_id, round_id, quiz_id, thread_ref, message_ref, posted_at)
      select ${row.team_id}, ${round}::integer, ${quiz}::integer, ${posted?.thread ?? null}, ${posted?.message ?? null}, ${posted?.at ?? null}::timestamptz
      where ${round}::integer is not null or ${quiz}::integer is not null
      on conflict do nothing),
    f as (update outbox set status = 'sent', owner = null where id = ${row.id} and owner = ${row.owner} and status = 'pending' returning id),
    r as (update round set message_ref = ${posted?.message ?? null}, thread_ref = ${posted?.thread ?? null} where id = ${round}::integer and exists (select 1 from f)),
    q as (update quiz set message_ref = ${posted?.message ?? null}, thread_ref = ${posted?.thread ?? null} where id = ${quiz}::integer and exists (select 1 from f)),
    qr as (update round set thread_ref = ${posted?.thread ?? null} where quiz_id = ${quiz}::integer and exists (select 1 from f))
    select exists (select 1 from f) as ok`.execute(db);
  return result.rows[0]?.ok === true;
}

/** Deletes the sent and failed posts created before `before` (pending ones stay). */
export async function purgeSettledOutbox(handle: Handle, before: Date): Promise<void> {
  const db = executor(handle);
  await db.deleteFrom('outbox').where('status', '<>', 'pending').where('created_at', '<', before).execute();
}

/** Marks posts sent (no round or quiz to link) for owners that still hold them, in one statement; the ids marked. */
export async function markSentMany(handle: Handle, rows: { id: number; owner: string }[]): Promise<Set<number>> {
  const db = executor(handle);
  const r = await sql<{ id: number }>`update outbox o set status = 'sent', owner = null
    from (select unnest(${rows.map((x) => x.id)}::int[]) as id, unnest(${rows.map((x) => x.owner)}::text[]) as owner) v
    where o.id = v.id and o.owner = v.owner and o.status = 'pending' returning o.id`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

/**
 * `finishPosted` for many posts linked to a round each (the questions of the day, issue 13), in one
 * statement: every thread remembered, and each row still held by its owner marked sent with its round's
 * refs saved; the ids marked. A stale owner's row and round stay as they are (only the thread is kept).
 */
export async function finishPostedRounds(
  handle: Handle,
  rows: { id: number; owner: string; team_id: string; round_id: number; message: string; thread: string; at: Date }[],
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const db = executor(handle);
  const col = <T>(f: (r: (typeof rows)[number]) => T) => sql.val(rows.map(f));
  const r = await sql<{ id: number }>`
    with v as (
      select * from unnest(${col((x) => x.id)}::int[], ${col((x) => x.owner)}::text[], ${col((x) => x.team_id)}::text[], ${col((x) => x.round_id)}::int[],
        ${col((x) => x.message)}::text[], ${col((x) => x.thread)}::text[], ${col((x) => x.at.toISOString())}::timestamptz[])
        as v(id, owner, team_id, round_id, message_ref, thread_ref, posted_at)),
    pt as (
      insert into posted_thread (team_id, round_id, quiz_id, thread_ref, message_ref, posted_at)
      select team_id, round_id, null, thread_ref, message_ref, posted_at from v
      on conflict do nothing),
    f as (update outbox o set status = 'sent', owner = null from v where o.id = v.id and o.owner = v.owner and o.status = 'pending' returning o.id),
    r as (update round set message_ref = v.message_ref, thread_ref = v.thread_ref from v join f on f.id = v.id where round.id = v.round_id)
    select id from f`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}
