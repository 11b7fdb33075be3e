/**
 * One tick: every kind of due work, each in its own transaction, claimed from Postgres so that two
 * instances never do the same work twice and a restart loses nothing (an overdue close happens at the
 * first tick after start).
 */
import { nextDueAt as nextDueWork } from '../db/repos/operations.js';
import { purgeSettledOutbox } from '../db/repos/outbox.js';
import { claimDueRounds } from '../db/repos/rounds.js';
import { findChannel, findTeam, forgetEventReceipts } from '../db/repos/tenancy.js';
import { unitOfWork } from '../db/tx.js';
import type { Handle } from '../db/repos/types.js';
import type { Deps, Work } from './context.js';
import { sendOutbox } from './outbox.js';
import { senderOf } from './outbox-lanes.js';
import type { Sender } from './sender.js';
import { sendDuePractice } from './practice-daily.js';
import { advanceQuiz } from './quiz.js';
import { REMIND_AFTER_MS, remindMentors } from './reviews.js';
import { closeRound } from './rounds.js';
import { runDueSchedules } from './schedule-run.js';
import { endDueSeasons } from './seasons.js';
import { postWeeklyRecaps } from './recap.js';
import { nextRecapAt } from '../db/repos/recaps.js';
import { refreshBoardSets } from '../db/repos/board-sets.js';

export interface TickReport {
  posted: number;
  closed: number;
  seasonsEnded: number;
  recaps: number;
  reminded: number;
  delivered: number;
  /** Daily practice DMs queued. */
  practice: number;
}

const RECEIPT_MEMORY_MS = 7 * 86_400_000;

async function step<T>(deps: Deps, fn: (work: Work) => Promise<T>, sender?: Sender): Promise<T> {
  return unitOfWork(deps.db, (trx, tx) => fn({ deps, trx, tx, now: deps.clock.now(), ...(sender ? { sender } : {}) }), {
    onEffectError: (error) => deps.log.error({ err: error }, 'after-commit effect failed'),
  });
}

async function closeDueRounds(work: Work): Promise<number> {
  let closed = 0;
  // By channel: closing a question of the day locks its channel's streaks to the end of the transaction
  // (migration qotd-streaks), and transactions that take those locks in one order cannot deadlock.
  const due = (await claimDueRounds(work.trx, work.now)).sort((a, b) => a.channel_id - b.channel_id);
  for (const round of due) {
    const team = await findTeam(work.trx, round.team_id);
    const channel = await findChannel(work.trx, round.channel_id);
    if (!team || !channel) continue;
    if (await closeRound(work, round, team, channel)) {
      closed++;
      if (round.quiz_id !== null && round.position !== null) await advanceQuiz(work, round.quiz_id, round.position);
    }
  }
  return closed;
}

/**
 * Runs a job in batches (each its own short transaction, so locks are held briefly) until a batch
 * finds nothing, so 200 channels due at 09:00 all post in this tick rather than 20 a tick. With a
 * sender, `workers` batches run at once (they claim with SKIP LOCKED, so never the same rows) and
 * their posts go out in parallel, paced per channel.
 */
async function drain(deps: Deps, fn: (work: Work) => Promise<number>, sender?: Sender, workers = 1, maxBatches = MAX_BATCHES): Promise<number> {
  let total = 0;
  let batches = 0;
  const worker = async () => {
    while (batches++ < maxBatches) {
      const done = await step(deps, fn, sender);
      total += done;
      if (done === 0) break;
    }
  };
  // Every worker finishes (or fails) before the tick goes on; the first failure is the tick's.
  const failed = (await Promise.allSettled(Array.from({ length: workers }, worker))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return total;
}

const MAX_BATCHES = 50;
/** Batches of due schedules prepared at once (each holds a connection of the pool for its transaction). */
const SCHEDULE_WORKERS = 3;
/**
 * Every batch moves its schedules to a later run, so draining them ends; the bound only keeps a tick from
 * running away. 400 batches of 50: 20,000 channels due at once all post in this tick, not 1,000 a tick.
 */
const SCHEDULE_BATCHES = 400;

export async function runTick(deps: Deps): Promise<TickReport> {
  const report: TickReport = { posted: 0, closed: 0, seasonsEnded: 0, recaps: 0, reminded: 0, delivered: 0, practice: 0 };
  const sender = senderOf(deps);
  try {
    report.posted = await drain(deps, runDueSchedules, sender, SCHEDULE_WORKERS, SCHEDULE_BATCHES);
    // The questions of the day are out before the rest of the tick looks at the outbox.
    await sender.idle();
    report.closed = await drain(deps, closeDueRounds);
    // After the closes, so a round that closed at the week's end is in its recap; before a season ends with it.
    report.recaps = await step(deps, postWeeklyRecaps);
    report.seasonsEnded = await step(deps, endDueSeasons);
    report.reminded = await step(deps, remindMentors);
    report.practice = await drain(deps, sendDuePractice);
    report.delivered = await sendOutbox(deps);
    // The boards of the current week, month and season read one row a member (board-sets.ts).
    await refreshBoardSets(deps.db, deps.clock.now());
  } finally {
    // The tick ends when its posts are out (or failed and wait for a retry), even when a step failed.
    await sender.idle();
  }
  const now = deps.clock.now();
  const forgetBefore = new Date(now.getTime() - RECEIPT_MEMORY_MS);
  await forgetEventReceipts(deps.db, forgetBefore);
  // Sent and failed posts carry people's words and names: keep them a week for support, no longer.
  await purgeSettledOutbox(deps.db, forgetBefore);
  return report;
}

/** The earliest moment any due work appears: lets a fake clock jump straight to it. */
export async function nextDueAt(db: Handle, now: Date): Promise<Date | undefined> {
  const at = await nextDueWork(db, REMIND_AFTER_MS);
  const recap = await nextRecapAt(db, now);
  const times = [at, recap].filter((t): t is Date => t !== undefined);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : undefined;
}
