/** `/dojo forget-me` (after a confirmation) and `/dojo export` (admins, CSV). */
import { answersForExport, forgetMember } from '../db/repos/data-rights.js';
import { forgetPlacements } from '../db/repos/leagues.js';
import { deleteMemberPractice } from '../db/repos/practice.js';
import { encodeAction } from './actions.js';
import type { Ctx } from './context.js';
import type { Outcome } from './ports.js';

export function confirmForget(): Outcome {
  const text = 'This deletes your answers, the reviews of them, your points and your practice (cards and the daily DM), and removes your name from season archives. It cannot be undone.';
  return {
    reply: {
      text,
      visibility: 'ephemeral',
      blocks: [
        { type: 'text', text },
        { type: 'buttons', buttons: [{ id: encodeAction({ kind: 'forget-confirm' }), label: 'Delete my data', style: 'danger' }, { id: encodeAction({ kind: 'forget-cancel' }), label: 'Keep it' }] },
      ],
    },
  };
}

export async function forgetMe(ctx: Ctx): Promise<Outcome> {
  // Reviews and answer parts go with the answers (cascade); the ledger rows of the member go too.
  await deleteMemberPractice(ctx.trx, ctx.team.id, ctx.member.id);
  await forgetPlacements(ctx.trx, ctx.member.id);
  const deleted = await forgetMember(ctx.trx, ctx.team.id, ctx.member, ctx.now);
  return { reply: { text: `Done: ${deleted} answer${deleted === 1 ? '' : 's'}, all your points and your practice are deleted.`, visibility: 'ephemeral' } };
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // Quote every cell; a leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export async function exportCsv(ctx: Ctx): Promise<Outcome> {
  const rows = await answersForExport(ctx.trx, ctx.team.id);
  const header = ['answered_at', 'channel', 'member', 'round_kind', 'question', 'difficulty', 'status', 'late', 'choice', 'answer', 'review_score', 'points'];
  const lines = [header.join(','), ...rows.map((r) => [r.answered_at, r.channel, r.member, r.round_kind, r.question, r.difficulty, r.status, r.late, r.choice_index, r.body, r.review_score, r.points].map(csvCell).join(','))];
  return {
    reply: { text: `Here is the export: ${rows.length} answer${rows.length === 1 ? '' : 's'}.`, visibility: 'ephemeral' },
    file: { name: `dojo-export-${ctx.now.toISOString().slice(0, 10)}.csv`, content: `${lines.join('\n')}\n`, mime: 'text/csv' },
  };
}
