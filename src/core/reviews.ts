/**
 * Mentor reviews: the oldest pending answer of the team, claimed for 30 minutes so two mentors never
 * get the same one; a rubric per category (0-4 a criterion), feedback that reaches the member, and an
 * optional best-answer pick. Answers pending over 24 hours remind the mentors once.
 */
import { answerById, answersNeedingReminder, claimNextPending, markReminded, updateAnswer } from '../db/repos/answers.js';
import { addPoints, pickBestAnswer } from '../db/repos/ledger.js';
import { findQuestion } from '../db/repos/questions.js';
import { saveReview } from '../db/repos/reviews.js';
import { findRound } from '../db/repos/rounds.js';
import { findMember, membersWithRole } from '../db/repos/tenancy.js';
import type { Answer, Question } from '../db/repos/types.js';
import { encodeAction, encodeModal } from './actions.js';
import type { Ctx, Work } from './context.js';
import { send } from './outbox.js';
import { message, type Modal } from './messages.js';
import { ephemeral } from './announce.js';
import type { Outcome } from './ports.js';
import { promptBlocks } from './prompt.js';
import { lessonBlocks, plural } from './render.js';
import { questionView } from './rounds.js';
import { rememberGrade } from './practice-cards.js';
import { MAX_CRITERION, POINTS, rubricFor } from './scoring.js';
import { gradeOfScore } from './spaced.js';

export const CLAIM_MS = 30 * 60_000;
export const REMIND_AFTER_MS = 24 * 3_600_000;

/** `/dojo review` or the review button: claim the next answer and open the review modal. */
export async function nextReview(ctx: Ctx): Promise<Outcome> {
  const answer = await claimNextPending(ctx.trx, ctx.team.id, ctx.member.id, ctx.now, new Date(ctx.now.getTime() + CLAIM_MS));
  if (!answer) return ephemeral('No answers are waiting for review. Nice work!');
  const round = await findRound(ctx.trx, ctx.team.id, answer.round_id);
  const question = round && (await findQuestion(ctx.trx, ctx.team.id, round.question_id));
  if (!question) return ephemeral('That answer’s question is gone; try /dojo review again.');
  return { modal: reviewModal(question, answer) };
}

/**
 * The review form. After a submit that did not validate it opens again with what the mentor chose and
 * typed (`typed`) and the problem on top, so nothing is lost (Slack keeps its form open instead).
 */
function reviewModal(question: Question, answer: Answer, typed?: Record<string, string>, problem?: string): Modal {
  const rubric = rubricFor(question.category);
  const scale = Array.from({ length: MAX_CRITERION + 1 }, (_, i) => ({ value: String(i), label: `${i}` }));
  const lesson = lessonBlocks(questionView(question));
  const initial = (id: string) => (typed?.[id]?.trim() ? { initial: typed[id]!.trim() } : {});
  return {
    id: encodeModal({ kind: 'review', answerId: answer.id }),
    title: 'Review an answer',
    submit: 'Send review',
    intro: [
      ...(problem ? [{ type: 'text' as const, text: `Almost there: ${problem}` }] : []),
      ...promptBlocks(question.prompt),
      { type: 'quote', text: answer.body, author: 'Their answer' },
      ...lesson,
      { type: 'context', text: 'This answer is yours to review for 30 minutes.' },
    ],
    fields: [
      ...rubric.map((c) => ({ type: 'select' as const, id: c.id, label: `${c.label} (0-${MAX_CRITERION})`, options: scale, required: true, ...initial(c.id) })),
      { type: 'text', id: 'feedback', label: 'Feedback for them', multiline: true, required: true, maxLength: 2000, ...initial('feedback') },
      { type: 'checkbox', id: 'best', label: 'Best answer of this round' },
    ],
  };
}

/** A submit that did not validate: the error on its field, and the form again with what was typed. */
function invalid(question: Question, answer: Answer, values: Record<string, string>, field: string, problem: string): Outcome {
  return { ...ephemeral(problem), fieldErrors: { [field]: problem }, modal: reviewModal(question, answer, values, problem) };
}

export async function submitReview(ctx: Ctx, answerId: number, values: Record<string, string>): Promise<Outcome> {
  const answer = await answerById(ctx.trx, ctx.team.id, answerId);
  if (!answer) return ephemeral('That answer is gone (its author may have deleted it).');
  if (answer.member_id === ctx.member.id) return ephemeral('You can’t review your own answer.');
  if (answer.review_status === 'reviewed') return ephemeral('That answer was already reviewed.');
  if (answer.status !== 'active') return ephemeral('That answer was withdrawn by its author.');
  if (answer.claimed_by !== null && answer.claimed_by !== ctx.member.id && answer.claim_expires_at && answer.claim_expires_at > ctx.now) {
    return ephemeral('Another mentor is reviewing that answer.');
  }
  const round = await findRound(ctx.trx, ctx.team.id, answer.round_id);
  const question = round && (await findQuestion(ctx.trx, ctx.team.id, round.question_id));
  if (!round || !question) return ephemeral('That answer’s question is gone.');
  const rubric = rubricFor(question.category);
  const scores: Record<string, number> = {};
  for (const c of rubric) {
    const raw = values[c.id] ?? '';
    if (!/^[0-4]$/.test(raw.trim())) return invalid(question, answer, values, c.id, `${c.label} needs a score from 0 to ${MAX_CRITERION}.`);
    scores[c.id] = Number(raw.trim());
  }
  const feedback = (values.feedback ?? '').trim();
  if (!feedback) return invalid(question, answer, values, 'feedback', 'Please write a line of feedback; it is what helps them most.');
  const best = values.best === 'true';
  const total = Object.values(scores).reduce((a, b) => a + b, 0);
  const inserted = await saveReview(ctx.trx, ctx.team.id, { answerId: answer.id, mentorId: ctx.member.id, scores, total, feedback, best }, ctx.now);
  if (!inserted) return ephemeral('That answer was already reviewed.');
  await updateAnswer(ctx.trx, answer.id, { review_status: 'reviewed', claimed_by: null, claim_expires_at: null });
  const base = { team_id: ctx.team.id, member_id: answer.member_id, channel_id: round.channel_id, round_id: round.id, answer_id: answer.id, created_at: ctx.now };
  if (total > 0) await addPoints(ctx.trx, { ...base, kind: 'review', points: total }, `review:${answer.id}`);
  // The score is also a review of the author's practice card for the question.
  await rememberGrade(ctx, ctx.team.id, answer.member_id, question.id, gradeOfScore(total, rubric.length * MAX_CRITERION), `review:${answer.id}`);
  // One best answer per round: a later pick replaces the earlier one (reversed in the ledger).
  if (best) await pickBestAnswer(ctx.trx, base, POINTS.bestAnswer);

  const author = await findMember(ctx.trx, ctx.team.id, answer.member_id);
  if (author) {
    const max = rubric.length * MAX_CRITERION;
    const dm = message([
      { type: 'header', text: 'A mentor reviewed your answer' },
      { type: 'text', text: question.prompt },
      { type: 'fields', fields: rubric.map((c) => ({ label: c.label, value: `${scores[c.id]}/${MAX_CRITERION}` })) },
      { type: 'text', text: `Score: ${total}/${max}${best ? ' · picked as the best answer!' : ''}` },
      { type: 'quote', text: feedback, author: ctx.member.display_name || 'Your mentor' },
    ]);
    const origin = { teamId: ctx.team.id, channelId: round.channel_id, roundId: round.id };
    await send(ctx, origin, { kind: 'dm', userId: author.platform_user_id, message: dm });
    if (round.closed_at && ctx.now.getTime() - round.closed_at.getTime() < 7 * 86_400_000) {
      await send(ctx, origin, {
        kind: 'reply',
        to: round.quiz_id !== null ? { quizId: round.quiz_id } : { roundId: round.id },
        message: message([{ type: 'mention', userIds: [author.platform_user_id], text: `a mentor reviewed your answer${best ? ' and picked it as the best one' : ''}. Details in your DMs.` }]),
      });
    }
  }
  return { reply: { text: `Thanks! Review sent (${total}/${rubric.length * MAX_CRITERION}).`, visibility: 'ephemeral', blocks: [{ type: 'text', text: `Thanks! Review sent (${total}/${rubric.length * MAX_CRITERION}).` }, { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'review-next' }), label: 'Review the next one', style: 'primary' }] }] } };
}

/** The tick's job: remind mentors of answers waiting over 24 hours (once per answer). */
export async function remindMentors(work: Work): Promise<number> {
  let reminded = 0;
  for (const { team_id, ids } of await answersNeedingReminder(work.trx, new Date(work.now.getTime() - REMIND_AFTER_MS))) {
    const mentors = await membersWithRole(work.trx, team_id, ['mentor', 'admin']);
    const text = `${plural(ids.length, 'answer has', 'answers have')} waited over a day for review. /dojo review picks the oldest.`;
    for (const m of mentors) {
      await send(work, { teamId: team_id }, { kind: 'dm', userId: m.platform_user_id, message: message([{ type: 'text', text }, { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'review-next' }), label: 'Review one now', style: 'primary' }] }]) });
    }
    await markReminded(work.trx, ids, work.now);
    reminded += ids.length;
  }
  return reminded;
}
