/**
 * Answers through the Answer button's form in a round that is not blind: what members use where thread
 * replies do not reach the bot (Discord without the Message Content intent).
 *
 * The choice: a form answer is the member's answer to the round, the same row a thread reply makes, so
 * it is counted, scored and reviewed once like any other. Its text is kept as one part of that answer
 * (replaced by each new submit), so where thread replies also arrive they add to it instead of
 * overwriting it. Nobody can read a form answer in the thread, so the close quotes it, as it quotes a
 * blind round's answers.
 */
import { findAnswer, setFormPart } from '../db/repos/answers.js';
import type { Round } from '../db/repos/types.js';
import { isLate, newAnswer, refreshBody } from './answers.js';
import type { Ctx } from './context.js';
import { ephemeral } from './announce.js';
import type { Outcome } from './ports.js';

/** A submitted Answer form (non-empty, already cut to size) in a round that is not blind. */
export async function onFormAnswer(ctx: Ctx, round: Round, body: string): Promise<Outcome> {
  const late = isLate(round, ctx.now);
  let existing = await findAnswer(ctx.trx, round.id, ctx.member.id);
  if (!existing) {
    const made = await newAnswer(ctx, round, { body, late, reviewable: true });
    if (made.status === 'recorded') {
      await setFormPart(ctx.trx, made.answer.id, body, ctx.now);
      return ephemeral(
        late
          ? 'The question had closed, so your answer is kept as late and scores nothing.'
          : 'Thanks, your answer is in! You can change it until the question closes; everyone’s answers are shown then.',
      );
    }
    existing = made.answer; // the member's other delivery got there first: go on as an update
  }
  if (late) return ephemeral('This question closed before your update arrived; your earlier answer stands.');
  await setFormPart(ctx.trx, existing.id, body, ctx.now);
  await refreshBody(ctx, existing, { reactivate: true });
  return ephemeral('Your answer is updated. Everyone’s answers are shown when the question closes.');
}
