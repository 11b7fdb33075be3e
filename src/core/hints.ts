/** "Show a hint": an open question's hint, shown only to whoever asks, before they answer. */
import { findQuestion } from '../db/repos/questions.js';
import { findRound } from '../db/repos/rounds.js';
import type { Ctx } from './context.js';
import type { Outcome } from './ports.js';

export async function showHint(ctx: Ctx, roundId: number): Promise<Outcome> {
  const round = await findRound(ctx.trx, ctx.team.id, roundId);
  const question = round && (await findQuestion(ctx.trx, ctx.team.id, round.question_id));
  const text = question?.hint ? `Hint: ${question.hint}` : 'This question has no hint; trust your first thoughts.';
  return { reply: { text, visibility: 'ephemeral' } };
}
