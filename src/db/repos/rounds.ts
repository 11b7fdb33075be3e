import { executor, type Handle } from '../handle.js';
import type { NewRoundRow, RoundRow } from '../schema/round.js';
import type { QuizRow, NewQuizRow } from '../schema/quiz.js';

/** Creates a round; undefined when a question of the day already exists for that channel and date. */
export async function createRound(handle: Handle, row: NewRoundRow): Promise<RoundRow | undefined> {
  return (await createRounds(handle, [row]))[0];
}

/** Rounds inserted in one statement; a question of the day whose channel already has that day's is skipped (not returned). */
export async function createRounds(handle: Handle, rows: NewRoundRow[]): Promise<RoundRow[]> {
  if (rows.length === 0) return [];
  const db = executor(handle);
  return db
    .insertInto('round')
    .values(rows)
    .onConflict((oc) => oc.columns(['channel_id', 'local_date']).where('kind', '=', 'qotd').doNothing())
    .returningAll()
    .execute();
}

/**
 * `forAnswer`: the round is share-locked to the end of the caller's transaction, as every path that writes
 * an answer needs: a close in progress (which updates the round) is waited for and then seen, and a later
 * close waits for the answer, so no answer lands unscored behind a close.
 */
export async function findRound(handle: Handle, teamId: string, id: number, options: { forAnswer?: boolean } = {}): Promise<RoundRow | undefined> {
  const db = executor(handle);
  const q = db.selectFrom('round').selectAll().where('team_id', '=', teamId).where('id', '=', id);
  return (options.forAnswer ? q.forShare() : q).executeTakeFirst();
}

/** The newest round whose thread this is (a quiz's thread holds several), with its question's kind; share-locked (findRound's `forAnswer`). */
export async function findRoundByThread(handle: Handle, teamId: string, threadRef: string): Promise<(RoundRow & { question_kind: 'open' | 'choice' }) | undefined> {
  const db = executor(handle);
  const rounds = () =>
    db
      .selectFrom('round')
      .innerJoin('question', 'question.id', 'round.question_id')
      .selectAll('round')
      .select('question.kind as question_kind')
      .where('round.team_id', '=', teamId)
      .orderBy('round.id', 'desc')
      // A thread message may become an answer: held as findRound's `forAnswer` holds it.
      .forShare('round');
  const direct = await rounds().where('round.thread_ref', '=', threadRef).executeTakeFirst();
  if (direct) return direct;
  // Another thread the card was posted under (a re-post after a crash, on a platform without idempotent sends).
  const posted = await db.selectFrom('posted_thread').select(['round_id', 'quiz_id']).where('team_id', '=', teamId).where('thread_ref', '=', threadRef).orderBy('id', 'desc').executeTakeFirst();
  if (!posted) return undefined;
  if (posted.round_id !== null) return rounds().where('round.id', '=', posted.round_id).executeTakeFirst();
  return posted.quiz_id !== null ? rounds().where('round.quiz_id', '=', posted.quiz_id).executeTakeFirst() : undefined;
}

/** Remembers a thread a round's or a quiz's card was posted under; harmless when already known. */
export async function recordPostedThread(handle: Handle, row: { team_id: string; round_id?: number; quiz_id?: number; thread_ref: string; message_ref: string; posted_at: Date }): Promise<void> {
  const db = executor(handle);
  await db
    .insertInto('posted_thread')
    .values({ team_id: row.team_id, round_id: row.round_id ?? null, quiz_id: row.quiz_id ?? null, thread_ref: row.thread_ref, message_ref: row.message_ref, posted_at: row.posted_at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function setRoundRefs(handle: Handle, roundId: number, messageRef: string, threadRef: string): Promise<void> {
  const db = executor(handle);
  await db.updateTable('round').set({ message_ref: messageRef, thread_ref: threadRef }).where('id', '=', roundId).execute();
}

export async function setQuizRefs(handle: Handle, quizId: number, messageRef: string, threadRef: string): Promise<void> {
  const db = executor(handle);
  await db.updateTable('quiz').set({ message_ref: messageRef, thread_ref: threadRef }).where('id', '=', quizId).execute();
  // Quiz questions are answered in the quiz's thread: they share it.
  await db.updateTable('round').set({ thread_ref: threadRef }).where('quiz_id', '=', quizId).execute();
}

export async function refsOf(handle: Handle, target: { roundId: number } | { quizId: number }): Promise<{ message: string | null; thread: string | null } | undefined> {
  const db = executor(handle);
  if ('roundId' in target) {
    const r = await db.selectFrom('round').select(['message_ref', 'thread_ref']).where('id', '=', target.roundId).executeTakeFirst();
    return r && { message: r.message_ref, thread: r.thread_ref };
  }
  const q = await db.selectFrom('quiz').select(['message_ref', 'thread_ref']).where('id', '=', target.quizId).executeTakeFirst();
  return q && { message: q.message_ref, thread: q.thread_ref };
}

/** Open rounds whose time is up, locked for this instance; another instance skips them. */
export async function claimDueRounds(handle: Handle, now: Date, limit = 20): Promise<RoundRow[]> {
  const db = executor(handle);
  return db
    .selectFrom('round')
    .selectAll()
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Closes a round once; false when it was already closed (another instance won). */
export async function markRoundClosed(handle: Handle, roundId: number, now: Date): Promise<boolean> {
  const db = executor(handle);
  const row = await db.updateTable('round').set({ status: 'closed', closed_at: now }).where('id', '=', roundId).where('status', '=', 'open').returning('id').executeTakeFirst();
  return row !== undefined;
}

/** Question ids used in a channel, newest first, with when. */
export async function channelHistory(handle: Handle, channelId: number, limit = 2000): Promise<{ question_id: number; opened_at: Date }[]> {
  const db = executor(handle);
  return db.selectFrom('round').select(['question_id', 'opened_at']).where('channel_id', '=', channelId).orderBy('opened_at', 'desc').limit(limit).execute();
}

/** Question ids the whole team met since a time (any channel). */
export async function teamRecentQuestionIds(handle: Handle, teamId: string, since: Date): Promise<number[]> {
  const db = executor(handle);
  const rows = await db.selectFrom('round').select('question_id').distinct().where('team_id', '=', teamId).where('opened_at', '>=', since).execute();
  return rows.map((r) => r.question_id);
}

export async function createQuiz(handle: Handle, row: NewQuizRow): Promise<QuizRow | undefined> {
  const db = executor(handle);
  return db
    .insertInto('quiz')
    .values(row)
    .onConflict((oc) => oc.column('channel_id').where('status', '=', 'running').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findQuiz(handle: Handle, teamId: string, id: number): Promise<QuizRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('quiz').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

export async function runningQuiz(handle: Handle, channelId: number): Promise<QuizRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('quiz').selectAll().where('channel_id', '=', channelId).where('status', '=', 'running').executeTakeFirst();
}

export async function lockQuiz(handle: Handle, id: number): Promise<QuizRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('quiz').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateQuiz(handle: Handle, id: number, set: Partial<Pick<QuizRow, 'status' | 'current_position' | 'ended_at'>>): Promise<void> {
  const db = executor(handle);
  await db.updateTable('quiz').set(set).where('id', '=', id).execute();
}

export async function openRoundsOfQuiz(handle: Handle, quizId: number): Promise<RoundRow[]> {
  const db = executor(handle);
  return db.selectFrom('round').selectAll().where('quiz_id', '=', quizId).where('status', '=', 'open').execute();
}

/** Every round of a quiz, in order. */
export async function roundsOfQuiz(handle: Handle, quizId: number): Promise<RoundRow[]> {
  const db = executor(handle);
  return db.selectFrom('round').selectAll().where('quiz_id', '=', quizId).orderBy('position').execute();
}


/** Closes a round whose card could never be posted (nothing to score, nothing to announce). */
export async function closeUnpostedRound(handle: Handle, teamId: string, roundId: number, now: Date): Promise<void> {
  const db = executor(handle);
  await db.updateTable('round').set({ status: 'closed', closed_at: now }).where('team_id', '=', teamId).where('id', '=', roundId).where('status', '=', 'open').where('thread_ref', 'is', null).execute();
}

/** Stops a quiz whose announcement could never be posted, with its open questions. */
export async function stopUnpostedQuiz(handle: Handle, teamId: string, quizId: number, now: Date): Promise<void> {
  const db = executor(handle);
  const stopped = await db.updateTable('quiz').set({ status: 'stopped', ended_at: now }).where('team_id', '=', teamId).where('id', '=', quizId).where('status', '=', 'running').where('thread_ref', 'is', null).returning('id').executeTakeFirst();
  if (stopped) await db.updateTable('round').set({ status: 'closed', closed_at: now }).where('team_id', '=', teamId).where('quiz_id', '=', quizId).where('status', '=', 'open').execute();
}
