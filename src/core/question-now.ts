/** `/dojo question [topic] [difficulty]`: one practice question posted now, open for an hour. */
import { findQuestion, knownTopics, questionPool } from '../db/repos/questions.js';
import type { Intent } from './commands.js';
import type { Ctx } from './context.js';
import type { Outcome } from './ports.js';
import { pickMany } from './quiz.js';
import { openRound } from './rounds.js';

export const PRACTICE_WINDOW_MS = 60 * 60_000;

export async function practiceQuestion(ctx: Ctx, intent: Extract<Intent, { cmd: 'question' }>): Promise<Outcome> {
  if (intent.topic && !(await knownTopics(ctx.trx, ctx.team.id)).includes(intent.topic)) {
    return { reply: { text: `I have no questions on "${intent.topic}". Try /dojo question databases, or leave the topic out.`, visibility: 'ephemeral' } };
  }
  const pool = await questionPool(ctx.trx, ctx.team.id, {
    topics: intent.topic ? [intent.topic] : undefined,
    difficulty: intent.difficulty,
    ...(intent.category ? { categories: [intent.category] } : {}),
    ...(intent.kind ? { kinds: [intent.kind] } : {}),
  });
  const [id] = await pickMany(ctx, ctx.team.id, ctx.channel.id, pool, 1);
  const question = id !== undefined ? await findQuestion(ctx.trx, id) : undefined;
  if (!question) return { reply: { text: 'No question matches that. Try another topic or difficulty.', visibility: 'ephemeral' } };
  await openRound(ctx, {
    team: ctx.team,
    channel: ctx.channel,
    question,
    kind: 'practice',
    closesAt: new Date(ctx.now.getTime() + PRACTICE_WINDOW_MS),
    blind: false,
    title: 'Question for the channel',
    startedBy: ctx.member.id,
  });
  return { reply: { text: 'Posted! Answer it in its thread within the hour.', visibility: 'ephemeral' } };
}
