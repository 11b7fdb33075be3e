/**
 * Personal practice: self-checks (knew it / unsure / didn't know) schedule a question to come back, and
 * `/dojo practice` hands the member the question that is due, privately.
 */
import { duePracticeQuestion, practiceStateOf, practisedQuestionIds, saveSelfCheck } from '../db/repos/practice.js';
import { findVisibleQuestion, questionPool } from '../db/repos/questions.js';
import { findRound } from '../db/repos/rounds.js';
import type { SelfRating } from '../db/repos/types.js';
import { encodeAction } from './actions.js';
import type { Ctx } from './context.js';
import type { Outcome } from './ports.js';
import { promptBlocks } from './prompt.js';
import { lessonBlocks, selfCheckButtons } from './render.js';
import { questionView } from './rounds.js';

const DAY = 86_400_000;
const NEXT: Record<SelfRating, (interval: number) => number> = {
  knew: (i) => Math.min(60, Math.max(4, i * 2)),
  unsure: () => 2,
  didnt: () => 1,
};
const SAID: Record<SelfRating, string> = { knew: 'knew it', unsure: 'were unsure', didnt: "didn't know it" };
const SAID_STORY: Record<SelfRating, string> = { knew: 'had a story ready', unsure: 'said your story needs work', didnt: 'have no story yet' };

export async function selfCheck(ctx: Ctx, questionId: number, rating: SelfRating): Promise<Outcome> {
  // The id comes from a button: only a question this team's members may see can be scheduled.
  const question = await findVisibleQuestion(ctx.trx, ctx.team.id, questionId);
  if (!question) return { reply: { text: 'That question is no longer here.', visibility: 'ephemeral' } };
  const current = await practiceStateOf(ctx.trx, ctx.team.id, ctx.member.id, questionId);
  const interval = NEXT[rating](current?.interval_days ?? 1);
  await saveSelfCheck(ctx.trx, ctx.team.id, ctx.member.id, questionId, { rating, intervalDays: interval, dueAt: new Date(ctx.now.getTime() + interval * DAY) }, ctx.now);
  const category = question.category;
  const said = category === 'behavioral' || category === 'situational' ? SAID_STORY : SAID;
  return { reply: { text: `Noted: you ${said[rating]}. /dojo practice brings it back in ${interval} day${interval === 1 ? '' : 's'}.`, visibility: 'ephemeral' } };
}

export async function selfCheckRound(ctx: Ctx, roundId: number, rating: SelfRating): Promise<Outcome> {
  const round = await findRound(ctx.trx, ctx.team.id, roundId);
  if (!round) return { reply: { text: 'That question is no longer here.', visibility: 'ephemeral' } };
  return selfCheck(ctx, round.question_id, rating);
}

export async function practice(ctx: Ctx): Promise<Outcome> {
  const due = await duePracticeQuestion(ctx.trx, ctx.team.id, ctx.member.id, ctx.now);
  let questionId = due;
  if (questionId === undefined) {
    const seen = new Set(await practisedQuestionIds(ctx.trx, ctx.team.id, ctx.member.id));
    const pool = (await questionPool(ctx.trx, ctx.team.id)).filter((q) => !seen.has(q.id));
    questionId = pool.length ? pool[Math.floor(ctx.deps.random() * pool.length)]!.id : undefined;
  }
  const q = questionId !== undefined ? await findVisibleQuestion(ctx.trx, ctx.team.id, questionId) : undefined;
  if (!q) return { reply: { text: 'Nothing to practise right now. Come back tomorrow!', visibility: 'ephemeral' } };
  const blocks = [
    { type: 'header' as const, text: due !== undefined ? 'Practice: this one is due again' : 'Practice question' },
    ...promptBlocks(q.prompt),
    { type: 'context' as const, text: 'Think through your answer first, then compare.' },
    ...lessonBlocks(questionView(q)),
    { type: 'buttons' as const, buttons: selfCheckButtons(q.category, (rating) => encodeAction({ kind: 'practice-check', questionId: q.id, rating })) },
  ];
  return { reply: { text: q.prompt, blocks, visibility: 'ephemeral' } };
}
