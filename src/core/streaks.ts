/**
 * Streaks. Question-of-the-day streaks count consecutive scheduled days answered: rounds exist only on
 * scheduled days, so walking a channel's rounds backwards skips unscheduled days by construction.
 */
import { earlierQuizChoices, onTimeAnswers, qotdDaysOfMember, recentQotdRounds } from '../db/repos/streaks.js';
import type { Handle, Round } from '../db/repos/types.js';

/** Consecutive question-of-the-day rounds in a channel the member answered on time, newest first. */
export async function qotdStreak(db: Handle, teamId: string, channelId: number, memberId: number, upTo?: string): Promise<number> {
  const rows = await qotdDaysOfMember(db, teamId, channelId, memberId, upTo);
  let streak = 0;
  for (const [i, row] of rows.entries()) {
    if (row.answered) streak++;
    // Today's question still open and not answered yet does not break the streak.
    else if (i === 0 && row.status === 'open' && !upTo) continue;
    else break;
  }
  return streak;
}

/**
 * Current streaks of several members (a board's rows) in two queries: the team's recent questions of
 * the day per channel, and these members' on-time answers to them. Only closed rounds count (the same
 * definition as the boards and longestRun), so the current streak is never above the best.
 */
export async function currentStreaks(db: Handle, teamId: string, memberIds: number[]): Promise<Map<number, number>> {
  const result = new Map<number, number>(memberIds.map((id) => [id, 0]));
  if (memberIds.length === 0) return result;
  const rounds = await recentQotdRounds(db, teamId);
  if (rounds.length === 0) return result;
  const answered = await onTimeAnswers(db, teamId, memberIds, rounds.map((r) => r.id));
  const keys = new Set(answered.map((a) => `${a.member_id}:${a.round_id}`));
  const byChannel = new Map<number, { id: number; status: string }[]>();
  for (const r of rounds) byChannel.set(r.channel_id, [...(byChannel.get(r.channel_id) ?? []), r]);
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

/** The longest run of answered days in closed questions of the day ordered by channel, oldest first. */
export function longestRun(rows: { channel_id: number; answered: boolean }[]): number {
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

/**
 * The current streak from the same rows (closed, by channel, oldest first), as currentStreaks counts it:
 * per channel, the answered days at the newest end among its 400 newest questions; the best channel's.
 */
export function currentRun(rows: { channel_id: number; answered: boolean; recent: boolean }[]): number {
  const runs = new Map<number, number>();
  for (const row of rows) if (row.recent) runs.set(row.channel_id, row.answered ? (runs.get(row.channel_id) ?? 0) + 1 : 0);
  return Math.max(0, ...runs.values());
}

/** How many choice questions right before this one, in the same quiz, the member got right in a row. */
export async function quizCorrectRun(db: Handle, round: Round, memberId: number): Promise<number> {
  if (round.quiz_id === null || round.position === null) return 0;
  const earlier = await earlierQuizChoices(db, round.team_id, round.quiz_id, round.position, memberId);
  let run = 0;
  for (const r of earlier) {
    if (r.kind !== 'choice') continue; // open questions neither extend nor break a run
    const correct = (r.options ?? []).findIndex((o) => o.correct);
    if (r.choice_index === null || r.choice_index !== correct) break;
    run++;
  }
  return run;
}
