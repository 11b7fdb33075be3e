/** `/dojo forget-me` (after a confirmation) and `/dojo export` (admins, CSV). */
import { forgetPlacements } from '../db/repos/leagues.js';
import { sql } from 'kysely';
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
  const id = ctx.member.id;
  // Reviews and answer parts go with the answers (cascade); the ledger rows of the member go too.
  const answers = await ctx.trx.deleteFrom('answer').where('team_id', '=', ctx.team.id).where('member_id', '=', id).returning('id').execute();
  await ctx.trx.deleteFrom('point_event').where('team_id', '=', ctx.team.id).where('member_id', '=', id).execute();
  await deleteMemberPractice(ctx.trx, ctx.team.id, id);
  await forgetPlacements(ctx.trx, id);
  // The outbox keeps what it sent; the DMs to them carry their scores and the feedback on their answers.
  await ctx.trx
    .deleteFrom('outbox')
    .where('team_id', '=', ctx.team.id)
    .where(sql<string>`payload->>'kind'`, '=', 'dm')
    .where(sql<string>`payload->>'userId'`, '=', ctx.member.platform_user_id)
    .execute();
  await ctx.trx.updateTable('season_result').set({ member_id: null, display_name: sql`'Former member #' || rank` }).where('member_id', '=', id).execute();
  await ctx.trx.updateTable('member').set({ display_name: '', forgotten_at: ctx.now, role: 'member' }).where('id', '=', id).execute();
  return { reply: { text: `Done: ${answers.length} answer${answers.length === 1 ? '' : 's'}, all your points and your practice are deleted.`, visibility: 'ephemeral' } };
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // Quote every cell; a leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

export async function exportCsv(ctx: Ctx): Promise<Outcome> {
  const rows = await ctx.trx
    .selectFrom('answer as a')
    .innerJoin('member as m', 'm.id', 'a.member_id')
    .innerJoin('round as r', 'r.id', 'a.round_id')
    .innerJoin('channel as c', 'c.id', 'r.channel_id')
    .innerJoin('question as q', 'q.id', 'r.question_id')
    .leftJoin('review as v', 'v.answer_id', 'a.id')
    .select([
      'a.answered_at',
      'c.name as channel',
      'm.display_name as member',
      'r.kind as round_kind',
      'q.external_id as question',
      'q.difficulty',
      'a.status',
      'a.late',
      'a.choice_index',
      'a.body',
      'v.total as review_score',
      sql<number>`(select coalesce(sum(p.points), 0)::int from point_event p where p.answer_id = a.id)`.as('points'),
    ])
    .where('a.team_id', '=', ctx.team.id)
    .orderBy('a.answered_at')
    .execute();
  const header = ['answered_at', 'channel', 'member', 'round_kind', 'question', 'difficulty', 'status', 'late', 'choice', 'answer', 'review_score', 'points'];
  const lines = [header.join(','), ...rows.map((r) => [r.answered_at, r.channel, r.member, r.round_kind, r.question, r.difficulty, r.status, r.late, r.choice_index, r.body, r.review_score, r.points].map(csvCell).join(','))];
  return {
    reply: { text: `Here is the export: ${rows.length} answer${rows.length === 1 ? '' : 's'}.`, visibility: 'ephemeral' },
    file: { name: `dojo-export-${ctx.now.toISOString().slice(0, 10)}.csv`, content: `${lines.join('\n')}\n`, mime: 'text/csv' },
  };
}
