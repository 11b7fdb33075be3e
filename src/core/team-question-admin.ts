/**
 * `/dojo team-questions`: mentors list the team's own questions, edit one (the proposal form, filled
 * in) and retire one. Retired questions are never drawn again; rounds that used them keep their text.
 */
import { findTeamQuestion, teamQuestions, updateTeamQuestion } from '../db/repos/questions.js';
import type { Question } from '../db/repos/types.js';
import { encodeModal } from './actions.js';
import type { Intent } from './commands.js';
import type { Ctx } from './context.js';
import { blocksToText, type Block } from './messages.js';
import { ephemeral } from './announce.js';
import type { Outcome } from './ports.js';
import { formProblem, questionForm, readQuestionForm } from './team-questions.js';

const STATUS: Record<Question['status'], string> = { active: 'in use', pending: 'waiting for approval', rejected: 'rejected', retired: 'retired' };
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export async function teamQuestionsCommand(ctx: Ctx, intent: Extract<Intent, { cmd: 'team-questions' }>): Promise<Outcome> {
  if (intent.action === 'list') return list(ctx);
  const q = await findTeamQuestion(ctx.trx, ctx.team.id, intent.id);
  if (!q) return ephemeral(`Your team has no question #${intent.id}. /dojo team-questions lists them.`);
  if (intent.action === 'edit') {
    if (q.status === 'retired' || q.status === 'rejected') return ephemeral(`Question #${q.id} is ${q.status}; propose it again with /dojo add-question if you want it back.`);
    return { modal: questionForm(encodeModal({ kind: 'edit-question', questionId: q.id }), q) };
  }
  if (q.status === 'retired') return ephemeral(`Question #${q.id} is already retired.`);
  await updateTeamQuestion(ctx.trx, ctx.team.id, q.id, { status: 'retired', retired_at: ctx.now, updated_at: ctx.now, decided_by: ctx.member.id });
  return ephemeral(`Retired #${q.id}: "${clip(q.prompt, 80)}". It will not be asked again.`);
}

async function list(ctx: Ctx): Promise<Outcome> {
  const rows = await teamQuestions(ctx.trx, ctx.team.id);
  if (rows.length === 0) return ephemeral('Your team has no questions of its own yet. Anyone can propose one with /dojo add-question.');
  const blocks: Block[] = [
    { type: 'header', text: 'Your team’s questions' },
    { type: 'list', items: rows.map((q) => `#${q.id} · ${q.category} · ${q.topics[0] ?? ''} · ${STATUS[q.status]} — ${clip(q.prompt, 90)}`) },
    { type: 'context', text: 'Edit one with /dojo team-questions edit N, retire one with /dojo team-questions retire N.' },
  ];
  return { reply: { text: blocksToText(blocks), blocks, visibility: 'ephemeral' } };
}

/** The edit form submitted: the question changes in place and keeps its status. */
export async function submitEdit(ctx: Ctx, questionId: number, values: Record<string, string>): Promise<Outcome> {
  const q = await findTeamQuestion(ctx.trx, ctx.team.id, questionId);
  if (!q || q.status === 'retired' || q.status === 'rejected') return ephemeral('That question is no longer in use, so it was not changed.');
  const form = readQuestionForm(values);
  if (!form.ok) return formProblem(questionForm(encodeModal({ kind: 'edit-question', questionId: q.id }), q), values, form.problem, form.fieldErrors);
  await updateTeamQuestion(ctx.trx, ctx.team.id, q.id, { ...form.content, updated_at: ctx.now });
  return ephemeral(`Saved #${q.id}. The next rounds ask it as edited.`);
}
