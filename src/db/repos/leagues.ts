/** League placements of a season: who is in which tier, and how the season ended for them. */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { SeasonRow } from '../schema/season.js';
import { memberSums } from './boards.js';

export interface PlacementCandidate {
  member_id: number;
  display_name: string;
  /** Points in the recent window before the season's start. */
  recent: number;
  /** The tier earned at the end of the team's previous season, if any. */
  carried: number | null;
}

/**
 * Who is placed when a season starts: members (not forgotten) who scored since `recentFrom`, or who earned
 * a tier at the end of the team's previous season, with their recent points and that tier.
 */
export async function placementCandidates(handle: Handle, teamId: string, recentFrom: Date): Promise<PlacementCandidate[]> {
  const db = executor(handle);
  const r = await sql<PlacementCandidate>`
    with last as (select id from season where team_id = ${teamId} and status = 'ended' order by ended_at desc limit 1),
    carried as (select lp.member_id, lp.next_tier from league_placement lp where lp.season_id = (select id from last) and lp.next_tier is not null),
    recent as ${memberSums(teamId, { from: recentFrom })}
    select m.id as member_id, m.display_name, coalesce(recent.points, 0)::int as recent, carried.next_tier as carried
    from member m left join recent on recent.member_id = m.id left join carried on carried.member_id = m.id
    where m.team_id = ${teamId} and m.forgotten_at is null and (recent.member_id is not null or carried.member_id is not null)`.execute(db);
  return r.rows;
}

export async function savePlacements(handle: Handle, rows: { season_id: number; member_id: number; team_id: string; tier: number }[]): Promise<void> {
  const db = executor(handle);
  if (rows.length) await db.insertInto('league_placement').values(rows).execute();
}

/** How many leagues the season has (1 when nobody was placed: everyone is in the lowest). */
export async function leagueCount(handle: Handle, seasonId: number): Promise<number> {
  const db = executor(handle);
  const r = await db.selectFrom('league_placement').select(sql<number | null>`max(tier)`.as('top')).where('season_id', '=', seasonId).executeTakeFirst();
  return (r?.top ?? 0) + 1;
}

/** The team's running season with the member's tier in it (0 without a placement) and how many leagues it has: one statement. */
export async function activeSeasonLeague(handle: Handle, teamId: string, memberId: number): Promise<{ season: SeasonRow; tier: number; count: number } | undefined> {
  const db = executor(handle);
  const r = await sql<SeasonRow & { my_tier: number; league_count: number }>`
    select s.*, coalesce((select lp.tier from league_placement lp where lp.season_id = s.id and lp.member_id = ${memberId}), 0)::int as my_tier,
      (select coalesce(max(lp.tier), 0) + 1 from league_placement lp where lp.season_id = s.id)::int as league_count
    from season s where s.team_id = ${teamId} and s.status = 'active' limit 1`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const { my_tier: tier, league_count: count, ...season } = row;
  return { season, tier, count };
}

export interface SeasonStanding { member_id: number; display_name: string; tier: number; points: number }

/** Everyone who scored in [from, to) (not forgotten), with their tier in the season (0 without a placement). */
export async function seasonStandings(handle: Handle, teamId: string, seasonId: number, from: Date, to: Date): Promise<SeasonStanding[]> {
  const db = executor(handle);
  const r = await sql<SeasonStanding>`
    select s.member_id, m.display_name, coalesce(lp.tier, 0)::int as tier, s.points::int as points
    from ${memberSums(teamId, { from, to })} s join member m on m.id = s.member_id and m.forgotten_at is null
      left join league_placement lp on lp.season_id = ${seasonId} and lp.member_id = s.member_id
    order by tier desc, points desc, m.display_name, s.member_id`.execute(db);
  return r.rows;
}

/** Records how the season ended for each member who scored (a placement is added for a mid-season joiner). */
export async function settlePlacements(handle: Handle, teamId: string, seasonId: number, rows: { member_id: number; tier: number; rank: number; points: number; next_tier: number }[]): Promise<void> {
  const db = executor(handle);
  if (rows.length === 0) return;
  await db
    .insertInto('league_placement')
    .values(rows.map((r) => ({ season_id: seasonId, member_id: r.member_id, team_id: teamId, tier: r.tier, final_rank: r.rank, final_points: r.points, next_tier: r.next_tier })))
    .onConflict((oc) => oc.columns(['season_id', 'member_id']).doUpdateSet((eb) => ({ final_rank: eb.ref('excluded.final_rank'), final_points: eb.ref('excluded.final_points'), next_tier: eb.ref('excluded.next_tier') })))
    .execute();
}

/** The season's placements (by tier, best first), for tests and archives. */
export async function placementsOf(handle: Handle, seasonId: number): Promise<{ member_id: number; display_name: string; tier: number; final_rank: number | null; next_tier: number | null }[]> {
  const db = executor(handle);
  return db
    .selectFrom('league_placement as lp')
    .innerJoin('member as m', 'm.id', 'lp.member_id')
    .select(['lp.member_id', 'm.display_name', 'lp.tier', 'lp.final_rank', 'lp.next_tier'])
    .where('lp.season_id', '=', seasonId)
    .orderBy('lp.tier', 'desc')
    .orderBy('m.display_name')
    .execute();
}

/** A member's league history goes with their points (forget-me). */
export async function forgetPlacements(handle: Handle, memberId: number): Promise<void> {
  const db = executor(handle);
  await db.deleteFrom('league_placement').where('member_id', '=', memberId).execute();
}
