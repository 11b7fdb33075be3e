/** Personal practice: when each question a member rated comes back to them. */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { PracticeStateRow, SelfRating } from '../schema/practice.js';

export async function practiceStateOf(handle: Handle, teamId: string, memberId: number, questionId: number): Promise<PracticeStateRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('practice_state').selectAll().where('team_id', '=', teamId).where('member_id', '=', memberId).where('question_id', '=', questionId).executeTakeFirst();
}

/** Records a self-check: the rating, the new interval and when the question is due again (seen once more). */
export async function saveSelfCheck(handle: Handle, teamId: string, memberId: number, questionId: number, check: { rating: SelfRating; intervalDays: number; dueAt: Date }, now: Date): Promise<void> {
  const db = executor(handle);
  const { rating, intervalDays, dueAt } = check;
  await db
    .insertInto('practice_state')
    .values({ member_id: memberId, question_id: questionId, team_id: teamId, last_rating: rating, interval_days: intervalDays, seen_count: 1, due_at: dueAt, updated_at: now })
    .onConflict((oc) => oc.columns(['member_id', 'question_id']).doUpdateSet({ last_rating: rating, interval_days: intervalDays, seen_count: sql`practice_state.seen_count + 1`, due_at: dueAt, updated_at: now }))
    .execute();
}

/** The question due longest ago for the member, if any is due. */
export async function duePracticeQuestion(handle: Handle, teamId: string, memberId: number, now: Date): Promise<number | undefined> {
  const db = executor(handle);
  const row = await db.selectFrom('practice_state').select('question_id').where('team_id', '=', teamId).where('member_id', '=', memberId).where('due_at', '<=', now).orderBy('due_at').executeTakeFirst();
  return row?.question_id;
}

/** Every question the member has rated. */
export async function practisedQuestionIds(handle: Handle, teamId: string, memberId: number): Promise<number[]> {
  const db = executor(handle);
  const rows = await db.selectFrom('practice_state').select('question_id').where('team_id', '=', teamId).where('member_id', '=', memberId).execute();
  return rows.map((r) => r.question_id);
}
