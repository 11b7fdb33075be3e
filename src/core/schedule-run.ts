/**
 * The tick's job for the question of the day: post every due one, once per channel and local date.
 * A batch of due schedules reads what it needs in a few statements for the whole batch (their teams and
 * channels, the dates that had a question, the channels' histories, the team's recent questions) and
 * saves their next runs in one; their questions, rounds and outbox rows are written in a statement each
 * too, so 1,000 channels due at once cost a few statements a batch of 50, not several a channel.
 */
import { findQuestions, questionPool } from '../db/repos/questions.js';
import { readScheduleBatch, setNextRuns } from '../db/repos/schedule-batch.js';
import { claimDueSchedules } from '../db/repos/schedules.js';
import { batchedOutbox } from '../db/tx.js';
import type { Schedule } from '../db/repos/types.js';
import type { Work } from './context.js';
import { nextRun } from './recurrence.js';
import { openScheduledRounds } from './rounds.js';
import { schedulePool } from './schedules.js';
import { pickForChannel, recentSince, type KnownHistory } from './selection.js';
import { localDate } from './time.js';

/** Due schedules claimed per transaction. */
export const SCHEDULE_BATCH = 50;
/** How much of a channel's history the choice reads (as channelHistory). */
const HISTORY = 2000;

/** Returns how many due schedules it handled (each moves to its next run whether or not it posted). */
export async function runDueSchedules(work: Work): Promise<number> {
  const due = await claimDueSchedules(work.trx, work.now, SCHEDULE_BATCH);
  if (due.length === 0) return 0;
  const days = due.map((s) => localDate(s.next_run_at!, s.timezone));
  const batch = await readScheduleBatch(work.trx, {
    teamIds: [...new Set(due.map((s) => s.team_id))],
    channelIds: due.map((s) => s.channel_id),
    since: days.reduce((a, b) => (a < b ? a : b)),
    recentSince: recentSince(work.now),
    historyLimit: HISTORY,
  });
  // The next run is on a later day than this one, and never on a day that already had its question;
  // after downtime, today's question is posted once and the schedule moves on (never a burst of missed days).
  await setNextRuns(
    work.trx,
    due.map((s, i) => {
      const at = s.next_run_at!;
      const taken = new Set((batch.posted.get(s.channel_id) ?? []).filter((d) => d >= days[i]!));
      taken.add(days[i]!);
      const rule = { days: s.days, time: s.local_time, timezone: s.timezone, cron: s.cron };
      return { id: s.id, next: nextRun(rule, work.now.getTime() > at.getTime() ? work.now : at, taken) ?? null };
    }),
    work.now,
  );
  // Each schedule's question is chosen in order (the next one sees the questions before it as met by the
  // team, as a fresh read would; one whose round turns out to exist already still counts, which only
  // steers the rest of the batch away from it); then the questions are read, the rounds inserted and the posts written
  // to the outbox in a statement each for the whole batch, not one each.
  const chosen: { i: number; s: Schedule; id: number }[] = [];
  for (const [i, s] of due.entries()) {
    if (!batch.teams.has(s.team_id) || !batch.channels.has(s.channel_id)) continue;
    let teamRecent = batch.teamRecent.get(s.team_id);
    if (!teamRecent) batch.teamRecent.set(s.team_id, (teamRecent = new Set()));
    const id = await chooseForSchedule(work, s, { channel: batch.history.get(s.channel_id) ?? [], teamRecent });
    if (id === undefined) continue;
    chosen.push({ i, s, id });
    teamRecent.add(id);
  }
  const questions = await findQuestions(work.trx, chosen.map((c) => ({ teamId: c.s.team_id, id: c.id })));
  const outbox = batchedOutbox(work.trx, work.tx);
  await openScheduledRounds(
    { ...work, tx: outbox.ctx },
    chosen.flatMap(({ i, s, id }) => {
      const question = questions.get(`${s.team_id}:${id}`);
      if (!question) return [];
      return [
        {
          team: batch.teams.get(s.team_id)!,
          channel: batch.channels.get(s.channel_id)!,
          question,
          kind: 'qotd' as const,
          closesAt: new Date(work.now.getTime() + s.window_minutes * 60_000),
          blind: s.blind,
          title: 'Question of the day',
          scheduleId: s.id,
          localDate: days[i]!,
          timezone: s.timezone,
        },
      ];
    }),
  );
  await outbox.flush();
  return due.length;
}

/** The question a schedule posts next (its id), from its pool. */
async function chooseForSchedule(work: Work, s: Schedule, known: KnownHistory): Promise<number | undefined> {
  // Questions retired since the schedule was set can empty a fixed-difficulty pool: post from the rest then.
  let pool = await schedulePool(work, s.team_id, s);
  if (pool.length === 0) pool = await questionPool(work.trx, s.team_id, { topics: s.topics, categories: s.categories, kinds: s.kinds });
  const [id] = await pickForChannel(work, { teamId: s.team_id, channelId: s.channel_id }, pool, { count: 1, policy: s.difficulty_policy, known });
  return id;
}
