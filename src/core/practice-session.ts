/**
 * Personal practice with spaced repetition: `/dojo practice` hands the member their most overdue question
 * privately (or a new one), they answer before the key points are revealed (a choice by its button, an
 * open one in the form or in their head), then rate how well they knew it; the rating schedules the
 * question's next review (spaced.ts). Self-checks on channel cards feed the same cards.
 */
import { findCard } from '../db/repos/practice.js';
import { findVisibleQuestion, knownTopics } from '../db/repos/questions.js';
import { findRound } from '../db/repos/rounds.js';
import { encodeModal, type Action } from './actions.js';
import { ephemeral } from './announce.js';
import type { Ctx } from './context.js';
import type { Block } from './messages.js';
import { blocksToText } from './messages.js';
import { pickPractice, rememberGrade, memberTopics } from './practice-cards.js';
import { choiceResultBlocks, nextButton, practiceQuestionBlocks, practiceSource, revealBlocks } from './practice-render.js';
import type { Outcome } from './ports.js';
import { promptBlocks } from './prompt.js';
import { questionView } from './rounds.js';
import { gradeOfChoice, gradeOfSelfCheck, waitText, type Grade } from './spaced.js';
import { formatLocal } from './time.js';
import { unknownTopicText } from './topics.js';

type SelfRating = 'knew' | 'unsure' | 'didnt';
const SAID: Record<SelfRating, string> = { knew: 'knew it', unsure: 'were unsure', didnt: "didn't know it" };
const SAID_STORY: Record<SelfRating, string> = { knew: 'had a story ready', unsure: 'said your story needs work', didnt: 'have no story yet' };
const GRADE_NAME: Record<Grade, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };
const MAX_ANSWER = 3000;

const blocksReply = (blocks: Block[]): Outcome => ephemeral(blocksToText(blocks), blocks);
const gone = () => ephemeral('That question is no longer here.');

/** A self-check on a channel's question card: a review of the member's card for that question. */
export async function selfCheckRound(ctx: Ctx, roundId: number, rating: SelfRating): Promise<Outcome> {
  const round = await findRound(ctx.trx, ctx.team.id, roundId);
  if (!round) return gone();
  return selfCheck(ctx, round.question_id, rating, `round:${round.id}`);
}

/** A self-check (the knew it / unsure / didn't know buttons); an earlier version's practice buttons too. */
export async function selfCheck(ctx: Ctx, questionId: number, rating: SelfRating, source = 'self-check'): Promise<Outcome> {
  // The id comes from a button: only a question this team's members may see can be scheduled.
  const question = await findVisibleQuestion(ctx.trx, ctx.team.id, questionId);
  if (!question) return gone();
  const card = await rememberGrade(ctx, ctx.team.id, ctx.member.id, questionId, gradeOfSelfCheck(rating), source);
  const said = question.category === 'behavioral' || question.category === 'situational' ? SAID_STORY : SAID;
  return ephemeral(`Noted: you ${said[rating]}. /dojo practice brings it back in ${waitText(ctx.now, card.due)}.`);
}

/** `/dojo practice [topic:T|weakest]`, and the Next question / New question buttons. */
export async function practice(ctx: Ctx, options: { topic?: string; fresh?: boolean } = {}): Promise<Outcome> {
  let topic = options.topic?.toLowerCase();
  let note: string | undefined;
  if (topic === 'weakest') {
    const weakest = (await memberTopics(ctx.trx, ctx.team.id, ctx.member.id, ctx.now)).at(-1);
    topic = weakest?.area;
    note = weakest ? `Your weakest topic: ${weakest.area} (${Math.round(weakest.score * 100)}%).` : 'No scored answers or practice yet, so any topic will do.';
  } else if (topic && !(await knownTopics(ctx.trx, ctx.team.id)).includes(topic)) {
    return ephemeral(await unknownTopicText(ctx.trx, ctx.team.id, [topic]));
  }
  const pick = await pickPractice(ctx, { teamId: ctx.team.id, memberId: ctx.member.id }, { ...(topic ? { topic } : {}), fresh: options.fresh ?? false });
  const where = topic ? ` in ${topic}` : '';
  if (pick.kind === 'later') {
    const text = `Nothing is due${where} right now. Your next review is in ${waitText(ctx.now, pick.next)} (${formatLocal(pick.next, ctx.team.timezone)}).`;
    return blocksReply([...(note ? [{ type: 'context' as const, text: note }] : []), { type: 'text', text }, { type: 'buttons', buttons: [nextButton(topic, true, 'New question')] }]);
  }
  if (pick.kind === 'none') {
    const next = pick.next ? ` Your next review is in ${waitText(ctx.now, pick.next)}.` : '';
    return ephemeral(`You have practised every question${where}.${next}`);
  }
  return blocksReply(practiceQuestionBlocks(pick.question, { card: pick.card, due: pick.due, ...(note ? { note } : {}) }));
}

async function practised(ctx: Ctx, questionId: number) {
  const q = await findVisibleQuestion(ctx.trx, ctx.team.id, questionId);
  return q && { question: questionView(q), card: await findCard(ctx.trx, ctx.team.id, ctx.member.id, questionId) };
}

/** A choice picked in practice: right is a "good" review, wrong an "again"; a right one may be rated harder or easier. */
export async function practiceChoice(ctx: Ctx, questionId: number, reps: number, index: number): Promise<Outcome> {
  const found = await practised(ctx, questionId);
  if (!found) return gone();
  const { question } = found;
  if (question.kind !== 'choice' || !question.options || index >= question.options.length) return ephemeral('That is not one of the options.');
  const due = await rememberGrade(ctx, ctx.team.id, ctx.member.id, questionId, gradeOfChoice(question.options[index]!.correct), practiceSource(reps));
  const card = await findCard(ctx.trx, ctx.team.id, ctx.member.id, questionId);
  return blocksReply(choiceResultBlocks(question, index, card, reps, ctx.now, due.due));
}

/** "Show key points" on an open practice question. */
export async function practiceReveal(ctx: Ctx, questionId: number, reps: number): Promise<Outcome> {
  const found = await practised(ctx, questionId);
  return found ? blocksReply(revealBlocks(found.question, found.card, reps, ctx.now)) : gone();
}

/** "Write my answer": the form; its answer is shown back beside the key points, and not kept. */
export async function practiceAnswerModal(ctx: Ctx, questionId: number, reps: number): Promise<Outcome> {
  const q = await findVisibleQuestion(ctx.trx, ctx.team.id, questionId);
  if (!q) return gone();
  return {
    modal: {
      id: encodeModal({ kind: 'practice-answer', questionId, reps }),
      title: 'Your answer',
      submit: 'Compare',
      intro: promptBlocks(q.prompt),
      fields: [{ type: 'text', id: 'body', label: 'Answer', multiline: true, required: true, maxLength: MAX_ANSWER }],
    },
  };
}

export async function practiceAnswerSubmit(ctx: Ctx, questionId: number, reps: number, values: Record<string, string>): Promise<Outcome> {
  const found = await practised(ctx, questionId);
  if (!found) return gone();
  const body = (values.body ?? '').trim().slice(0, MAX_ANSWER);
  return blocksReply(revealBlocks(found.question, found.card, reps, ctx.now, body || undefined));
}

/** Again / Hard / Good / Easy after the key points: the review that schedules the question. */
export async function practiceRate(ctx: Ctx, questionId: number, reps: number, grade: Grade): Promise<Outcome> {
  const q = await findVisibleQuestion(ctx.trx, ctx.team.id, questionId);
  if (!q) return gone();
  const card = await rememberGrade(ctx, ctx.team.id, ctx.member.id, questionId, grade, practiceSource(reps));
  const text = `Noted: ${GRADE_NAME[grade]}. It comes back in ${waitText(ctx.now, card.due)} (${formatLocal(card.due, ctx.team.timezone)}).`;
  return blocksReply([{ type: 'text', text }, { type: 'buttons', buttons: [nextButton()] }]);
}

type PracticeAction = Extract<Action, { kind: 'practice-choice' | 'practice-reveal' | 'practice-answer' | 'practice-rate' | 'practice-next' }>;

/** The buttons of practice messages (in a reply or the daily DM). */
export async function practiceButton(ctx: Ctx, a: PracticeAction): Promise<Outcome> {
  switch (a.kind) {
    case 'practice-choice':
      return practiceChoice(ctx, a.questionId, a.reps, a.index);
    case 'practice-reveal':
      return practiceReveal(ctx, a.questionId, a.reps);
    case 'practice-answer':
      return practiceAnswerModal(ctx, a.questionId, a.reps);
    case 'practice-rate':
      return practiceRate(ctx, a.questionId, a.reps, a.grade);
    case 'practice-next':
      return practice(ctx, { fresh: a.fresh, ...(a.topic ? { topic: a.topic } : {}) });
    default: {
      const never: never = a;
      throw new Error(`unknown practice action ${JSON.stringify(never)}`);
    }
  }
}
