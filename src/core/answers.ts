/**
 * Answers: thread replies (extended by further replies, updated by edits, withdrawn by deletion),
 * button choices (changeable until close), and private answers by modal for blind rounds. Answers
 * after close are kept, marked late, and score nothing. A replayed message changes nothing.
 */
import { addPart, findAnswer, insertAnswer, recordMessage, refreshAnswerBody, updateAnswer, updatePart, type AnswerPart } from '../db/repos/answers.js';
import { choiceRound, recordPick } from '../db/repos/choices.js';
import { findQuestion } from '../db/repos/questions.js';
import { findRound } from '../db/repos/rounds.js';
import type { Answer, Round } from '../db/repos/types.js';
import type { Ctx } from './context.js';
import { encodeModal } from './actions.js';
import { ephemeral } from './announce.js';
import type { Outcome } from './ports.js';
import { onFormAnswer } from './form-answers.js';
import { promptBlocks } from './prompt.js';
import { LETTERS } from './render.js';

const MAX_ANSWER = 20_000;

/**
 * A new answer row for the caller on a round, with what the kind of answer needs; when the member's
 * other delivery got there first ('exists'), that answer, locked, to go on with.
 */
export async function newAnswer(ctx: Ctx, round: Round, fields: AnswerFields): Promise<{ status: 'recorded' | 'exists'; answer: Answer }> {
  const made = await insertAnswer(ctx.trx, answerRow(ctx, round, fields));
  if (made.status === 'recorded') return made;
  const answer = await findAnswer(ctx.trx, round.id, ctx.member.id);
  if (!answer) throw new Error(`answer of member ${ctx.member.id} on round ${round.id} exists and is gone`);
  return { status: 'exists', answer };
}

type AnswerFields = { body: string; choiceIndex?: number; late: boolean; reviewable: boolean };

/** The row of a member's new answer on a round. */
function answerRow(ctx: Ctx, round: Round, fields: AnswerFields) {
  return {
    team_id: ctx.team.id,
    round_id: round.id,
    member_id: ctx.member.id,
    body: fields.body,
    choice_index: fields.choiceIndex ?? null,
    response_ms: Math.max(0, ctx.now.getTime() - round.opened_at.getTime()),
    status: 'active' as const,
    late: fields.late,
    review_status: fields.reviewable && !fields.late ? ('pending' as const) : ('none' as const),
    claimed_by: null,
    claim_expires_at: null,
    reminded_at: null,
    answered_at: ctx.now,
    updated_at: ctx.now,
  };
}

export function isLate(round: Round, now: Date): boolean {
  return round.status === 'closed' || now.getTime() >= round.closes_at.getTime();
}

/** A message in the thread of an open-question round (the front door found the round). */
export async function onThreadMessage(ctx: Ctx, round: Round, messageRef: string, text: string): Promise<Outcome> {
  const late = isLate(round, ctx.now);
  // A closed blind round is blind no more: a late reply is kept and shown as late, as on every round.
  if (round.blind && !late) {
    return ephemeral('This round is blind: use the "Answer privately" button so others can’t see your answer before it closes.');
  }
  const body = text.slice(0, MAX_ANSWER);
  // Usually one statement: their answer made with this message, or this message added to their answer.
  const recorded = await recordMessage(ctx.trx, answerRow(ctx, round, { body, late, reviewable: true }), messageRef, ctx.now);
  if (recorded.status === 'new') {
    if (late) return ephemeral('This question has closed, so your answer is kept as late and scores nothing. The next one is coming!');
    acknowledge(ctx, messageRef);
    return {};
  }
  if (recorded.status === 'exists') return extended(ctx, recorded.answer, recorded.partAdded, late, messageRef);
  // Their other delivery was making the answer at this moment: go on with it the long way.
  let existing = await findAnswer(ctx.trx, round.id, ctx.member.id);
  if (!existing) {
    const made = await newAnswer(ctx, round, { body, late, reviewable: true });
    if (made.status === 'recorded') {
      await addPart(ctx.trx, made.answer.id, messageRef, body, ctx.now);
      if (late) return ephemeral('This question has closed, so your answer is kept as late and scores nothing. The next one is coming!');
      acknowledge(ctx, messageRef);
      return {};
    }
    existing = made.answer;
  }
  return extended(ctx, existing, await addPart(ctx.trx, existing.id, messageRef, body, ctx.now), late, messageRef);
}

/** A further message of an answer, added as a part (`added` false: a replay). */
async function extended(ctx: Ctx, existing: Answer, added: boolean, late: boolean, messageRef: string): Promise<Outcome> {
  if (!added) return {}; // a replay
  // A reply after close is kept with the answer but does not change what was scored or reviewed.
  if (late && !existing.late) return {};
  await refreshBody(ctx, existing, { reactivate: true });
  if (!late) acknowledge(ctx, messageRef);
  return {};
}

/**
 * A reaction on the member's message, so they see it counted (Slack and Discord: ✅). Best effort and
 * cheap, so not through the outbox: it follows the commit but is worth neither a row nor a retry, and
 * nothing waits for it (Slack's answer to the event waits for the core). Measured with the memory
 * adapter on PGlite, an outbox row per reply doubled the time to record an answer.
 */
function acknowledge(ctx: Ctx, messageRef: string): void {
  const { chat, log } = ctx.deps;
  if (!chat.react) return;
  const team = ctx.teamRef;
  ctx.tx.afterCommit(() => {
    chat.react?.(team, messageRef, 'recorded').catch((error: unknown) => log.info({ err: error }, 'could not add a reaction to an answer'));
  });
}

export async function onThreadEdit(ctx: Ctx, part: AnswerPart, text: string): Promise<Outcome> {
  if (part.member_id !== ctx.member.id || part.deleted) return {};
  const round = await findRound(ctx.trx, ctx.team.id, part.round_id, { forAnswer: true });
  if (!round || isLate(round, ctx.now)) return {}; // edits after close do not rewrite history
  await updatePart(ctx.trx, part.part_id, { body: text.slice(0, MAX_ANSWER) }, ctx.now);
  const answer = await findAnswer(ctx.trx, part.round_id, part.member_id);
  if (answer) await refreshBody(ctx, answer);
  return {};
}

export async function onThreadDelete(ctx: Ctx, part: AnswerPart): Promise<Outcome> {
  if (part.deleted) return {};
  const round = await findRound(ctx.trx, ctx.team.id, part.round_id, { forAnswer: true });
  const answer = await findAnswer(ctx.trx, part.round_id, part.member_id);
  // After the close, what was scored stays as it was scored (a late answer, which scored nothing, may go).
  if (!round || (isLate(round, ctx.now) && !answer?.late)) return {};
  await updatePart(ctx.trx, part.part_id, { deleted: true }, ctx.now);
  if (answer) await refreshBody(ctx, answer);
  return {};
}

export async function refreshBody(ctx: Ctx, answer: Answer, options: { reactivate?: boolean } = {}): Promise<void> {
  // Its live messages joined, or withdrawn when none is left: one statement (answers.ts in the repos).
  await refreshAnswerBody(ctx.trx, answer.id, options.reactivate ?? false, ctx.now);
}

/** A click on a choice button. */
export async function onChoice(ctx: Ctx, roundId: number, index: number): Promise<Outcome> {
  // Two statements: the round with its option count, then the pick (issue 13: a click is answered in its callback).
  const round = await choiceRound(ctx.trx, ctx.team.id, roundId);
  if (!round) return ephemeral('That question is no longer here.');
  if (index >= round.option_count) return ephemeral('That is not one of the options.');
  if (isLate(round, ctx.now)) return ephemeral('This question has closed; the answer is in the thread.');
  const letter = LETTERS[index]!;
  const responseMs = Math.max(0, ctx.now.getTime() - round.opened_at.getTime());
  const pick = await recordPick(ctx.trx, { teamId: ctx.team.id, roundId: round.id, memberId: ctx.member.id, index, body: letter, responseMs, now: ctx.now });
  if (pick.first) return ephemeral(`Got it: ${letter}. You can change it until the question closes.`);
  return ephemeral(pick.previous === index ? `You already picked ${letter}.` : `Changed to ${letter}.`);
}

/** "Answer privately": the modal of a blind round. */
export async function answerModal(ctx: Ctx, roundId: number): Promise<Outcome> {
  const round = await findRound(ctx.trx, ctx.team.id, roundId);
  if (!round) return ephemeral('That question is no longer here.');
  if (isLate(round, ctx.now)) return ephemeral('This question has closed; the answers are in the thread.');
  const question = await findQuestion(ctx.trx, ctx.team.id, round.question_id);
  const existing = await findAnswer(ctx.trx, round.id, ctx.member.id);
  return {
    modal: {
      id: encodeModal({ kind: 'answer', roundId }),
      title: 'Your answer',
      submit: existing ? 'Update' : 'Submit',
      intro: question ? promptBlocks(question.prompt) : [],
      fields: [{ type: 'text', id: 'body', label: 'Answer', multiline: true, required: true, maxLength: 3000, ...(existing?.status === 'active' ? { initial: existing.body } : {}) }],
    },
  };
}

export async function onAnswerSubmit(ctx: Ctx, roundId: number, values: Record<string, string>): Promise<Outcome> {
  const round = await findRound(ctx.trx, ctx.team.id, roundId, { forAnswer: true });
  const body = (values.body ?? '').trim().slice(0, MAX_ANSWER);
  if (!round) return ephemeral('That question is no longer here.');
  if (!body) return ephemeral('Your answer was empty, so I did not record it.');
  if (!round.blind) return onFormAnswer(ctx, round, body);
  const late = isLate(round, ctx.now);
  let existing = await findAnswer(ctx.trx, round.id, ctx.member.id);
  if (!existing) {
    const made = await newAnswer(ctx, round, { body, late, reviewable: true });
    if (made.status === 'recorded') return ephemeral(late ? 'The question had closed, so your answer is kept as late and scores nothing.' : 'Thanks! Your answer stays hidden until the question closes.');
    existing = made.answer;
  }
  if (late) return ephemeral('This question closed before your update arrived; your earlier answer stands.');
  await updateAnswer(ctx.trx, existing.id, { body, status: 'active', updated_at: ctx.now });
  return ephemeral('Your answer is updated. It stays hidden until the question closes.');
}
