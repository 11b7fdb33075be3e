/**
 * Quiz rounds: an announcement that opens a thread, then the questions one after another, each open
 * for `seconds`; the tick closes each question and opens the next; at the end, the standings.
 */
import { findQuestion, knownTopics, questionPool } from '../db/repos/questions.js';
import { pointsOfRounds } from '../db/repos/ledger.js';
import { createQuiz, findQuiz, lockQuiz, openRoundsOfQuiz, roundsOfQuiz, runningQuiz, updateQuiz } from '../db/repos/rounds.js';
import { findChannel, findTeam } from '../db/repos/tenancy.js';
import type { Channel, Quiz, Team } from '../db/repos/types.js';
import { encodeAction } from './actions.js';
import type { Intent } from './commands.js';
import type { Ctx, Work } from './context.js';
import { atLeast } from './context.js';
import { send } from './outbox.js';
import { unknownTopicText } from './topics.js';
import { message } from './messages.js';
import { capabilitiesOf, type Outcome } from './ports.js';
import { commandFor } from './help.js';
import { ephemeral, type FlowOutcome } from './announce.js';
import { plural, standingsTable } from './render.js';
import { closeRound, openRound } from './rounds.js';
import { pickForChannel } from './selection.js';

export async function startQuiz(ctx: Ctx, intent: Extract<Intent, { cmd: 'quiz' }>): Promise<FlowOutcome> {
  if (await runningQuiz(ctx.trx, ctx.channel.id)) {
    const stop = commandFor(capabilitiesOf(ctx.deps.chat, ctx.teamRef).commandStyle, 'quiz stop');
    return ephemeral(`A quiz is already running in this channel. Join it in its thread, or ${stop} to end it (its starter or an admin).`);
  }
  if (intent.topic && !(await knownTopics(ctx.trx, ctx.team.id)).includes(intent.topic)) {
    return ephemeral(await unknownTopicText(ctx.trx, ctx.team.id, [intent.topic]));
  }
  const kinds = intent.kind === 'mixed' ? undefined : [intent.kind];
  const pool = await questionPool(ctx.trx, ctx.team.id, { topics: intent.topic ? [intent.topic] : undefined, difficulty: intent.difficulty, kinds, ...(intent.category ? { categories: [intent.category] } : {}) });
  const ids = await pickForChannel(ctx, { teamId: ctx.team.id, channelId: ctx.channel.id }, pool, { count: intent.count });
  if (ids.length === 0) return ephemeral('No questions match that quiz. Try another topic or difficulty.');
  const quiz = await createQuiz(ctx.trx, {
    team_id: ctx.team.id,
    channel_id: ctx.channel.id,
    started_by: ctx.member.id,
    status: 'running',
    params: { kind: intent.kind, count: intent.count, ...(intent.topic ? { topic: intent.topic } : {}), ...(intent.difficulty ? { difficulty: intent.difficulty } : {}), ...(intent.category ? { category: intent.category } : {}) },
    question_ids: ids,
    seconds_per_question: intent.seconds,
    thread_ref: null,
    message_ref: null,
    started_at: ctx.now,
    ended_at: null,
  });
  if (!quiz) return ephemeral('A quiz is already running in this channel.');
  const about = [intent.topic, intent.category, intent.difficulty].filter(Boolean).join(', ');
  const announcement = message([
    { type: 'header', text: `Quiz time${about ? `: ${about}` : ''}` },
    { type: 'text', text: `${ctx.member.display_name || 'Someone'} started a quiz: ${plural(ids.length, 'question')}, ${intent.seconds} seconds each. Questions appear in this thread.` },
    { type: 'context', text: `Choice questions: click an option (faster correct answers score more). Open questions: ${capabilitiesOf(ctx.deps.chat, ctx.teamRef).threadReplies ? 'reply in the thread' : 'press Answer on the question'}.` },
    { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'quiz-stop', quizId: quiz.id }), label: 'Stop quiz', style: 'danger' }] },
  ]);
  const queued = await send(ctx, { teamId: ctx.team.id, channelId: ctx.channel.id }, { kind: 'post', channel: ctx.channel.platform_channel_id, message: announcement, thread: { name: `Quiz${about ? `: ${about}` : ''}` }, link: { quizId: quiz.id } });
  await openQuizQuestion(ctx, quiz, ctx.team, ctx.channel, 0);
  // Fewer questions match than were asked for: say so rather than run a shorter quiz silently.
  const starting = ids.length < intent.count ? `Only ${plural(ids.length, 'question matches', 'questions match')} that, so your quiz runs ${ids.length}.` : `Your quiz is starting: ${plural(ids.length, 'question')}.`;
  return {
    confirm: {
      queued,
      sent: starting,
      failed: (reason) => `I couldn't start the quiz in this channel: ${reason}. Add me to the channel (or pick one I'm in), then try again.`,
    },
  };
}

async function openQuizQuestion(work: Work, quiz: Quiz, team: Team, channel: Channel, position: number): Promise<void> {
  const question = await findQuestion(work.trx, team.id, quiz.question_ids[position]!);
  if (!question) return;
  await updateQuiz(work.trx, quiz.id, { current_position: position });
  await openRound(work, {
    team,
    channel,
    question,
    kind: 'quiz',
    closesAt: new Date(work.now.getTime() + quiz.seconds_per_question * 1000),
    blind: false,
    title: `Question ${position + 1} of ${quiz.question_ids.length}`,
    quiz: { id: quiz.id, position, threadRef: quiz.thread_ref },
    startedBy: quiz.started_by ?? undefined,
  });
}

/** After a quiz question closed: the next question, or the end of the quiz. */
export async function advanceQuiz(work: Work, quizId: number, closedPosition: number): Promise<void> {
  const quiz = await lockQuiz(work.trx, quizId);
  if (!quiz || quiz.status !== 'running' || quiz.current_position !== closedPosition) return;
  const team = await findTeam(work.trx, quiz.team_id);
  const channel = await findChannel(work.trx, quiz.channel_id);
  if (!team || !channel) return;
  if (closedPosition + 1 < quiz.question_ids.length) {
    await openQuizQuestion(work, quiz, team, channel, closedPosition + 1);
  } else {
    await finishQuiz(work, quiz, 'finished');
  }
}

async function finishQuiz(work: Work, quiz: Quiz, status: 'finished' | 'stopped', by?: string): Promise<void> {
  await updateQuiz(work.trx, quiz.id, { status, ended_at: work.now });
  const rounds = await roundsOfQuiz(work.trx, quiz.id);
  const rows = await pointsOfRounds(work.trx, rounds.map((r) => r.id));
  const blocks = [
    { type: 'header' as const, text: status === 'stopped' ? `Quiz stopped${by ? ` by ${by}` : ''}` : 'Quiz over: the standings' },
    rows.length ? standingsTable(rows.slice(0, 10).map((r) => ({ name: r.display_name, points: r.points, extra: String(r.correct) })), 'Correct') : { type: 'text' as const, text: 'Nobody scored this time.' },
  ];
  if (rows[0] && rows[0].correct > 0) blocks.push({ type: 'text', text: `Well played, ${rows[0].display_name}!` });
  await send(work, { teamId: quiz.team_id, channelId: quiz.channel_id }, { kind: 'reply', to: { quizId: quiz.id }, message: message(blocks) });
}

export async function stopQuiz(ctx: Ctx, quizId?: number): Promise<Outcome> {
  const running = quizId !== undefined ? await findQuiz(ctx.trx, ctx.team.id, quizId) : await runningQuiz(ctx.trx, ctx.channel.id);
  if (!running || running.status !== 'running') return ephemeral('No quiz is running here.');
  if (running.started_by !== ctx.member.id && !atLeast(ctx.role, 'admin')) {
    return ephemeral('Only the person who started this quiz or an admin can stop it.');
  }
  const quiz = (await lockQuiz(ctx.trx, running.id))!;
  if (quiz.status !== 'running') return ephemeral('That quiz has already ended.');
  const team = ctx.team;
  const channel = (await findChannel(ctx.trx, quiz.channel_id)) ?? ctx.channel;
  for (const round of await openRoundsOfQuiz(ctx.trx, quiz.id)) await closeRound(ctx, round, team, channel);
  await finishQuiz(ctx, quiz, 'stopped', ctx.member.display_name);
  return ephemeral('The quiz is stopped.');
}
