/**
 * Streaks. Question-of-the-day streaks count consecutive scheduled days answered: rounds exist only on
 * scheduled days, so walking a channel's rounds backwards skips unscheduled days by construction.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/index.js';
import type { RoundRow } from '../db/schema/round.js';

/** Consecutive question-of-the-day rounds in a channel the member answered on time, newest first. */
export async function qotdStreak(db: Executor, channelId: number, memberId: number, upTo?: string): Promise<number> {
  let q = db
    .selectFrom('round as r')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active').on('a.late', '=', false))
    .select(['r.local_date', 'r.status', sql<boolean>`a.id is not null`.as('answered')])
    .where('r.channel_id', '=', channelId)
    .where('r.kind', '=', 'qotd')
    .orderBy('r.local_date', 'desc')
    .limit(400);
  if (upTo) q = q.where('r.local_date', '<=', upTo);
  const rows = await q.execute();
  let streak = 0;
  for (const [i, row] of rows.entries()) {
    if (row.answered) streak++;
    // Today's question still open and not answered yet does not break the streak.
    else if (i === 0 && row.status === 'open' && !upTo) continue;
    else break;
  }
  return streak;
}

/** The member's best current streak over the team's channels. */
export async function currentStreak(db: Executor, teamId: string, memberId: number): Promise<number> {
  return (await currentStreaks(db, teamId, [memberId])).get(memberId) ?? 0;
}

/**
 * Current streaks of several members (a board's rows) in two queries: the team's recent questions of
 * the day per channel, and these members' on-time answers to them. Only closed rounds count (the same
 * definition as the boards and bestStreak), so the current streak is never above the best.
 */
export async function currentStreaks(db: Executor, teamId: string, memberIds: number[]): Promise<Map<number, number>> {
  const result = new Map<number, number>(memberIds.map((id) => [id, 0]));
  if (memberIds.length === 0) return result;
  const rounds = await sql<{ id: number; channel_id: number; status: string }>`
    select id, channel_id, status from (
      select id, channel_id, status, local_date,
        row_number() over (partition by channel_id order by local_date desc) as n
      from round where team_id = ${teamId} and kind = 'qotd'
    ) recent where n <= 400 order by channel_id, local_date desc`.execute(db);
  if (rounds.rows.length === 0) return result;
  const answered = await db
    .selectFrom('answer')
    .select(['round_id', 'member_id'])
    .where('team_id', '=', teamId)
    .where('member_id', 'in', memberIds)
    .where('status', '=', 'active')
    .where('late', '=', false)
    .where('round_id', 'in', rounds.rows.map((r) => r.id))
    .execute();
  const keys = new Set(answered.map((a) => `${a.member_id}:${a.round_id}`));
  const byChannel = new Map<number, { id: number; status: string }[]>();
  for (const r of rounds.rows) byChannel.set(r.channel_id, [...(byChannel.get(r.channel_id) ?? []), r]);
  for (const memberId of memberIds) {
    let best = 0;
    for (const channelRounds of byChannel.values()) {
      let streak = 0;
      for (const r of channelRounds) {
        // An open round counts for nothing yet, as on the boards: it neither extends nor breaks a run.
        if (r.status === 'open') continue;
        if (keys.has(`${memberId}:${r.id}`)) streak++;
        else break;
      }
      best = Math.max(best, streak);
    }
    result.set(memberId, best);
  }
  return result;
}

/** The longest run of consecutive answered days ever, in any channel. */
export async function bestStreak(db: Executor, teamId: string, memberId: number): Promise<number> {
  const rows = await db
    .selectFrom('round as r')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active').on('a.late', '=', false))
    .select(['r.channel_id', 'r.local_date', sql<boolean>`a.id is not null`.as('answered')])
    .where('r.team_id', '=', teamId)
    .where('r.kind', '=', 'qotd')
    .where('r.status', '=', 'closed')
    .orderBy('r.channel_id')
    .orderBy('r.local_date')
    .execute();
  let best = 0;
  let run = 0;
  let channel: number | undefined;
  for (const row of rows) {
    if (row.channel_id !== channel) {
      channel = row.channel_id;
      run = 0;
    }
    run = row.answered ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** How many choice questions right before this one, in the same quiz, the member got right in a row. */
export async function quizCorrectRun(db: Executor, round: RoundRow, memberId: number): Promise<number> {
  if (round.quiz_id === null || round.position === null) return 0;
  const earlier = await db
    .selectFrom('round as r')
    .innerJoin('question as q', 'q.id', 'r.question_id')
    .leftJoin('answer as a', (j) => j.onRef('a.round_id', '=', 'r.id').on('a.member_id', '=', memberId).on('a.status', '=', 'active'))
    .select(['r.position', 'q.kind', 'q.options', 'a.choice_index'])
    .where('r.quiz_id', '=', round.quiz_id)
    .where('r.position', '<', round.position)
    .orderBy('r.position', 'desc')
    .execute();
  let run = 0;
  for (const r of earlier) {
    if (r.kind !== 'choice') continue; // open questions neither extend nor break a run
    const correct = (r.options ?? []).findIndex((o) => o.correct);
    if (r.choice_index === null || r.choice_index !== correct) break;
    run++;
  }
  return run;
}
