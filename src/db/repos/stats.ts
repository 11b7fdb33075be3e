/** A member's figures for /dojo stats beyond the boards: reviews and strength by topic. */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

/** The average review total of the member's answers, and how many reviews there are. */
export async function reviewAverage(handle: Handle, teamId: string, memberId: number): Promise<{ avg: number | null; n: number } | undefined> {
  const db = executor(handle);
  return db
    .selectFrom('review')
    .innerJoin('answer', 'answer.id', 'review.answer_id')
    .select([sql<number | null>`avg(review.total)`.as('avg'), sql<number>`count(*)::int`.as('n')])
    .where('answer.member_id', '=', memberId)
    .where('answer.team_id', '=', teamId)
    .executeTakeFirst();
}

/**
 * Topic strength: the share of points earned of points possible per area (a question's first topic),
 * from reviews (out of `maxReview`) and choices, strongest first.
 */
export async function topicStrength(handle: Handle, teamId: string, memberId: number, maxReview: number): Promise<{ area: string; score: number; n: number }[]> {
  const db = executor(handle);
  const topics = await sql<{ area: string; score: number; n: number }>`
    select q.topics[1] as area,
      avg(case when q.kind = 'choice' then case when a.choice_index is not null and (q.options -> a.choice_index ->> 'correct')::boolean then 1.0 else 0.0 end
               else r.total::float / ${maxReview} end) as score,
      count(*)::int as n
    from answer a join round ro on ro.id = a.round_id join question q on q.id = ro.question_id
      left join review r on r.answer_id = a.id
    where a.team_id = ${teamId} and a.member_id = ${memberId} and a.status = 'active' and not a.late and ro.status = 'closed'
      and (q.kind = 'choice' or r.id is not null)
    group by 1 order by 2 desc, 1`.execute(db);
  return topics.rows;
}
