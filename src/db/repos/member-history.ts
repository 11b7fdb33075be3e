/**
 * One member's history for their stats: points and right answers per period, and strength per topic.
 * An answer's worth is what it scored of what it could: a choice 1 or 0, an open answer its review's total
 * over the rubric's maximum; only answers of closed rounds, on time, and (open ones) reviewed count.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';

/** An answer's worth in 0..1 (a = answer, q = question, r = its review). */
export const worth = (maxReview: number) =>
  sql<number>`case when q.kind = 'choice' then case when a.choice_index is not null and (q.options -> a.choice_index ->> 'correct')::boolean then 1.0 else 0.0 end
    else r.total::float / ${maxReview} end`;

export const SCORED = sql`a.status = 'active' and not a.late and ro.status = 'closed' and (q.kind = 'choice' or r.id is not null)`;

export interface PeriodTotals {
  points: number;
  /** Answers scored in the period. */
  scored: number;
  /** The sum of their worth (scored answers all right: equal to `scored`). */
  earned: number;
}

/**
 * Per period between consecutive `bounds` (ascending instants, n + 1 of them for n periods): the member's
 * ledger points (by when they were scored) and their scored answers (by when they were given).
 */
export async function periodTotals(handle: Handle, teamId: string, memberId: number, bounds: Date[], maxReview: number): Promise<PeriodTotals[]> {
  const db = executor(handle);
  const out = Array.from({ length: Math.max(0, bounds.length - 1) }, () => ({ points: 0, scored: 0, earned: 0 }));
  if (out.length === 0) return out;
  const edges = sql`${sql.val(bounds.map((b) => b.toISOString()))}::timestamptz[]`;
  const first = bounds[0]!;
  const last = bounds.at(-1)!;
  const points = await sql<{ bucket: number; points: number }>`
    select width_bucket(p.created_at, ${edges}) as bucket, sum(p.points)::int as points from point_event p
    where p.team_id = ${teamId} and p.member_id = ${memberId} and p.created_at >= ${first} and p.created_at < ${last}
    group by 1`.execute(db);
  const answers = await sql<{ bucket: number; scored: number; earned: number }>`
    select width_bucket(a.answered_at, ${edges}) as bucket, count(*)::int as scored, sum(${worth(maxReview)})::float as earned
    from answer a join round ro on ro.id = a.round_id join question q on q.id = ro.question_id
      left join review r on r.answer_id = a.id
    where a.team_id = ${teamId} and a.member_id = ${memberId} and a.answered_at >= ${first} and a.answered_at < ${last} and ${SCORED}
    group by 1`.execute(db);
  // width_bucket numbers the periods from 1.
  for (const row of points.rows) if (out[row.bucket - 1]) out[row.bucket - 1]!.points = row.points;
  for (const row of answers.rows) {
    const slot = out[row.bucket - 1];
    if (slot) Object.assign(slot, { scored: row.scored, earned: Number(row.earned) });
  }
  return out;
}

export interface TopicScore {
  /** The question's first topic. */
  area: string;
  /** The mean worth of the member's scored answers in it, 0..1. */
  score: number;
  n: number;
}

/** The member's topics, strongest first (ties by name). */
export async function topicStrengths(handle: Handle, teamId: string, memberId: number, maxReview: number): Promise<TopicScore[]> {
  const db = executor(handle);
  const r = await sql<TopicScore>`
    select q.topics[1] as area, avg(${worth(maxReview)})::float as score, count(*)::int as n
    from answer a join round ro on ro.id = a.round_id join question q on q.id = ro.question_id
      left join review r on r.answer_id = a.id
    where a.team_id = ${teamId} and a.member_id = ${memberId} and ${SCORED}
    group by 1 order by 2 desc, 1`.execute(db);
  return r.rows.map((row) => ({ ...row, score: Number(row.score) }));
}

