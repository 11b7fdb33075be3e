/** The rounds and answers streaks are counted from (the counting is the core's, src/core/streaks.ts). */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

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
    .limit(400);
  if (upTo) q = q.where('r.local_date', '<=', upTo);
  return q.execute();
}

/** The team's recent questions of the day (400 a channel at most), by channel, newest first. */
export async function recentQotdRounds(handle: Handle, teamId: string): Promise<{ id: number; channel_id: number; status: string }[]> {
  const db = executor(handle);
  // Per channel through round_qotd_once (newest first, 400 at most): the cost follows the team's channels, not its history.
  const rounds = await sql<{ id: number; channel_id: number; status: string }>`
    select w.id, c.id as channel_id, w.status from channel c cross join lateral (
      select r.id, r.status, r.local_date from round r where r.channel_id = c.id and r.kind = 'qotd' order by r.local_date desc limit 400) w
    where c.team_id = ${teamId} order by c.id, w.local_date desc`.execute(db);
  return rounds.rows;
}

/** Which of these rounds these members answered on time. */
export async function onTimeAnswers(handle: Handle, teamId: string, memberIds: number[], roundIds: number[]): Promise<{ round_id: number; member_id: number }[]> {
  const db = executor(handle);
  return db
    .selectFrom('answer')
    .select(['round_id', 'member_id'])
    .where('team_id', '=', teamId)
    .where('member_id', 'in', memberIds)
    .where('status', '=', 'active')
    .where('late', '=', false)
    .where('round_id', 'in', roundIds)
    .execute();
}

/** Every closed question of the day of the team, by channel and date, with whether the member answered on time. */
export async function closedQotdDaysOfMember(handle: Handle, teamId: string, memberId: number): Promise<{ channel_id: number; local_date: string | null; answered: boolean }[]> {
  const db = executor(handle);
  return db
    .selectFrom('round as r')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active').on('a.late', '=', false))
    .select(['r.channel_id', 'r.local_date', sql<boolean>`a.id is not null`.as('answered')])
    .where('r.team_id', '=', teamId)
    .where('r.kind', '=', 'qotd')
    .where('r.status', '=', 'closed')
    .orderBy('r.channel_id')
    .orderBy('r.local_date')
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
