/** Team questions: proposed by anyone with a modal, pending until a mentor approves them. */
import { MAX_OPTION_CHARS, questionRules } from '../bank/schema.js';
import { findMember, membersWithRole } from '../db/repos/tenancy.js';
import { decisionCards, findQuestion, proposeTeamQuestion, updateTeamQuestion } from '../db/repos/questions.js';
import type { Question } from '../db/repos/types.js';
import { encodeAction, encodeModal } from './actions.js';
import type { Ctx } from './context.js';
import { send } from './outbox.js';
import { message, type Modal } from './messages.js';
import { ephemeral } from './announce.js';
import type { Outcome } from './ports.js';
import { CATEGORIES, DIFFICULTIES } from './question-model.js';
import { lessonBlocks } from './render.js';
import { questionView } from './rounds.js';

const MAX_POINT_CHARS = 200;
const lines = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/** Kind and category in one select (Discord modals hold five fields): `open`, `open:behavioral`, ... */
const KIND_CHOICES: { value: string; label: string }[] = [
  { value: 'open', label: 'Open answer · technical' },
  { value: 'open:system-design', label: 'Open answer · system design' },
  { value: 'open:behavioral', label: 'Open answer · behavioral (STAR)' },
  { value: 'open:situational', label: 'Open answer · situational (STAR)' },
  { value: 'choice', label: 'Multiple choice · technical' },
  { value: 'choice:system-design', label: 'Multiple choice · system design' },
];

/** The team-question form: empty to propose one, or filled with a question to edit it. */
export function questionForm(id: string, q?: Question): Modal {
  const kind = q ? (q.category === 'technical' ? q.kind : `${q.kind}:${q.category}`) : 'open';
  const details = q ? (q.kind === 'choice' ? (q.options ?? []).map((o) => `${o.correct ? '* ' : ''}${o.text}`) : q.key_points).join('\n') : undefined;
  return {
    id,
    title: q ? 'Edit a team question' : 'Add a team question',
    submit: q ? 'Save' : 'Propose',
    intro: [{ type: 'context', text: q ? 'Changes apply to the next rounds; past rounds keep their text.' : 'A mentor approves it before it joins your team’s questions.' }],
    fields: [
      { type: 'text', id: 'prompt', label: 'Question', multiline: true, required: true, maxLength: 600, ...(q ? { initial: q.prompt } : {}) },
      { type: 'select', id: 'kind', label: 'Kind and category', required: true, initial: KIND_CHOICES.some((c) => c.value === kind) ? kind : 'open', options: KIND_CHOICES },
      { type: 'text', id: 'topic', label: 'Topic (e.g. databases)', required: true, maxLength: 40, ...(q ? { initial: q.topics[0] ?? '' } : {}) },
      { type: 'select', id: 'difficulty', label: 'Difficulty', required: true, initial: q?.difficulty ?? 'intermediate', options: DIFFICULTIES.map((d) => ({ value: d, label: d })) },
      { type: 'text', id: 'details', label: 'Key points, or options (* marks the correct one)', multiline: true, required: true, maxLength: 2000, placeholder: 'One per line', ...(details ? { initial: details } : {}) },
    ],
  };
}

export function addQuestionModal(): Outcome {
  return { modal: questionForm(encodeModal({ kind: 'add-question' })) };
}

export type QuestionContent = Pick<Question, 'kind' | 'category' | 'difficulty' | 'topics' | 'prompt' | 'reference_answer' | 'explanation'> & { key_points: string; options: string | null };

/** The form's values as a question's content, or what is wrong with them. */
export function readQuestionForm(values: Record<string, string>): { ok: true; content: QuestionContent } | { ok: false; problem: string; fieldErrors: Record<string, string> } {
  const [kindValue = 'open', categoryValue] = (values.kind ?? 'open').split(':');
  const kind = kindValue === 'choice' ? 'choice' : 'open';
  const category = CATEGORIES.find((c) => c === (values.category || categoryValue || 'technical')) ?? 'technical';
  const topic = (values.topic ?? '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const details = lines(values.details);
  const raw: Record<string, unknown> = {
    kind,
    category,
    difficulty: values.difficulty,
    topics: [topic || 'team'],
    prompt: (values.prompt ?? '').trim(),
    ...(kind === 'open'
      ? { key_points: details, reference_answer: details.join('; ') }
      : { options: details.map((d) => ({ text: d.replace(/^\*\s*/, ''), correct: d.startsWith('*') })), explanation: 'Proposed by your team.' }),
  };
  // Each problem with the field it is about, so a form that stays open can show it there.
  const found: [string, string][] = [];
  if (!raw.prompt) found.push(['prompt', 'the question is empty']);
  if (!(DIFFICULTIES as readonly unknown[]).includes(raw.difficulty)) found.push(['difficulty', 'pick a difficulty']);
  if (kind === 'choice' && (category === 'behavioral' || category === 'situational')) found.push(['kind', `a ${category} question is answered in the person’s own words, so make it an open question`]);
  if (kind === 'open' && (details.length < 3 || details.length > 6)) found.push(['details', 'give 3 to 6 key points, one per line']);
  if (kind === 'choice' && (details.length < 3 || details.length > 5)) found.push(['details', 'give 3 to 5 options, one per line']);
  for (const issue of questionRules(raw)) if (issue.path[0] === 'options') found.push(['details', 'mark exactly one option as correct with *']);
  // The bank's limits: longer lines do not fit a card or a button list on either platform.
  if (kind === 'open' && details.some((d) => d.length > MAX_POINT_CHARS)) found.push(['details', `keep each key point to ${MAX_POINT_CHARS} characters or fewer`]);
  if (kind === 'choice' && details.some((d) => d.replace(/^\*\s*/, '').length > MAX_OPTION_CHARS)) found.push(['details', `keep each option to ${MAX_OPTION_CHARS} characters or fewer`]);
  if (kind === 'choice' && details.some((d) => !d.replace(/^\*\s*/, ''))) found.push(['details', 'an option is empty']);
  if (found.length) {
    const byField = new Map<string, Set<string>>();
    for (const [field, text] of found) byField.set(field, (byField.get(field) ?? new Set()).add(text));
    const sentence = (texts: Set<string>) => [...texts].join('; ').replace(/^./, (c) => c.toUpperCase()) + '.';
    const fieldErrors = Object.fromEntries([...byField].map(([field, texts]) => [field, sentence(texts)]));
    return { ok: false, problem: `Almost there: ${[...new Set(found.map(([, text]) => text))].join('; ')}.`, fieldErrors };
  }
  return {
    ok: true,
    content: {
      kind,
      category,
      difficulty: raw.difficulty as Question['difficulty'],
      topics: raw.topics as string[],
      prompt: raw.prompt as string,
      key_points: JSON.stringify(kind === 'open' ? details : []),
      reference_answer: kind === 'open' ? (raw.reference_answer as string) : null,
      options: kind === 'choice' ? JSON.stringify(raw.options) : null,
      explanation: kind === 'choice' ? (raw.explanation as string) : null,
    },
  };
}

/** A form that did not validate: the errors on their fields, and the form again with what was typed. */
export function formProblem(modal: Modal, values: Record<string, string>, problem: string, fieldErrors: Record<string, string>): Outcome {
  const fields = modal.fields.map((f) => (f.type !== 'checkbox' && values[f.id]?.trim() ? { ...f, initial: values[f.id]! } : f));
  return { ...ephemeral(problem), fieldErrors, modal: { ...modal, intro: [{ type: 'text', text: problem }, ...(modal.intro ?? [])], fields } };
}

export async function submitQuestion(ctx: Ctx, values: Record<string, string>): Promise<Outcome> {
  const form = readQuestionForm(values);
  if (!form.ok) return formProblem(addQuestionModal().modal!, values, form.problem, form.fieldErrors);
  const { content } = form;
  const row = await proposeTeamQuestion(ctx.trx, ctx.team.id, content, ctx.member.id, ctx.now);
  const reviewers = await membersWithRole(ctx.trx, ctx.team.id, ['mentor', 'admin']);
  const card = message([
    { type: 'header', text: `New team question from ${ctx.member.display_name || 'a member'}` },
    { type: 'text', text: row.prompt },
    { type: 'fields', fields: [{ label: 'Kind', value: row.kind }, { label: 'Category', value: row.category }, { label: 'Topic', value: row.topics.join(', ') }, { label: 'Difficulty', value: row.difficulty }] },
    ...lessonBlocks(questionView(row)),
    { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'approve-question', questionId: row.id }), label: 'Approve', style: 'primary' }, { id: encodeAction({ kind: 'reject-question', questionId: row.id }), label: 'Reject', style: 'danger' }] },
  ]);
  const others = reviewers.filter((r) => r.id !== ctx.member.id);
  for (const r of others) await send(ctx, { teamId: ctx.team.id }, { kind: 'dm', userId: r.platform_user_id, message: card, link: { questionId: row.id } });
  // Nobody to approve it: say so now rather than let it wait unseen.
  if (others.length === 0) return ephemeral('Thanks! Your question is saved, but there is no mentor to approve it yet: ask an admin to appoint one with /dojo mentor add @someone.');
  return ephemeral('Thanks! Your question is waiting for a mentor’s approval.');
}

export async function decideQuestion(ctx: Ctx, questionId: number, approve: boolean): Promise<Outcome> {
  const q = await findQuestion(ctx.trx, ctx.team.id, questionId);
  if (!q || q.team_id !== ctx.team.id) return ephemeral('That question is not your team’s.');
  if (q.status !== 'pending') return ephemeral(`That question was already ${q.status === 'active' ? 'approved' : q.status}.`);
  if (q.created_by === ctx.member.id && ctx.role !== 'admin') return ephemeral('Another mentor should approve your own question.');
  await updateTeamQuestion(ctx.trx, ctx.team.id, q.id, { status: approve ? 'active' : 'rejected', decided_by: ctx.member.id, updated_at: ctx.now });
  // Every reviewer's card shows the decision instead of buttons that would only say "already decided".
  const decided = message([
    { type: 'header', text: `Team question ${approve ? 'approved' : 'rejected'} by ${ctx.member.display_name || 'a mentor'}` },
    { type: 'text', text: q.prompt },
    { type: 'context', text: approve ? 'It joins the team’s questions.' : 'It will not be asked.' },
  ]);
  for (const ref of await decisionCards(ctx.trx, ctx.team.id, q.id)) await send(ctx, { teamId: ctx.team.id }, { kind: 'update', to: { message: ref }, message: decided });
  const author = q.created_by !== null ? await findMember(ctx.trx, ctx.team.id, q.created_by) : undefined;
  if (author) {
    const text = approve ? `Your question "${q.prompt.slice(0, 80)}" was approved and joins the team’s questions.` : `Your question "${q.prompt.slice(0, 80)}" was not approved this time.`;
    await send(ctx, { teamId: ctx.team.id }, { kind: 'dm', userId: author.platform_user_id, message: message([{ type: 'text', text }]) });
  }
  return ephemeral(approve ? 'Approved: it joins the team’s questions.' : 'Rejected.');
}
