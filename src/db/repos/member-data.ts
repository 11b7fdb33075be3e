/** Everything stored about one member, for their own export (`/dojo export mine`). */
import { executor, type Handle } from '../handle.js';
import { cardsForExport, reminderOf } from './practice.js';

export async function memberData(handle: Handle, teamId: string, memberId: number) {
  const db = executor(handle);
  const member = await db.selectFrom('member').select(['platform_user_id', 'display_name', 'role', 'created_at']).where('team_id', '=', teamId).where('id', '=', memberId).executeTakeFirst();
  const answers = await db
    .selectFrom('answer as a')
    .innerJoin('round as r', 'r.id', 'a.round_id')
    .innerJoin('question as q', 'q.id', 'r.question_id')
    .innerJoin('channel as c', 'c.id', 'r.channel_id')
    .leftJoin('review as v', 'v.answer_id', 'a.id')
    .select(['a.answered_at', 'a.updated_at', 'c.name as channel', 'r.kind as round_kind', 'q.external_id as question', 'q.prompt', 'a.body', 'a.choice_index', 'a.status', 'a.late', 'a.response_ms', 'v.scores as review_scores', 'v.total as review_total', 'v.feedback as review_feedback', 'v.best_answer', 'v.created_at as reviewed_at'])
    .where('a.team_id', '=', teamId)
    .where('a.member_id', '=', memberId)
    .orderBy('a.answered_at')
    .execute();
  // Reviews the member wrote as a mentor: their scores and words, without the other person's answer.
  const reviewsWritten = await db
    .selectFrom('review')
    .select(['created_at', 'scores', 'total', 'feedback', 'best_answer'])
    .where('team_id', '=', teamId)
    .where('mentor_id', '=', memberId)
    .orderBy('created_at')
    .execute();
  const points = await db.selectFrom('point_event').select(['created_at', 'kind', 'points', 'round_id']).where('team_id', '=', teamId).where('member_id', '=', memberId).orderBy('created_at').orderBy('id').execute();
  const cards = await cardsForExport(db, teamId, memberId);
  const daily = await reminderOf(db, teamId, memberId);
  return { member, answers, reviewsWritten, points, cards, daily };
}
