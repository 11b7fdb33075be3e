/**
 * Everything `/dojo stats` shows of one member, in one statement (issue 13: one round trip where eleven
 * ran): their average review, topic strengths, practice cards, all-time place, question-of-the-day days
 * (for both streaks) and their points and scored answers per period. Each part is the same query as
 * its single-purpose reader (member-history.ts, practice.ts, boards.ts, streaks.ts), nested as JSON.
 */
import { sql, type RawBuilder } from 'kysely';
import type { StoredCard } from '../../core/spaced.js';
import { executor, type Handle } from '../handle.js';
import type { Closing } from '../tx.js';
import type { PracticeCardRow } from '../schema/practice.js';
import { allTimePlace, type BoardPlace } from './boards.js';
import { SCORED, worth, type PeriodTotals, type TopicScore } from './member-history.js';
import { cardOfRow } from './practice.js';
import { QOTD_WINDOW } from './streaks.js';

/** A closed question of the day of the team, with whether the member answered it on time. */
export interface QotdDay {
  channel_id: number;
  answered: boolean;
  /** Among its channel's 400 newest questions of the day (open ones included): what current streaks look at. */
  recent: boolean;
}

export interface MemberStats {
  reviews: { avg: number | null; n: number };
  /** Strongest first, ties by name (topicStrengths). */
  topics: TopicScore[];
  cards: { area: string; card: StoredCard }[];
  place?: BoardPlace;
  /** The closed questions of the day of the channels the member ever answered one in on time, by channel, oldest first. */
  qotd: QotdDay[];
  /** One per period between consecutive bounds (periodTotals). */
  weeks: PeriodTotals[];
}

type Json<T> = T | null;
type CardJson = Omit<PracticeCardRow, 'due' | 'last_review' | 'updated_at'> & { due: string; last_review: string | null; updated_at: string; area: string | null };

interface StatsRow {
  reviews: { avg: number | string | null; n: number };
  topics: Json<TopicScore[]>;
  cards: Json<CardJson[]>;
  place: Json<BoardPlace>;
  /** Per channel the member answered in: its closed days oldest first ('1' answered on time), and how many of the last are recent. */
  qotd: Json<{ c: number; d: string; r: number }[]>;
  points: Json<{ b: number; p: number }[]>;
  scored: Json<{ b: number; s: number; e: number }[]>;
}

/**
 * `closing`: in a closing unit (tx.ts), this read is its last and closes it (the receipt goes with it: one
 * round trip for both).
 */
export async function memberStats(handle: Handle, teamId: string, memberId: number, bounds: Date[], maxReview: number, closing?: Closing): Promise<MemberStats> {
  const query = statsQuery(teamId, memberId, bounds, maxReview);
  const row = closing ? await closing.read(query) : (await query.execute(executor(handle))).rows[0];
  if (!row) throw new Error('the stats statement returned no row');
  return statsOf(row, bounds);
}

function statsQuery(teamId: string, memberId: number, bounds: Date[], maxReview: number): RawBuilder<StatsRow> {
  const edges = sql`${sql.val(bounds.map((b) => b.toISOString()))}::timestamptz[]`;
  const [first, last] = [bounds[0] ?? new Date(0), bounds.at(-1) ?? new Date(0)];
  const scored = sql`from answer a join round ro on ro.id = a.round_id join question q on q.id = ro.question_id left join review r on r.answer_id = a.id
    where a.team_id = ${teamId} and a.member_id = ${memberId} and ${SCORED}`;
  return sql<StatsRow>`select
    (select json_build_object('avg', avg(rv.total), 'n', count(*)) from review rv join answer a on a.id = rv.answer_id
      where a.member_id = ${memberId} and a.team_id = ${teamId}) as reviews,
    (select json_agg(x order by x.score desc, x.area) from (select q.topics[1] as area, avg(${worth(maxReview)})::float as score, count(*)::int as n ${scored} group by 1) x) as topics,
    (select json_agg(to_jsonb(c) || jsonb_build_object('area', q.topics[1])) from practice_card c join question q on q.id = c.question_id
      where c.team_id = ${teamId} and c.member_id = ${memberId}) as cards,
    (select row_to_json(p) from (${allTimePlace(teamId, memberId)}) p) as place,
    (${qotdDays(teamId, memberId)}) as qotd,
    (select json_agg(json_build_object('b', x.b, 'p', x.p)) from (select width_bucket(p.created_at, ${edges}) as b, sum(p.points)::int as p from point_event p
      where p.team_id = ${teamId} and p.member_id = ${memberId} and p.created_at >= ${first} and p.created_at < ${last} group by 1) x) as points,
    (select json_agg(json_build_object('b', x.b, 's', x.s, 'e', x.e)) from (select width_bucket(a.answered_at, ${edges}) as b, count(*)::int as s, sum(${worth(maxReview)})::float as e
      ${scored} and a.answered_at >= ${first} and a.answered_at < ${last} group by 1) x) as scored`;
}

function statsOf(row: StatsRow, bounds: Date[]): MemberStats {
  const weeks = Array.from({ length: Math.max(0, bounds.length - 1) }, () => ({ points: 0, scored: 0, earned: 0 }));
  // width_bucket numbers the periods from 1.
  for (const p of row.points ?? []) if (weeks[p.b - 1]) weeks[p.b - 1]!.points = p.p;
  for (const s of row.scored ?? []) if (weeks[s.b - 1]) Object.assign(weeks[s.b - 1]!, { scored: s.s, earned: Number(s.e) });
  const cards = (row.cards ?? [])
    .filter((c): c is CardJson & { area: string } => !!c.area)
    .map(({ area, ...c }) => ({ area, card: cardOfRow({ ...c, due: new Date(c.due), last_review: c.last_review === null ? null : new Date(c.last_review), updated_at: new Date(c.updated_at) }) }));
  return {
    reviews: { avg: row.reviews.avg === null ? null : Number(row.reviews.avg), n: row.reviews.n },
    topics: (row.topics ?? []).map((t) => ({ ...t, score: Number(t.score) })),
    cards,
    ...(row.place ? { place: row.place } : {}),
    qotd: (row.qotd ?? []).flatMap((ch) => Array.from(ch.d, (day, i) => ({ channel_id: ch.c, answered: day === '1', recent: i >= ch.d.length - ch.r }))),
    weeks: bounds.length > 1 ? weeks : [],
  };
}

/**
 * The member's closed questions of the day, one string per channel they ever answered one in on time
 * ('1' answered on time, '0' not, oldest first) and how many of the newest are among the channel's 400
 * newest (open ones included). Channels they never answered in add nothing to either streak, so only
 * theirs are read, and the days go out as one short string each instead of a JSON object a day.
 */
function qotdDays(teamId: string, memberId: number): RawBuilder<unknown> {
  return sql`select json_agg(json_build_object('c', x.channel_id, 'd', x.days, 'r', x.recent) order by x.channel_id) from (
      select mc.channel_id, string_agg(case when a.id is null then '0' else '1' end, '' order by d.local_date) as days, (count(*) filter (where d.n <= ${sql.lit(QOTD_WINDOW)}))::int as recent
      from (select distinct r2.channel_id from answer a2 join round r2 on r2.id = a2.round_id
          where a2.team_id = ${teamId} and a2.member_id = ${memberId} and a2.status = 'active' and a2.late = false and r2.kind = 'qotd') mc
        cross join lateral (select r.id, r.local_date, r.status, row_number() over (order by r.local_date desc) as n
          from round r where r.team_id = ${teamId} and r.channel_id = mc.channel_id and r.kind = 'qotd') d
        left join answer a on a.round_id = d.id and a.member_id = ${memberId} and a.status = 'active' and a.late = false
      where d.status = 'closed' group by mc.channel_id) x`;
}
