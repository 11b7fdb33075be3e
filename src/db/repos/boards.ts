/**
 * Leaderboard reads. A board over [from, to) sums whole UTC months and days from ledger_rollup (kept by
 * triggers with every ledger write) and reads the partial days at its edges straight from the ledger, so
 * it is exact for any instants: a team's local midnights, a season started mid-day. A team's current week,
 * month and season read their board set instead (board-sets.ts: one row a member, kept the same way).
 * Channel boards read the ledger (the rollup is per team).
 */
import { sql, type RawBuilder } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { Closing } from '../tx.js';
import { segments, type Segment } from './board-segments.js';
import { LruMap } from './lru.js';
import { PREPARED } from '../prepared.js';

/** `league`: only the members of one league of a season (a member without a placement is in tier 0, the lowest). */
export interface BoardRange { from?: Date; to?: Date; channelId?: number; league?: { seasonId: number; tier: number } }

export interface BoardRow {
  member_id: number;
  display_name: string;
  platform_user_id: string;
  points: number;
  answers: number;
}

const ANSWERED = sql`case when p.kind = 'participation' and p.answer_id is not null then 1 else 0 end`;

function rawRows(teamId: string, s: { sign: 1 | -1; from?: Date; to?: Date }, channelId?: number): RawBuilder<unknown> {
  return sql`select p.member_id, ${sql.lit(s.sign)} * p.points::bigint as points, ${sql.lit(s.sign)} * ${ANSWERED} as answers, ${sql.lit(s.sign)} as events from point_event p
    where p.team_id = ${teamId}
    ${s.from ? sql`and p.created_at >= ${s.from}` : sql``} ${s.to ? sql`and p.created_at < ${s.to}` : sql``}
    ${channelId !== undefined ? sql`and p.channel_id = ${channelId}` : sql``}`;
}

function segmentRows(teamId: string, s: Segment): RawBuilder<unknown> {
  if (s.grain === 'raw') return rawRows(teamId, s);
  const bucket = s.grain === 'all' ? sql`and r.bucket = date '1970-01-01'` : sql`${s.from ? sql`and r.bucket >= ${s.from}::date` : sql``} ${s.to ? sql`and r.bucket < ${s.to}::date` : sql``}`;
  return sql`select r.member_id, ${sql.lit(s.sign)} * r.points as points, ${sql.lit(s.sign)} * r.answers as answers, ${sql.lit(s.sign)} * r.events as events from ledger_rollup r where r.team_id = ${teamId} and r.grain = ${s.grain} ${bucket}`;
}

/** Members of a league only (all members without one): a condition on member `m`. */
function inLeague(range: BoardRange): RawBuilder<unknown> {
  if (!range.league) return sql``;
  // A join the planner can start from (a league of 10 reads 10 members), not a look-up per member.
  const { seasonId, tier } = range.league;
  return tier > 0
    ? sql`and m.id in (select lp.member_id from league_placement lp where lp.season_id = ${seasonId} and lp.tier = ${tier})`
    : sql`and m.id not in (select lp.member_id from league_placement lp where lp.season_id = ${seasonId} and lp.tier <> 0)`;
}

/**
 * Per-member sums over [from, to) (member_id, points and answers as bigint), members with events in it
 * only, forgotten members included: a subquery for other reads (improvement, personal bests) to join.
 */
export function memberSums(teamId: string, range: Pick<BoardRange, 'from' | 'to' | 'channelId'>, withEvents = false): RawBuilder<unknown> {
  const pieces = range.channelId !== undefined ? undefined : segments(range.from, range.to);
  const events = withEvents ? sql`, r.events` : sql``;
  if (pieces?.length === 1 && pieces[0]!.grain === 'all') {
    return sql`(select r.member_id, r.points, r.answers::bigint as answers ${events} from ledger_rollup r where r.team_id = ${teamId} and r.grain = 'all' and r.bucket = date '1970-01-01' and r.events > 0)`;
  }
  const parts = pieces ? pieces.map((x) => segmentRows(teamId, x)) : [rawRows(teamId, { ...range, sign: 1 }, range.channelId)];
  if (parts.length === 0) parts.push(sql`select null::integer as member_id, 0::bigint as points, 0 as answers, 0 as events where false`);
  return sql`(select u.member_id, sum(u.points)::bigint as points, sum(u.answers)::bigint as answers ${withEvents ? sql`, sum(u.events)::int as events` : sql``} from (${sql.join(parts, sql` union all `)}) u
      group by u.member_id having sum(u.events) > 0)`;
}

/**
 * The range with the id of its board set (board-sets.ts) when one is built: a team's period read from one
 * row a member. Looked up first, so the statement that reads the board is planned for one source only.
 */
async function withSet(db: ReturnType<typeof executor>, teamId: string, range: BoardRange): Promise<BoardRange & { setId?: number }> {
  const { setId } = await prelude(db, teamId, range);
  return setId === undefined ? range : { ...range, setId };
}

/**
 * Per-member totals over the range (member_id, points and answers as bigint, events), forgotten members left
 * out, as `t` joined to `m`. All time reads one row per member, so its top rows come in index order.
 */
function totals(teamId: string, range: BoardRange & { setId?: number }, also: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  const pieces = range.channelId !== undefined ? undefined : segments(range.from, range.to);
  if (pieces?.length === 1 && pieces[0]!.grain === 'all') {
    return sql`ledger_rollup t join member m on m.id = t.member_id and m.forgotten_at is null ${inLeague(range)} ${also}
      where t.team_id = ${teamId} and t.grain = 'all' and t.bucket = date '1970-01-01' and t.events > 0`;
  }
  const sums = range.setId !== undefined ? sql`(select s.member_id, s.points, s.answers::bigint as answers from board_set_total s where s.set_id = ${range.setId})` : memberSums(teamId, range);
  return sql`${sums} t
    join member m on m.id = t.member_id and m.forgotten_at is null ${inLeague(range)} ${also}`;
}

const COLUMNS = sql`t.member_id, m.display_name, m.platform_user_id, t.points::int as points, t.answers::int as answers`;
const ORDER = sql`order by t.points desc, t.answers desc, m.display_name, t.member_id`;

/** The best `limit` members of the range (all of them without a limit), by points, then answers, then name. */
export async function boardTop(handle: Handle, teamId: string, asked: BoardRange, limit?: number): Promise<BoardRow[]> {
  const db = executor(handle);
  const range = await withSet(db, teamId, asked);
  const r = await sql<BoardRow>`select ${COLUMNS} from ${totals(teamId, range)} ${ORDER} ${limit !== undefined ? sql`limit ${limit}` : sql``}`.execute(db);
  return r.rows;
}

export interface BoardPlace { rank: number; of: number; points: number; answers: number }

/**
 * One member's all-time place (rank, of, points, answers; no row when not on the board), for other
 * statements to embed. All time has one row per member: the counts read the team's rows in index order
 * (members with more points, and everyone) and take away the rows of forgotten members, found by their
 * own index, rather than joining 5,000 rows to their members (issue 13).
 */
export function allTimePlace(teamId: string, memberId: number): RawBuilder<BoardPlace> {
  const ALL = sql`t.grain = 'all' and t.bucket = date '1970-01-01' and t.events > 0`;
  const count = (above: boolean) => sql`((select count(*) from ledger_rollup t where t.team_id = me.team_id and ${ALL} ${above ? sql`and t.points > me.points` : sql``})
    - (select count(*) from member f join ledger_rollup t on t.team_id = f.team_id and t.member_id = f.id and ${ALL} ${above ? sql`and t.points > me.points` : sql``}
       where f.team_id = me.team_id and f.forgotten_at is not null))::int`;
  return sql<BoardPlace>`select ${count(true)} + 1 as rank, ${count(false)} as "of", me.points::int as points, me.answers::int as answers
      from ledger_rollup me join member mm on mm.id = me.member_id and mm.forgotten_at is null
      where me.team_id = ${teamId} and me.grain = 'all' and me.bucket = date '1970-01-01' and me.events > 0 and me.member_id = ${memberId}`;
}

/** One member's place on the range's board: shared ranks (1 + members with more points) out of everyone on it. */
export async function boardRank(handle: Handle, teamId: string, asked: BoardRange, memberId: number): Promise<BoardPlace | undefined> {
  const db = executor(handle);
  const range = await withSet(db, teamId, asked);
  if (!range.from && !range.to && range.channelId === undefined && !range.league) {
    const r = await sql<BoardPlace>`${allTimePlace(teamId, memberId)}`.execute(db);
    return r.rows[0];
  }
  const r = await sql<BoardPlace>`
    with b as materialized (select t.member_id, t.points, t.answers from ${totals(teamId, range)})
    select (select count(*) from b where b.points > me.points)::int + 1 as rank, (select count(*) from b)::int as "of", me.points::int as points, me.answers::int as answers
    from b me where me.member_id = ${memberId}`.execute(db);
  return r.rows[0];
}

/** The league a board was narrowed to: the caller's in the running season (`autoLeague`). */
export interface BoardLeague { seasonId: number; seasonName: string; tier: number; count: number }

type PageRow = BoardRow & { rank: number | null; of: number | null; streak: number | null };

/**
 * A board: the top `limit` rows and, when `memberId` is given and not among them, that member's place
 * (undefined when they are not on the board), in one statement. All time reads the top in index order
 * and counts one rank; other ranges compute their totals once for both. With `streaks`, each top row
 * carries the member's current question-of-the-day streak (streaks.ts in the core has the definition).
 * With `autoLeague` (and `memberId`), the same statement reads the running season and, when it has more
 * than one league, narrows the board to the member's league (a member without a placement is in tier 0).
 * With `closing` (a closing unit's, tx.ts), the board's statement is the unit's closing read: its receipt
 * and version check go with it, so a remembered board is one round trip in all.
 */
export async function boardPage(handle: Handle, teamId: string, asked: BoardRange, limit: number, memberId?: number, options: { streaks?: boolean; autoLeague?: boolean; closing?: Closing } = {}): Promise<{ top: (BoardRow & { streak?: number })[]; me?: BoardPlace; league?: BoardLeague }> {
  const db = executor(handle);
  // The first page statement closes the unit; one that must run again (a remembered prelude that no longer
  // holds) runs as a plain read after it.
  let closing = options.closing;
  const page = (range: BoardRange & { setId?: number }, check?: Check) => {
    const closes = closing;
    closing = undefined;
    return pageStatement(db, teamId, range, limit, memberId, options, check, closes);
  };
  const auto = options.autoLeague === true && memberId !== undefined && !asked.league;
  const key = preludeKey(teamId, asked, auto);
  // A member's league is remembered under a key of their own; the team's "no league" under the team's.
  const mine = key !== undefined && auto ? `${key}\n${memberId}` : undefined;
  for (const k of [mine, key]) {
    const remembered = k === undefined ? undefined : preludes.get(k);
    if (!remembered) continue;
    const read = await page(rangeWith(asked, remembered), { ...remembered, auto, memberId });
    if (read) return { ...read, ...(remembered.league ? { league: remembered.league } : {}) };
    preludes.delete(k!);
  }
  const found = await prelude(db, teamId, asked, auto ? memberId : undefined);
  const remember = found.setId !== undefined ? { setId: found.setId } : {};
  if (found.league && mine !== undefined) preludes.set(mine, { ...remember, league: found.league });
  else if (key !== undefined && !found.league) preludes.set(key, remember);
  const read = (await page(rangeWith(asked, found)))!;
  return { ...read, ...(found.league ? { league: found.league } : {}) };
}

/** The range narrowed to what a prelude found: the period's board set, the member's league. */
function rangeWith(asked: BoardRange, found: Prelude): BoardRange & { setId?: number } {
  return { ...asked, ...(found.setId !== undefined ? { setId: found.setId } : {}), ...(found.league ? { league: { seasonId: found.league.seasonId, tier: found.league.tier } } : {}) };
}

/**
 * What the prelude found for a team's period, remembered (issue 13: a board in one round trip instead of
 * two): the period's board set, or none, and the member's league in the running season, or none. The
 * board's statement then checks in its own snapshot that the prelude would still find the same (that set,
 * or still none; the same season, name, tier and number of leagues, or still no season with leagues) and
 * returns nothing when it would not: the board is read again after a fresh prelude. So a remembered answer
 * is never used once a set is built or dropped, a season's leagues begin or end, or the member moves, by
 * this instance or another.
 */
interface Prelude {
  setId?: number;
  league?: BoardLeague;
}
const preludes = new LruMap<Prelude>();

function preludeKey(teamId: string, range: BoardRange, auto: boolean): string | undefined {
  // A league asked for is the prelude's own answer to check, not remembered (`auto` is never set with one).
  if (range.league || (!hasSetPeriod(range) && !auto)) return undefined;
  return `${teamId}\n${range.from?.toISOString() ?? ''}\n${range.to?.toISOString() ?? ''}\n${range.channelId ?? ''}\n${auto ? 'auto' : ''}`;
}

/** Whether the range is a team's period that a board set can hold (what the prelude looks up). */
function hasSetPeriod(range: BoardRange): boolean {
  return range.channelId === undefined && range.from !== undefined;
}

/** A remembered prelude, checked by the board's statement (see `preludes`). */
type Check = Prelude & { auto: boolean; memberId?: number };

/** The prelude's answer as the statement's own check (see `preludes`). */
function stillSo(teamId: string, range: BoardRange, check: Check): RawBuilder<boolean> {
  const sameSet = !hasSetPeriod(range)
    ? sql`true`
    : check.setId !== undefined
      ? sql`exists (select 1 from board_set b where b.id = ${check.setId} and b.team_id = ${teamId} and b.starts_at = ${range.from}::timestamptz
          and coalesce(b.ends_at, 'infinity') = coalesce(${range.to ?? null}::timestamptz, 'infinity'))`
      : sql`not exists (select 1 from board_set b where b.team_id = ${teamId} and b.starts_at = ${range.from}::timestamptz
          and coalesce(b.ends_at, 'infinity') = coalesce(${range.to ?? null}::timestamptz, 'infinity'))`;
  const lg = check.league;
  // The running season is the team's one active season (season_one_active): the same one, unrenamed, with
  // the member in the same tier of as many leagues; or, remembered without a league, none with leagues.
  const sameLeague = !check.auto
    ? sql`true`
    : lg && check.memberId !== undefined
      ? sql`exists (select 1 from season s where s.id = ${lg.seasonId} and s.team_id = ${teamId} and s.status = 'active' and s.name = ${lg.seasonName}
          and coalesce((select lp.tier from league_placement lp where lp.season_id = s.id and lp.member_id = ${check.memberId}), 0) = ${lg.tier}
          and (select coalesce(max(lp.tier), 0) + 1 from league_placement lp where lp.season_id = s.id) = ${lg.count})`
      : sql`not exists (${runningLeague(teamId, 0)})`;
  return sql<boolean>`(${sameSet} and ${sameLeague})`;
}

/** The board's one statement; with `check`, undefined when the remembered prelude no longer holds. */
async function pageStatement(
  db: ReturnType<typeof executor>,
  teamId: string,
  range: BoardRange & { setId?: number },
  limit: number,
  memberId: number | undefined,
  options: { streaks?: boolean },
  check?: Check,
  closing?: Closing,
): Promise<{ top: (BoardRow & { streak?: number })[]; me?: BoardPlace } | undefined> {
  const ctes = check ? [sql`still as materialized (select ${stillSo(teamId, range, check)} as ok)`] : [];
  const holds = check ? sql`(select ok from still)` : sql`true`;
  const streak = options.streaks ? sql`${currentStreakOf(teamId, sql`top.member_id`)}` : sql`null::int`;
  const allTime = !range.from && !range.to && range.channelId === undefined && !range.league && limit > 0;
  const me = memberId === undefined ? sql`` : allTime
    ? sql`union all select ${memberId}::int, null, null, p.points, p.answers, p.rank, p."of", null::int from (${allTimePlace(teamId, memberId)}) p
      where not exists (select 1 from top where top.member_id = ${memberId}) and ${holds}`
    : sql`union all select me.*, (select count(*) from b where b.points > me.points)::int + 1, (select count(*) from b)::int, null::int
      from b me where me.member_id = ${memberId} and not exists (select 1 from top where top.member_id = me.member_id) and ${holds}`;
  const tops = allTime
    ? sql`top as (select ${COLUMNS} from ${totals(teamId, range)} ${ORDER} limit ${limit})`
    : sql`b as materialized (select ${COLUMNS} from ${totals(teamId, range)}),
      top as (select b.* from b order by b.points desc, b.answers desc, b.display_name, b.member_id limit ${limit})`;
  // With a check that fails, one marker row (rank -1) and nothing else.
  const marker = check ? sql`union all select null::int, null::text, null::text, null::int, null::int, -1, null::int, null::int where not ${holds}` : sql``;
  const statement = sql<PageRow>`with ${sql.join([...ctes, tops], sql`, `)}
    select top.*, null::int as rank, null::int as "of", ${streak} as streak from top where ${holds}
    ${me} ${marker}`;
  // As a unit's closing read, its rows as one JSON array (the receipt goes with them: one round trip);
  // else prepared (prepared.ts): the most frequent statement of all, and its columns are named.
  const rows = closing
    ? ((await closing.read(sql<{ rows: PageRow[] }>`select coalesce(json_agg(p), '[]'::json) as rows from (${statement}) p`))?.rows ?? [])
    : (await sql<PageRow>`${PREPARED}${statement}`.execute(db)).rows;
  if (rows.some((x) => x.rank === -1)) return undefined;
  const top = rows.filter((x) => x.rank === null).map(({ rank: _r, of: _o, streak, ...row }) => (options.streaks ? { ...row, streak: streak ?? 0 } : row));
  const mine = rows.find((x) => x.rank !== null);
  return { top, ...(mine ? { me: { rank: mine.rank!, of: mine.of!, points: mine.points, answers: mine.answers } } : {}) };
}

/**
 * What a board looks up before its statement, in one round trip: the period's board set (board-sets.ts)
 * and, for `leagueOf`, the running season's league of that member when it has more than one. The
 * statement is then planned for what it reads (a league of 10 members reads 10 rows).
 */
async function prelude(db: ReturnType<typeof executor>, teamId: string, range: BoardRange, leagueOf?: number): Promise<{ setId?: number; league?: BoardLeague }> {
  const hasSet = hasSetPeriod(range);
  if (!hasSet && leagueOf === undefined) return {};
  const set = hasSet
    ? sql`(select b.id from board_set b where b.team_id = ${teamId} and b.starts_at = ${range.from}::timestamptz
      and coalesce(b.ends_at, 'infinity') = coalesce(${range.to ?? null}::timestamptz, 'infinity'))`
    : sql`null::int`;
  const league = leagueOf !== undefined ? sql`(select row_to_json(x) from (${runningLeague(teamId, leagueOf)}) x)` : sql`null::json`;
  const r = await sql<{ set_id: number | null; league: { season_id: number; season_name: string; tier: number; count: number } | null }>`select ${set} as set_id, ${league} as league`.execute(db);
  const row = r.rows[0];
  const lg = row?.league;
  return {
    ...(row?.set_id != null ? { setId: row.set_id } : {}),
    ...(lg ? { league: { seasonId: lg.season_id, seasonName: lg.season_name, tier: lg.tier, count: lg.count } } : {}),
  };
}

/** The running season with the member's tier in it (0 without a placement) and its number of leagues, when more than one. */
function runningLeague(teamId: string, memberId: number): RawBuilder<unknown> {
  return sql`select x.* from (select s.id as season_id, s.name as season_name,
      coalesce((select lp.tier from league_placement lp where lp.season_id = s.id and lp.member_id = ${memberId}), 0)::int as tier,
      (select coalesce(max(lp.tier), 0) + 1 from league_placement lp where lp.season_id = s.id)::int as count
    from season s where s.team_id = ${teamId} and s.status = 'active' limit 1) x where x.count >= 2`;
}

/**
 * A member's current question-of-the-day streak: the best of their runs in each channel, kept by
 * triggers beside the rounds and answers (migration 20261201T160000Z-qotd-streaks; src/core/streaks.ts
 * has the definition), so one index probe whatever the team's number of question channels.
 */
function currentStreakOf(teamId: string, member: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(select coalesce(max(s.run), 0)::int from qotd_streak s where s.team_id = ${teamId} and s.member_id = ${member})`;
}
