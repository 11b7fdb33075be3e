/** A member's data: deleted on /dojo forget-me, and the team's answers exported as rows. */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

/**
 * Deletes a member's answers (their reviews and parts go with them, by cascade), ledger rows and the
 * DMs the outbox holds for them; anonymises them in season archives and blanks their name. (Practice
 * and league placements have their own repositories.)
 * Returns how many answers were deleted.
 */
export async function forgetMember(handle: Handle, teamId: string, member: { id: number; platform_user_id: string }, now: Date): Promise<number> {
  const db = executor(handle);
  const id = member.id;
  const answers = await db.deleteFrom('answer').where('team_id', '=', teamId).where('member_id', '=', id).returning('id').execute();
  await db.deleteFrom('point_event').where('team_id', '=', teamId).where('member_id', '=', id).execute();
  // The outbox keeps what it sent; the DMs to them carry their scores and the feedback on their answers.
  await db
    .deleteFrom('outbox')
    .where('team_id', '=', teamId)
    .where(sql<string>`payload->>'kind'`, '=', 'dm')
    .where(sql<string>`payload->>'userId'`, '=', member.platform_user_id)
    .execute();
  await db.updateTable('season_result').set({ member_id: null, display_name: sql`'Former member #' || rank` }).where('member_id', '=', id).execute();
  await db.updateTable('member').set({ display_name: '', forgotten_at: now, role: 'member' }).where('id', '=', id).execute();
  return answers.length;
}

/** Every answer of the team, oldest first, with where, who, the question, its review and its points. */
export async function answersForExport(handle: Handle, teamId: string) {
  const db = executor(handle);
  return db
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
    .where('a.team_id', '=', teamId)
    .orderBy('a.answered_at')
    .execute();
}
