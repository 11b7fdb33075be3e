import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { AnswerRow, NewAnswerRow } from '../schema/answer.js';

export async function findAnswer(handle: Handle, roundId: number, memberId: number): Promise<AnswerRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('answer').selectAll().where('round_id', '=', roundId).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
}

export async function answerById(handle: Handle, teamId: string, id: number): Promise<AnswerRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('answer').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

/**
 * A member's first answer on a round; 'exists' when one is already there (two deliveries from the
 * same member at once: the other one won, and the caller goes on with that answer).
 */
export async function insertAnswer(handle: Handle, row: NewAnswerRow): Promise<{ status: 'recorded'; answer: AnswerRow } | { status: 'exists' }> {
  const db = executor(handle);
  const answer = await db
    .insertInto('answer')
    .values(row)
    .onConflict((oc) => oc.columns(['round_id', 'member_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return answer ? { status: 'recorded', answer } : { status: 'exists' };
}

export async function updateAnswer(handle: Handle, id: number, set: Partial<Omit<AnswerRow, 'id'>>): Promise<void> {
  const db = executor(handle);
  await db.updateTable('answer').set(set).where('id', '=', id).execute();
}

/** Adds a message to an answer; false when that message was already recorded (a replayed delivery). */
export async function addPart(handle: Handle, answerId: number, messageRef: string, body: string, now: Date): Promise<boolean> {
  const db = executor(handle);
  const row = await db
    .insertInto('answer_part')
    .values({ answer_id: answerId, message_ref: messageRef, body, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('message_ref').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The part of an answer given through the Answer form: one per answer, replaced by each submit. */
export const formPartRef = (answerId: number): string => `form:${answerId}`;

/** Sets the text an answer got through the form (platform message refs never start with `form:`). */
export async function setFormPart(handle: Handle, answerId: number, body: string, now: Date): Promise<void> {
  const db = executor(handle);
  await db
    .insertInto('answer_part')
    .values({ answer_id: answerId, message_ref: formPartRef(answerId), body, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('message_ref').doUpdateSet({ body, deleted: false, updated_at: now }))
    .execute();
}

/** The form parts of a round's answers, by answer id: what nobody could read in the thread. */
export async function formPartsOfRound(handle: Handle, teamId: string, roundId: number): Promise<Map<number, string>> {
  const db = executor(handle);
  const rows = await db
    .selectFrom('answer_part')
    .innerJoin('answer', 'answer.id', 'answer_part.answer_id')
    .select(['answer.id', 'answer_part.body'])
    .where('answer.team_id', '=', teamId)
    .where('answer.round_id', '=', roundId)
    .where('answer_part.message_ref', 'like', 'form:%')
    .where('answer_part.deleted', '=', false)
    .execute();
  return new Map(rows.map((r) => [r.id, r.body]));
}

export type AnswerPart = NonNullable<Awaited<ReturnType<typeof partByMessage>>>;

/** The answer message a platform message ref stands for, within one team. */
export async function partByMessage(handle: Handle, teamId: string, messageRef: string) {
  const db = executor(handle);
  return db
    .selectFrom('answer_part')
    .innerJoin('answer', 'answer.id', 'answer_part.answer_id')
    .select(['answer_part.id as part_id', 'answer_part.deleted', 'answer.id as answer_id', 'answer.team_id', 'answer.round_id', 'answer.member_id'])
    .where('answer.team_id', '=', teamId)
    .where('answer_part.message_ref', '=', messageRef)
    .executeTakeFirst();
}

export async function updatePart(handle: Handle, partId: number, set: { body?: string; deleted?: boolean }, now: Date): Promise<void> {
  const db = executor(handle);
  await db.updateTable('answer_part').set({ ...set, updated_at: now }).where('id', '=', partId).execute();
}

/**
 * A member's message in a round's thread, in one statement: their answer locked (FOR UPDATE) if they have
 * one, else `row` inserted; and the message added to it as a part. 'new': the answer was made with this
 * message; 'exists': they had one (`partAdded` false: this message was recorded before, a replay);
 * 'raced': their other delivery is making it at this moment (nothing written: go the long way).
 */
export async function recordMessage(handle: Handle, row: NewAnswerRow, messageRef: string, now: Date): Promise<{ status: 'new' | 'exists'; answer: AnswerRow; partAdded: boolean } | { status: 'raced' }> {
  const db = executor(handle);
  const r = await db
    .with('old', (q) => q.selectFrom('answer').selectAll().where('round_id', '=', row.round_id).where('member_id', '=', row.member_id).forUpdate())
    // Inserted unless they have one (then it conflicts and writes nothing; `old` has it, locked).
    .with('made', (q) => q.insertInto('answer').values(row).onConflict((oc) => oc.columns(['round_id', 'member_id']).doNothing()).returningAll())
    .with('part', (q) =>
      q
        .insertInto('answer_part')
        .columns(['answer_id', 'message_ref', 'body', 'created_at', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom(eb.selectFrom('made').select('id').unionAll(eb.selectFrom('old').select('id')).as('a'))
            .select(['a.id', sql`${messageRef}`.as('message_ref'), sql`${row.body}`.as('body'), sql`${now}::timestamptz`.as('created_at'), sql`${now}::timestamptz`.as('updated_at')]),
        )
        .onConflict((oc) => oc.column('message_ref').doNothing())
        .returning('id'),
    )
    .selectFrom((eb) => eb.selectFrom('made').selectAll().select(sql<boolean>`true`.as('is_new')).unionAll(eb.selectFrom('old').selectAll().select(sql<boolean>`false`.as('is_new'))).as('a'))
    .selectAll('a')
    .select(sql<boolean>`exists (select 1 from part)`.as('part_added'))
    .executeTakeFirst();
  if (!r) return { status: 'raced' };
  const { is_new, part_added, ...answer } = r;
  return { status: is_new ? 'new' : 'exists', answer, partAdded: part_added };
}

/**
 * Sets the answer's text from its live messages in one statement; with none left it is withdrawn (a reviewed
 * one keeps its review). `reactivate`: a withdrawn answer with live messages is active again (and pending
 * review when on time and not reviewed).
 */
export async function refreshAnswerBody(handle: Handle, answerId: number, reactivate: boolean, now: Date): Promise<void> {
  const db = executor(handle);
  await sql`update answer a set
      body = case when p.live > 0 then p.body else a.body end,
      updated_at = ${now},
      status = case when p.live = 0 then 'withdrawn' when ${reactivate} and a.status = 'withdrawn' then 'active' else a.status end,
      review_status = case when p.live = 0 then case when a.review_status = 'reviewed' then 'reviewed' else 'none' end
        when ${reactivate} and a.status = 'withdrawn' and not a.late and a.review_status = 'none' then 'pending' else a.review_status end
    from (select count(*)::int as live, string_agg(ap.body, E'\n\n' order by ap.id) as body from answer_part ap where ap.answer_id = ${answerId} and ap.deleted = false) p
    where a.id = ${answerId}`.execute(db);
}

/** The answer's text: its live messages in order. */
export async function bodyFromParts(handle: Handle, answerId: number): Promise<{ body: string; live: number }> {
  const db = executor(handle);
  const parts = await db.selectFrom('answer_part').select(['body']).where('answer_id', '=', answerId).where('deleted', '=', false).orderBy('id').execute();
  return { body: parts.map((p) => p.body).join('\n\n'), live: parts.length };
}

export interface AnswerWithMember extends AnswerRow {
  display_name: string;
  platform_user_id: string;
}

export async function answersOfRound(handle: Handle, roundId: number): Promise<AnswerWithMember[]> {
  const db = executor(handle);
  return db
    .selectFrom('answer')
    .innerJoin('member', 'member.id', 'answer.member_id')
    .selectAll('answer')
    .select(['member.display_name', 'member.platform_user_id'])
    .where('answer.round_id', '=', roundId)
    // Answers given at the same moment (a fake clock, one batch) in the order they were first stored.
    .orderBy('answer.answered_at')
    .orderBy('answer.id')
    .execute();
}

/**
 * Claims the oldest pending answer of a closed round for a mentor (never their own). A claim lasts
 * until `expiresAt`; an expired claim is free again. Two mentors never get the same answer.
 */
export async function claimNextPending(handle: Handle, teamId: string, mentorId: number, now: Date, expiresAt: Date): Promise<AnswerRow | undefined> {
  const db = executor(handle);
  return db
    .updateTable('answer')
    .set({ claimed_by: mentorId, claim_expires_at: expiresAt })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('answer')
        .innerJoin('round', 'round.id', 'answer.round_id')
        .select('answer.id')
        .where('answer.team_id', '=', teamId)
        .where('answer.review_status', '=', 'pending')
        .where('answer.status', '=', 'active')
        .where('answer.member_id', '<>', mentorId)
        .where('round.status', '=', 'closed')
        .where((w) => w.or([w('answer.claimed_by', 'is', null), w('answer.claim_expires_at', '<', now), w('answer.claimed_by', '=', mentorId)]))
        // The mentor's own claim first (one whose submit failed gets the same answer back); coalesce,
        // since NULL (unclaimed) would otherwise sort before true in descending order.
        .orderBy(sql`coalesce(answer.claimed_by = ${mentorId}, false)`, 'desc')
        .orderBy('answer.answered_at')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Answers a mentor can review now: pending, active, in a closed round. */
export async function pendingReviewCount(handle: Handle, teamId: string): Promise<number> {
  const db = executor(handle);
  const row = await db
    .selectFrom('answer')
    .innerJoin('round', 'round.id', 'answer.round_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('answer.team_id', '=', teamId)
    .where('answer.review_status', '=', 'pending')
    .where('answer.status', '=', 'active')
    .where('round.status', '=', 'closed')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Answers that could be reviewed since before `before` (their round closed then) and that no reminder
 * has mentioned yet, by team. Answers in rounds still open are not reviewable, so never reminded of.
 */
export async function answersNeedingReminder(handle: Handle, before: Date): Promise<{ team_id: string; ids: number[] }[]> {
  const db = executor(handle);
  const rows = await db
    .selectFrom('answer')
    .innerJoin('round', 'round.id', 'answer.round_id')
    .select(['answer.team_id', 'answer.id'])
    .where('answer.review_status', '=', 'pending')
    .where('answer.status', '=', 'active')
    .where('answer.reminded_at', 'is', null)
    .where('round.status', '=', 'closed')
    .where('round.closed_at', '<=', before)
    .forUpdate('answer')
    .skipLocked()
    .execute();
  const byTeam = new Map<string, number[]>();
  for (const r of rows) byTeam.set(r.team_id, [...(byTeam.get(r.team_id) ?? []), r.id]);
  return [...byTeam].map(([team_id, ids]) => ({ team_id, ids }));
}

export async function markReminded(handle: Handle, ids: number[], now: Date): Promise<void> {
  const db = executor(handle);
  if (ids.length) await db.updateTable('answer').set({ reminded_at: now }).where('id', 'in', ids).execute();
}
