/**
 * Leaderboard reads. A board over [from, to) sums whole UTC months and days from ledger_rollup (kept by
 * triggers with every ledger write) and reads the partial days at its edges straight from the ledger, so
 * it is exact for any instants: a team's local midnights, a season started mid-day. Channel boards read
 * the ledger (the rollup is per team).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../index.js';

export interface BoardRange { from?: Date; to?: Date; channelId?: number }

export interface BoardRow {
  member_id: number;
  display_name: string;
  platform_user_id: string;
  points: number;
  answers: number;
}

/** One piece of a range: whole buckets of a grain ([from, to) as dates) or raw ledger rows ([from, to) instants). */
export type Segment = { grain: 'all' } | { grain: 'day' | 'month'; from?: string; to?: string } | { grain: 'raw'; from?: Date; to?: Date };

const DAY = 86_400_000;
const floorDay = (t: Date) => new Date(Math.floor(t.getTime() / DAY) * DAY);
const ceilDay = (t: Date) => new Date(Math.ceil(t.getTime() / DAY) * DAY);
const floorMonth = (t: Date) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
const ceilMonth = (t: Date) => (floorMonth(t).getTime() === t.getTime() ? t : new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)));
const iso = (t: Date) => t.toISOString().slice(0, 10);
const before = (a: Date | undefined, b: Date | undefined) => a === undefined || b === undefined || a < b;

/** Splits [from, to) into raw edges, whole UTC days and whole UTC months (unbounded where undefined). */
export function segments(from?: Date, to?: Date): Segment[] {
  if (!from && !to) return [{ grain: 'all' }];
  if (from && to && to <= from) return [];
  const dayLo = from && ceilDay(from);
  const dayHi = to && floorDay(to);
  if (!before(dayLo, dayHi)) return [{ grain: 'raw', from, to }];
  const out: Segment[] = [];
  if (from && dayLo && from < dayLo) out.push({ grain: 'raw', from, to: dayLo });
  const monLo = dayLo && ceilMonth(dayLo);
  const monHi = dayHi && floorMonth(dayHi);
  if (before(monLo, monHi)) {
    if (dayLo && monLo && dayLo < monLo) out.push({ grain: 'day', from: iso(dayLo), to: iso(monLo) });
    out.push({ grain: 'month', ...(monLo ? { from: iso(monLo) } : {}), ...(monHi ? { to: iso(monHi) } : {}) });
    if (dayHi && monHi && monHi < dayHi) out.push({ grain: 'day', from: iso(monHi), to: iso(dayHi) });
  } else {
    out.push({ grain: 'day', ...(dayLo ? { from: iso(dayLo) } : {}), ...(dayHi ? { to: iso(dayHi) } : {}) });
  }
  if (to && dayHi && dayHi < to) out.push({ grain: 'raw', from: dayHi, to });
  return out;
}

const ANSWERED = sql`case when p.kind = 'participation' and p.answer_id is not null then 1 else 0 end`;

function rawRows(teamId: string, s: { from?: Date; to?: Date }, channelId?: number): RawBuilder<unknown> {
  return sql`select p.member_id, p.points::bigint as points, ${ANSWERED} as answers from point_event p
    where p.team_id = ${teamId}
    ${s.from ? sql`and p.created_at >= ${s.from}` : sql``} ${s.to ? sql`and p.created_at < ${s.to}` : sql``}
    ${channelId !== undefined ? sql`and p.channel_id = ${channelId}` : sql``}`;
}

function segmentRows(teamId: string, s: Segment): RawBuilder<unknown> {
  if (s.grain === 'raw') return rawRows(teamId, s);
  const bucket = s.grain === 'all' ? sql`and r.bucket = date '1970-01-01'` : sql`${s.from ? sql`and r.bucket >= ${s.from}::date` : sql``} ${s.to ? sql`and r.bucket < ${s.to}::date` : sql``}`;
  return sql`select r.member_id, r.points, r.answers from ledger_rollup r where r.team_id = ${teamId} and r.grain = ${s.grain} ${bucket}`;
}

/** Per-member totals over the range, forgotten members left out: member_id, points, answers, and the member columns. */
function totals(teamId: string, range: BoardRange): RawBuilder<unknown> {
  const parts = range.channelId !== undefined ? [rawRows(teamId, range, range.channelId)] : segments(range.from, range.to).map((s) => segmentRows(teamId, s));
  if (parts.length === 0) parts.push(sql`select null::integer as member_id, 0::bigint as points, 0 as answers where false`);
  const union = sql.join(parts, sql` union all `);
  return sql`select t.member_id, m.display_name, m.platform_user_id, t.points, t.answers
    from (select u.member_id, sum(u.points)::int as points, sum(u.answers)::int as answers from (${union}) u group by u.member_id) t
    join member m on m.id = t.member_id and m.forgotten_at is null`;
}

/** The best `limit` members of the range (all of them without a limit), by points, then answers, then name. */
export async function boardTop(db: Executor, teamId: string, range: BoardRange, limit?: number): Promise<BoardRow[]> {
  const r = await sql<BoardRow>`${totals(teamId, range)}
    order by t.points desc, t.answers desc, m.display_name, t.member_id ${limit !== undefined ? sql`limit ${limit}` : sql``}`.execute(db);
  return r.rows;
}

/** One member's place on the range's board: shared ranks (1 + members with more points) out of everyone on it. */
export async function boardRank(db: Executor, teamId: string, range: BoardRange, memberId: number): Promise<{ rank: number; of: number; points: number; answers: number } | undefined> {
  const r = await sql<{ rank: number; of: number; points: number; answers: number }>`
    with b as (${totals(teamId, range)})
    select (select count(*) from b where b.points > me.points)::int + 1 as rank, (select count(*) from b)::int as "of", me.points, me.answers
    from b me where me.member_id = ${memberId}`.execute(db);
  return r.rows[0];
}
