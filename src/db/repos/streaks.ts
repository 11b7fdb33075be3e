/** The rounds and answers streaks are counted from (the counting is the core's, src/core/streaks.ts). */
import { sql, type RawBuilder } from 'kysely';
import { executor, type Handle } from '../handle.js';

/** How many of a channel's newest questions of the day (open ones included) a current streak is counted in. */
export const QOTD_WINDOW = 400;

/** A channel's questions of the day, newest first (400 at most), each with whether the member answered on time. */
export async function qotdDaysOfMember(handle: Handle, teamId: string, channelId: number, memberId: number, upTo?: string): Promise<{ local_date: string | null; status: 'open' | 'closed'; answered: boolean }[]> {
  const db = executor(handle);
  let q = db
    .selectFrom('round as r')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active').on('a.late', '=', false))
    .select(['r.local_date', 'r.status', sql<boolean>`a.id is not null`.as('answered')])
    .where('r.team_id', '=', teamId)
    .where('r.channel_id', '=', channelId)
    .where('r.kind', '=', 'qotd')
    .orderBy('r.local_date', 'desc')
    .limit(QOTD_WINDOW);
  if (upTo) q = q.where('r.local_date', '<=', upTo);
  return q.execute();
}

/** The team's recent questions of the day (400 a channel at most), by channel, newest first. */
export async function recentQotdRounds(handle: Handle, teamId: string): Promise<{ id: number; channel_id: number; status: string }[]> {
  const db = executor(handle);
  const rounds = await sql<{ id: number; channel_id: number; status: string }>`
    select w.id, q.channel_id, w.status from ${qotdChannels(teamId)} q cross join lateral ${qotdWindow(teamId, sql`q.channel_id`)} w
    order by q.channel_id, w.local_date desc`.execute(db);
  return rounds.rows;
}

/** Which of these rounds these members answered on time. */
export async function onTimeAnswers(handle: Handle, teamId: string, memberIds: number[], roundIds: number[]): Promise<{ round_id: number; member_id: number }[]> {
  const db = executor(handle);
  return db
    .selectFrom('answer')
    .select(['round_id', 'member_id'])
    .where('team_id', '=', teamId)
    // Arrays, one parameter each: a team's windows can hold more rounds than a statement has parameters (65,535).
    .where('member_id', '=', sql<number>`any(${memberIds}::int[])`)
    .where('status', '=', 'active')
    .where('late', '=', false)
    .where('round_id', '=', sql<number>`any(${roundIds}::int[])`)
    .execute();
}

/** The quiz's questions before `position`, nearest first, with the member's choice on each. */
export async function earlierQuizChoices(handle: Handle, teamId: string, quizId: number, position: number, memberId: number) {
  const db = executor(handle);
  return db
    .selectFrom('round as r')
    .innerJoin('question as q', 'q.id', 'r.question_id')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active'))
    .select(['r.position', 'q.kind', 'q.options', 'a.choice_index'])
    .where('r.team_id', '=', teamId)
    .where('r.quiz_id', '=', quizId)
    .where('r.position', '<', position)
    .orderBy('r.position', 'desc')
    .execute();
}

/**
 * The team's question-of-the-day channels (`channel_id`), skipped through round_qotd_team one probe a
 * channel: what streaks start from, at a cost that follows the team's question channels, not its history
 * or its other channels. A recursive query, so the planner also expects a few rows, not one per channel.
 */
export function qotdChannels(teamId: string): RawBuilder<unknown> {
  return sql`(with recursive qc(channel_id) as (
      (select r.channel_id from round r where r.team_id = ${teamId} and r.kind = 'qotd' order by r.channel_id limit 1)
      union all
      select (select r.channel_id from round r where r.team_id = ${teamId} and r.kind = 'qotd' and r.channel_id > qc.channel_id order by r.channel_id limit 1)
      from qc where qc.channel_id is not null)
    select channel_id from qc where channel_id is not null)`;
}

/** A channel's 400 newest questions of the day (open ones included), newest first: the window current streaks count in. */
export function qotdWindow(teamId: string, channel: RawBuilder<unknown>, newerThan?: RawBuilder<unknown>): RawBuilder<unknown> {
  const bound = newerThan ? sql`and r.local_date > ${newerThan}` : sql``;
  return sql`(select r.id, r.status, r.local_date from round r where r.team_id = ${teamId} and r.channel_id = ${channel} and r.kind = 'qotd' ${bound}
    order by r.local_date desc limit ${sql.lit(QOTD_WINDOW)})`;
}
