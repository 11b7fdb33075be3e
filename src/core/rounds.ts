/**
 * Rounds: one question, open for a window, answered in its thread (or by buttons, or privately), then
 * closed with the lesson, a summary and the points. Used by the question of the day, quizzes and
 * `/dojo question`.
 */
import { answersOfRound, formPartsOfRound, pendingReviewCount } from '../db/repos/answers.js';
import { addPoints } from '../db/repos/ledger.js';
import { findQuestion } from '../db/repos/questions.js';
import { createRound, createRounds, markRoundClosed } from '../db/repos/rounds.js';
import { membersWithRole } from '../db/repos/tenancy.js';
import type { Channel, NewRound, Question, Round, RoundKind, Team } from '../db/repos/types.js';
import { encodeAction } from './actions.js';
import { teamRefOf, type Work } from './context.js';
import { send, type Queued } from './outbox.js';
import type { Block } from './messages.js';
import { message } from './messages.js';
import { capabilitiesOf } from './ports.js';
import { promptTitle } from './prompt.js';
import { distributionTable, lessonBlocks, names, plural, questionCard, wrongPickBlocks, type QuestionView } from './render.js';
import { rememberGrade } from './practice-cards.js';
import { choicePoints, POINTS, qotdStreakBonus, quizStreakBonus } from './scoring.js';
import { gradeOfChoice } from './spaced.js';
import { qotdStreak, quizCorrectRun } from './streaks.js';

/** Mentors pinged by name when a round closes with answers to review; the rest are counted. */
const MENTION_AT_MOST = 20;

export function questionView(row: Question): QuestionView {
  return {
    id: row.id,
    kind: row.kind,
    category: row.category,
    difficulty: row.difficulty,
    topics: row.topics,
    prompt: row.prompt,
    keyPoints: row.key_points,
    referenceAnswer: row.reference_answer,
    starGuide: row.star_guide,
    options: row.options,
    explanation: row.explanation,
    followUps: row.follow_ups,
    hint: row.hint,
    furtherReading: row.further_reading,
  };
}

export interface OpenRound {
  team: Team;
  channel: Channel;
  question: Question;
  kind: RoundKind;
  closesAt: Date;
  blind: boolean;
  title: string;
  scheduleId?: number;
  localDate?: string;
  quiz?: { id: number; position: number; threadRef: string | null };
  startedBy?: number;
  /** The zone the card shows times in: the channel's schedule's, else the team's. */
  timezone?: string;
}

/** Creates the round and queues its card; undefined when the day's question already exists. */
export async function openRound(work: Work, o: OpenRound): Promise<{ round: Round; card: Queued } | undefined> {
  const round = await createRound(work.trx, roundRow(work, o));
  return round && { round, card: await announce(work, o, round) };
}

/**
 * `openRound` for a batch of due schedules (issue 13): their rounds inserted in one statement, then each
 * card queued in order. Each needs its own `scheduleId` (what matches a round to its schedule); a result
 * is undefined where that day's question already exists in the channel (the first of the batch wins, as
 * one by one).
 */
export async function openScheduledRounds(work: Work, list: (OpenRound & { scheduleId: number })[]): Promise<({ round: Round; card: Queued } | undefined)[]> {
  const created = new Map((await createRounds(work.trx, list.map((o) => roundRow(work, o)))).map((r) => [r.schedule_id, r]));
  const opened: ({ round: Round; card: Queued } | undefined)[] = [];
  for (const o of list) {
    const round = created.get(o.scheduleId);
    // A schedule that appears twice gets its round once.
    created.delete(o.scheduleId);
    opened.push(round && { round, card: await announce(work, o, round) });
  }
  return opened;
}

function roundRow(work: Work, o: OpenRound): NewRound {
  return {
    team_id: o.team.id,
    channel_id: o.channel.id,
    kind: o.kind,
    question_id: o.question.id,
    schedule_id: o.scheduleId ?? null,
    quiz_id: o.quiz?.id ?? null,
    position: o.quiz?.position ?? null,
    local_date: o.localDate ?? null,
    blind: o.blind && o.question.kind === 'open',
    status: 'open',
    opened_at: work.now,
    closes_at: o.closesAt,
    closed_at: null,
    message_ref: null,
    thread_ref: o.quiz?.threadRef ?? null,
    started_by: o.startedBy ?? null,
  };
}

/** Queues the card of a round just created. */
async function announce(work: Work, o: OpenRound, round: Round): Promise<Queued> {
  const card = questionCard(questionView(o.question), {
    roundId: round.id,
    title: o.title,
    closesAt: o.closesAt,
    timezone: o.timezone ?? o.team.timezone,
    blind: round.blind,
    answerForm: !capabilitiesOf(work.deps.chat, teamRefOf(o.team)).threadReplies,
    selfCheck: o.kind !== 'quiz',
  });
  const origin = { teamId: o.team.id, channelId: o.channel.id, scheduleId: o.scheduleId ?? null, roundId: round.id };
  if (o.quiz) return send(work, origin, { kind: 'reply', to: { quizId: o.quiz.id }, message: card });
  const title = promptTitle(o.question.prompt);
  const name = title.length > 90 ? `${title.slice(0, 88)}…` : title;
  return send(work, origin, { kind: 'post', channel: o.channel.platform_channel_id, message: card, thread: { name }, link: { roundId: round.id } });
}

/**
 * Closes a round once: scores its answers, posts the lesson and the summary, and pings mentors when
 * answers wait for review. False when it was already closed (another instance or a restart won).
 */
export async function closeRound(work: Work, round: Round, team: Team, channel: Channel): Promise<boolean> {
  if (!(await markRoundClosed(work.trx, round.id, work.now))) return false;
  const question = await findQuestion(work.trx, team.id, round.question_id);
  if (!question) return true;
  const view = questionView(question);
  const answers = (await answersOfRound(work.trx, round.id)).filter((a) => a.status === 'active' && !a.late);
  const base = { team_id: team.id, channel_id: channel.id, round_id: round.id, created_at: work.now };
  const blocks: Block[] = [{ type: 'header', text: round.kind === 'quiz' ? `Time's up: question ${(round.position ?? 0) + 1}` : "Time's up" }];

  for (const a of answers) {
    await addPoints(work.trx, { ...base, member_id: a.member_id, answer_id: a.id, kind: 'participation', points: POINTS.participation }, `participation:${a.id}`);
  }
  if (round.kind === 'qotd') {
    for (const a of answers) {
      const bonus = qotdStreakBonus(await qotdStreak(work.trx, round.team_id, round.channel_id, a.member_id, round.local_date ?? undefined));
      if (bonus > 0) await addPoints(work.trx, { ...base, member_id: a.member_id, answer_id: a.id, kind: 'streak', points: bonus }, `streak:${a.id}`);
    }
  }

  if (question.kind === 'choice' && question.options) {
    const correctIndex = question.options.findIndex((o) => o.correct);
    const counts = question.options.map((_, i) => answers.filter((a) => a.choice_index === i).length);
    const windowMs = round.closes_at.getTime() - round.opened_at.getTime();
    const winners: string[] = [];
    for (const a of answers.filter((x) => x.choice_index === correctIndex)) {
      const pts = choicePoints(a.response_ms ?? windowMs, windowMs);
      await addPoints(work.trx, { ...base, member_id: a.member_id, answer_id: a.id, kind: 'correct', points: pts.correct }, `correct:${a.id}`);
      if (pts.speed > 0) await addPoints(work.trx, { ...base, member_id: a.member_id, answer_id: a.id, kind: 'speed', points: pts.speed }, `speed:${a.id}`);
      if (round.quiz_id !== null) {
        // One streak event per answer: a quiz's run, or (below) the question of the day's.
        const bonus = quizStreakBonus((await quizCorrectRun(work.trx, round, a.member_id)) + 1);
        if (bonus > 0) await addPoints(work.trx, { ...base, member_id: a.member_id, answer_id: a.id, kind: 'streak', points: bonus }, `streak:${a.id}`);
      }
      winners.push(a.display_name);
    }
    // Each answer is also a review of the member's practice card: right "good", wrong "again".
    for (const a of answers) {
      if (a.choice_index !== null) await rememberGrade(work, team.id, a.member_id, question.id, gradeOfChoice(a.choice_index === correctIndex), `round:${round.id}`);
    }
    blocks.push(...lessonBlocks(view), distributionTable(view, counts), ...wrongPickBlocks(view, counts));
    blocks.push({ type: 'context', text: winners.length ? `Correct: ${names(winners)}.` : answers.length ? 'Nobody got it this time.' : 'No answers this time.' });
  } else {
    blocks.push(...lessonBlocks(view));
    // Answers nobody could read in the thread: a blind round's, and those given through the Answer form.
    const formParts = round.blind ? undefined : await formPartsOfRound(work.trx, team.id, round.id);
    const unseen = answers.flatMap((a) => {
      const text = formParts ? formParts.get(a.id) : a.body;
      return text === undefined ? [] : [{ text, author: a.display_name }];
    });
    if (unseen.length) {
      blocks.push({ type: 'text', text: 'The answers' });
      for (const a of unseen) blocks.push({ type: 'quote', text: a.text, author: a.author });
    }
    blocks.push({ type: 'context', text: answers.length ? `${plural(answers.length, 'answer')} from ${names(answers.map((a) => a.display_name))}. Thanks!` : 'No answers this time.' });
  }
  const origin = { teamId: team.id, channelId: channel.id, roundId: round.id };
  await send(work, origin, { kind: 'reply', to: round.quiz_id !== null ? { quizId: round.quiz_id } : { roundId: round.id }, message: message(blocks) });

  if (question.kind === 'open' && answers.length > 0) {
    const mentors = await membersWithRole(work.trx, team.id, ['mentor']);
    const waiting = await pendingReviewCount(work.trx, team.id);
    if (mentors.length > 0) {
      await send(work, origin, {
        kind: 'reply',
        to: round.quiz_id !== null ? { quizId: round.quiz_id } : { roundId: round.id },
        message: message([
          // A mapped role can make hundreds of mentors (Discord refuses over 100 mentions in a message).
          { type: 'mention', userIds: mentors.slice(0, MENTION_AT_MOST).map((m) => m.platform_user_id), text: `${mentors.length > MENTION_AT_MOST ? `and ${mentors.length - MENTION_AT_MOST} more mentors: ` : ''}${plural(waiting, 'answer')} waiting for review.` },
          { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'review-next' }), label: 'Review an answer', style: 'primary' }] },
        ]),
      });
    }
  }
  return true;
}
