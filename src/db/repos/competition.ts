/**
 * The fair boards' reads: improvement over the member's own previous period, this period against their
 * best earlier one, and channels by points per active member.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import { memberSums, type BoardRange } from './boards.js';

export interface ProgressRow {
  member_id: number;
  display_name: string;
  /** Points in this period. */
  points: number;
  /** Points in the period compared with: the previous one (improvement) or the best earlier one. */
  before: number;
}

const leagueCond = (league: BoardRange['league']) =>
  league ? sql`and coalesce((select lp.tier from league_placement lp where lp.season_id = ${league.seasonId} and lp.member_id = m.id), 0) = ${league.tier}` : sql``;

/**
 * Members who scored in [from, to) (to: unbounded when absent) with their points in [previousFrom, from), best change first (then
 * points, name). A member with nothing before compares with 0.
 */
export async function improvementRows(handle: Handle, teamId: string, span: { previousFrom: Date; from: Date; to?: Date }, league?: BoardRange['league']): Promise<ProgressRow[]> {
  const db = executor(handle);
  const r = await sql<ProgressRow>`
    select c.member_id, m.display_name, c.points::int as points, coalesce(p.points, 0)::int as before
    from ${memberSums(teamId, { from: span.from, ...(span.to ? { to: span.to } : {}) })} c
      join member m on m.id = c.member_id and m.forgotten_at is null ${leagueCond(league)}
      left join ${memberSums(teamId, { from: span.previousFrom, to: span.from })} p on p.member_id = c.member_id
    order by c.points - coalesce(p.points, 0) desc, c.points desc, m.display_name, c.member_id`.execute(db);
  return r.rows;
}

/**
 * Members who scored in [from, to) (to: unbounded when absent) with their best earlier period's points: periods are the team's local
 * weeks (from Monday) or months, from `lookbackFrom` up to `from`. Closest to (or furthest past) their best first.
 */
export async function personalBestRows(handle: Handle, teamId: string, span: { lookbackFrom: Date; from: Date; to?: Date; grain: 'week' | 'month'; timezone: string }, league?: BoardRange['league']): Promise<ProgressRow[]> {
  const db = executor(handle);
  const r = await sql<ProgressRow>`
    with earlier as (
      select b.member_id, max(b.points) as best from (
        select p.member_id, date_trunc(${span.grain}, p.created_at at time zone ${span.timezone}) as period, sum(p.points) as points
        from point_event p where p.team_id = ${teamId} and p.created_at >= ${span.lookbackFrom} and p.created_at < ${span.from}
        group by 1, 2) b
      group by 1)
    select c.member_id, m.display_name, c.points::int as points, greatest(coalesce(e.best, 0), 0)::int as before
    from ${memberSums(teamId, { from: span.from, ...(span.to ? { to: span.to } : {}) })} c
      join member m on m.id = c.member_id and m.forgotten_at is null ${leagueCond(league)}
      left join earlier e on e.member_id = c.member_id
    order by c.points - greatest(coalesce(e.best, 0), 0) desc, c.points desc, m.display_name, c.member_id`.execute(db);
  return r.rows;
}

export interface ChannelRow { channel_id: number; name: string; points: number; active: number }

/**
 * Channels by points per active member in [from, to): a member is active in a channel when they answered
 * there at least once in the range (an on-time answer scored at a round's close). Channels with no
 * active member are left out.
 */
export async function channelRows(handle: Handle, teamId: string, range: { from?: Date; to?: Date }): Promise<ChannelRow[]> {
  const db = executor(handle);
  const r = await sql<ChannelRow>`
    select p.channel_id, c.name, sum(p.points)::int as points,
      count(distinct p.member_id) filter (where p.kind = 'participation' and p.answer_id is not null)::int as active
    from point_event p join channel c on c.id = p.channel_id join member m on m.id = p.member_id and m.forgotten_at is null
    where p.team_id = ${teamId} ${range.from ? sql`and p.created_at >= ${range.from}` : sql``} ${range.to ? sql`and p.created_at < ${range.to}` : sql``}
    group by p.channel_id, c.name
    having count(*) filter (where p.kind = 'participation' and p.answer_id is not null) > 0
    order by sum(p.points)::float / count(distinct p.member_id) filter (where p.kind = 'participation' and p.answer_id is not null) desc, 4 desc, c.name`.execute(db);
  return r.rows;
}
