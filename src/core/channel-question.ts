/** `/dojo question [topic] [difficulty]`: one question posted to the channel now, open for an hour, for everyone there. */
import { findQuestion, knownTopics, questionPool } from '../db/repos/questions.js';
import type { Intent } from './commands.js';
import type { Ctx } from './context.js';
import type { FlowOutcome } from './announce.js';
import { capabilitiesOf } from './ports.js';
import { openRound } from './rounds.js';
import { pickForChannel } from './selection.js';
import { unknownTopicText } from './topics.js';

export const QUESTION_WINDOW_MS = 60 * 60_000;

export async function postChannelQuestion(ctx: Ctx, intent: Extract<Intent, { cmd: 'question' }>): Promise<FlowOutcome> {
  if (intent.topic && !(await knownTopics(ctx.trx, ctx.team.id)).includes(intent.topic)) {
    return { reply: { text: await unknownTopicText(ctx.trx, ctx.team.id, [intent.topic]), visibility: 'ephemeral' } };
  }
  const pool = await questionPool(ctx.trx, ctx.team.id, {
    topics: intent.topic ? [intent.topic] : undefined,
    difficulty: intent.difficulty,
    ...(intent.category ? { categories: [intent.category] } : {}),
    ...(intent.kind ? { kinds: [intent.kind] } : {}),
  });
  const [id] = await pickForChannel(ctx, { teamId: ctx.team.id, channelId: ctx.channel.id }, pool, { count: 1 });
  const question = id !== undefined ? await findQuestion(ctx.trx, ctx.team.id, id) : undefined;
  if (!question) return { reply: { text: 'No question matches that. Try another topic or difficulty.', visibility: 'ephemeral' } };
  const opened = await openRound(ctx, {
    team: ctx.team,
    channel: ctx.channel,
    question,
    kind: 'practice',
    closesAt: new Date(ctx.now.getTime() + QUESTION_WINDOW_MS),
    blind: false,
    title: 'Question for the channel',
    startedBy: ctx.member.id,
  });
  const how = question.kind === 'choice' ? 'Pick an answer on it' : capabilitiesOf(ctx.deps.chat, ctx.teamRef).threadReplies ? 'Answer it in its thread' : 'Answer it with its Answer button';
  if (!opened) return { reply: { text: 'No question matches that. Try another topic or difficulty.', visibility: 'ephemeral' } };
  return {
    confirm: {
      queued: opened.card,
      sent: `Posted! ${how} within the hour.`,
      failed: (reason) => `I couldn't post the question in this channel: ${reason}. Add me to the channel (or pick one I'm in), then try again.`,
    },
  };
}
