/** `/dojo export mine`: everything the dojo holds about the caller, as one JSON file only they receive. */
import { memberData } from '../db/repos/member-data.js';
import type { Ctx } from './context.js';
import type { Outcome } from './ports.js';
import { plural } from './render.js';

const STATE = ['new', 'learning', 'review', 'relearning'];
const RATING = ['', 'again', 'hard', 'good', 'easy'];

export async function exportMine(ctx: Ctx): Promise<Outcome> {
  const d = await memberData(ctx.trx, ctx.team.id, ctx.member.id);
  const document = {
    exported_at: ctx.now.toISOString(),
    team: { name: ctx.team.name, platform: ctx.team.platform },
    member: d.member ? { user_id: d.member.platform_user_id, name: d.member.display_name, role: d.member.role, first_seen: d.member.created_at } : null,
    answers: d.answers.map((a) => ({
      answered_at: a.answered_at,
      updated_at: a.updated_at,
      channel: a.channel,
      round_kind: a.round_kind,
      question: a.question,
      prompt: a.prompt,
      answer: a.body,
      choice_index: a.choice_index,
      status: a.status,
      late: a.late,
      response_ms: a.response_ms,
      review: a.review_total === null ? null : { scores: a.review_scores, total: a.review_total, feedback: a.review_feedback, best_answer: a.best_answer, reviewed_at: a.reviewed_at },
    })),
    reviews_written: d.reviewsWritten,
    points: d.points,
    practice: {
      cards: d.cards.map((c) => ({ ...c, state: STATE[c.state] ?? String(c.state), last_rating: c.last_rating === null ? null : (RATING[c.last_rating] ?? String(c.last_rating)) })),
      daily: d.daily ? { time: d.daily.localTime, timezone: d.daily.timezone, next: d.daily.nextAt } : null,
    },
  };
  const total = d.points.reduce((sum, p) => sum + p.points, 0);
  return {
    reply: { text: `Here is everything I hold about you: ${plural(d.answers.length, 'answer')}, ${plural(total, 'point')}, ${plural(d.cards.length, 'practice card')}. /dojo forget-me deletes it.`, visibility: 'ephemeral' },
    file: { name: `dojo-my-data-${ctx.now.toISOString().slice(0, 10)}.json`, content: `${JSON.stringify(document, null, 2)}\n`, mime: 'application/json' },
  };
}
