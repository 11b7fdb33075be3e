/** Practice cards (FSRS state per member and question) and the opt-in daily practice DM. */
import { sql } from 'kysely';
import { z } from 'zod';
import type { CardState, StoredCard } from '../../core/spaced.js';
import { executor, type Handle } from '../handle.js';
import type { PracticeCardRow, PracticeReminderRow } from '../schema/practice.js';

/** The card before its last review, as saved in JSON (dates as strings). */
const previousSchema = z.object({
  due: z.coerce.date(),
  stability: z.number(),
  difficulty: z.number(),
  elapsedDays: z.number(),
  scheduledDays: z.number(),
  learningSteps: z.number(),
  reps: z.number(),
  lapses: z.number(),
  state: z.number(),
  lastReview: z.coerce.date().nullable(),
});

export function cardOfRow(r: PracticeCardRow): StoredCard {
  const previous = previousSchema.safeParse(r.previous);
  return {
    questionId: r.question_id,
    due: r.due,
    stability: r.stability,
    difficulty: r.difficulty,
    elapsedDays: r.elapsed_days,
    scheduledDays: r.scheduled_days,
    learningSteps: r.learning_steps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    lastReview: r.last_review,
    lastRating: r.last_rating,
    lastSource: r.last_source,
    previous: previous.success ? previous.data : null,
  };
}

export async function findCard(handle: Handle, teamId: string, memberId: number, questionId: number): Promise<StoredCard | undefined> {
  const db = executor(handle);
  const row = await db.selectFrom('practice_card').selectAll().where('team_id', '=', teamId).where('member_id', '=', memberId).where('question_id', '=', questionId).executeTakeFirst();
  return row && cardOfRow(row);
}

export interface Reviewed {
  card: CardState;
  previous: CardState | null;
  rating: number;
  source: string;
}

export async function saveCard(handle: Handle, teamId: string, memberId: number, questionId: number, r: Reviewed, now: Date): Promise<void> {
  const db = executor(handle);
  const c = r.card;
  const values = {
    due: c.due,
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsedDays,
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    last_review: c.lastReview,
    last_rating: r.rating,
    last_source: r.source,
    previous: r.previous ? JSON.stringify(r.previous) : null,
    updated_at: now,
  };
  await db
    .insertInto('practice_card')
    .values({ member_id: memberId, question_id: questionId, team_id: teamId, ...values })
    .onConflict((oc) => oc.columns(['member_id', 'question_id']).doUpdateSet(values))
    .execute();
}

/** Active questions the team may see whose card is due, most overdue first; `topic` narrows them. */
export async function dueQuestionIds(handle: Handle, teamId: string, memberId: number, now: Date, topic?: string): Promise<number[]> {
  const db = executor(handle);
  let q = db
    .selectFrom('practice_card as c')
    .innerJoin('question as q', 'q.id', 'c.question_id')
    .select('c.question_id')
    .where('c.team_id', '=', teamId)
    .where('c.member_id', '=', memberId)
    .where('c.due', '<=', now)
    .where('q.status', '=', 'active')
    .where((eb) => eb.or([eb('q.team_id', 'is', null), eb('q.team_id', '=', teamId)]));
  if (topic) q = q.where(sql<boolean>`q.topics && ${sql.val([topic])}::text[]`);
  return (await q.orderBy('c.due').orderBy('c.question_id').limit(10).execute()).map((r) => r.question_id);
}

/** When the member's next card falls due after now (within `topic` when given). */
export async function nextDue(handle: Handle, teamId: string, memberId: number, now: Date, topic?: string): Promise<Date | undefined> {
  const db = executor(handle);
  let q = db
    .selectFrom('practice_card as c')
    .innerJoin('question as q', 'q.id', 'c.question_id')
    .select((eb) => eb.fn.min('c.due').as('due'))
    .where('c.team_id', '=', teamId)
    .where('c.member_id', '=', memberId)
    .where('c.due', '>', now)
    .where('q.status', '=', 'active');
  if (topic) q = q.where(sql<boolean>`q.topics && ${sql.val([topic])}::text[]`);
  const row = await q.executeTakeFirst();
  return row?.due ? new Date(row.due) : undefined;
}

export async function practisedQuestionIds(handle: Handle, teamId: string, memberId: number): Promise<Set<number>> {
  const db = executor(handle);
  const rows = await db.selectFrom('practice_card').select('question_id').where('team_id', '=', teamId).where('member_id', '=', memberId).execute();
  return new Set(rows.map((r) => r.question_id));
}

/** The member's cards with their question's area (its first topic), for retention by topic. */
export async function cardsByArea(handle: Handle, teamId: string, memberId: number): Promise<{ area: string; card: StoredCard }[]> {
  const db = executor(handle);
  const rows = await db
    .selectFrom('practice_card as c')
    .innerJoin('question as q', 'q.id', 'c.question_id')
    .selectAll('c')
    .select(sql<string>`q.topics[1]`.as('area'))
    .where('c.team_id', '=', teamId)
    .where('c.member_id', '=', memberId)
    .execute();
  return rows.filter((r) => r.area).map(({ area, ...row }) => ({ area, card: cardOfRow(row) }));
}

/** The member's cards for their own export: the question's id in the bank and prompt beside each. */
export async function cardsForExport(handle: Handle, teamId: string, memberId: number) {
  const db = executor(handle);
  return db
    .selectFrom('practice_card as c')
    .innerJoin('question as q', 'q.id', 'c.question_id')
    .select(['q.external_id as question', 'q.prompt', 'c.due', 'c.stability', 'c.difficulty', 'c.reps', 'c.lapses', 'c.state', 'c.last_review', 'c.last_rating'])
    .where('c.team_id', '=', teamId)
    .where('c.member_id', '=', memberId)
    .orderBy('c.due')
    .execute();
}

/** Forget-me: every card and the daily DM of the member. */
export async function deleteMemberPractice(handle: Handle, teamId: string, memberId: number): Promise<void> {
  const db = executor(handle);
  await db.deleteFrom('practice_card').where('team_id', '=', teamId).where('member_id', '=', memberId).execute();
  await db.deleteFrom('practice_reminder').where('team_id', '=', teamId).where('member_id', '=', memberId).execute();
}

export interface Reminder {
  memberId: number;
  teamId: string;
  localTime: string;
  timezone: string;
  nextAt: Date;
  lastSentAt: Date | null;
}

const reminderOfRow = (r: PracticeReminderRow): Reminder => ({ memberId: r.member_id, teamId: r.team_id, localTime: r.local_time, timezone: r.timezone, nextAt: r.next_at, lastSentAt: r.last_sent_at });

export async function reminderOf(handle: Handle, teamId: string, memberId: number): Promise<Reminder | undefined> {
  const db = executor(handle);
  const row = await db.selectFrom('practice_reminder').selectAll().where('team_id', '=', teamId).where('member_id', '=', memberId).executeTakeFirst();
  return row && reminderOfRow(row);
}

export async function saveReminder(handle: Handle, teamId: string, memberId: number, localTime: string, timezone: string, nextAt: Date, now: Date): Promise<void> {
  const db = executor(handle);
  await db
    .insertInto('practice_reminder')
    .values({ member_id: memberId, team_id: teamId, local_time: localTime, timezone, next_at: nextAt, created_at: now })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ local_time: localTime, timezone, next_at: nextAt }))
    .execute();
}

export async function deleteReminder(handle: Handle, teamId: string, memberId: number): Promise<boolean> {
  const db = executor(handle);
  const rows = await db.deleteFrom('practice_reminder').where('team_id', '=', teamId).where('member_id', '=', memberId).returning('member_id').execute();
  return rows.length > 0;
}

/** Daily DMs that are due, locked for this transaction; another instance skips them. */
export async function claimDueReminders(handle: Handle, now: Date, limit = 50): Promise<(Reminder & { userId: string })[]> {
  const db = executor(handle);
  const rows = await db
    .selectFrom('practice_reminder as r')
    .innerJoin('member as m', 'm.id', 'r.member_id')
    .selectAll('r')
    .select('m.platform_user_id')
    .where('r.next_at', '<=', now)
    .where('m.forgotten_at', 'is', null)
    .orderBy('r.next_at')
    .limit(limit)
    .forUpdate('r')
    .skipLocked()
    .execute();
  return rows.map(({ platform_user_id, ...r }) => ({ ...reminderOfRow(r), userId: platform_user_id }));
}

export async function setReminderNext(handle: Handle, memberId: number, nextAt: Date, sentAt: Date): Promise<void> {
  const db = executor(handle);
  await db.updateTable('practice_reminder').set({ next_at: nextAt, last_sent_at: sentAt }).where('member_id', '=', memberId).execute();
}

