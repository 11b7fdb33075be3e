/**
 * Leagues: within a season, members compete in small leagues of people near their level. When a season
 * starts, members keep the league they earned at the end of the last one (newcomers who scored in the 28
 * days before join the lowest); the first time, everyone starts in one group. A group larger than 10 is
 * cut, by points in those 28 days, into leagues of at most 10, as even as possible (12 → 6 and 6), the
 * best on top. Someone who first scores mid-season is in the lowest league. When the season ends, each league ranks
 * the members who scored in it by season points (shared ranks): the top `movesFor(size)` move up, the
 * bottom as many move down (never out of the top or bottom league), and a tie at the line goes the
 * members' way: everyone tied at the promotion line moves up, nobody tied at the relegation line moves
 * down. Members who scored nothing in the season earn no league and start again from the lowest.
 */
import { leagueCount, placementCandidates, type PlacementCandidate, savePlacements, seasonStandings, settlePlacements } from '../db/repos/leagues.js';
import type { Handle } from '../db/repos/types.js';
import { competitionRanks } from './ranks.js';

export const LEAGUE_SIZE = 10;
export const RECENT_DAYS = 28;
const NAMES = ['Bronze', 'Silver', 'Gold', 'Sapphire', 'Ruby', 'Emerald', 'Amethyst', 'Pearl', 'Obsidian', 'Diamond'];

export const leagueName = (tier: number): string => NAMES[tier] ?? `League ${tier + 1}`;

/** How many move up (and down) in a league of `size` who scored: a third, at most 3 (10 → 3, 6 → 2, 2 → 0). */
export const movesFor = (size: number): number => Math.min(3, Math.floor(size / 3));

/** Cuts members ordered best first into leagues of at most LEAGUE_SIZE, as even as possible; the first get the top tier. */
export function formLeagues<T>(ordered: T[]): { item: T; tier: number }[] {
  const n = ordered.length;
  if (n === 0) return [];
  const leagues = Math.ceil(n / LEAGUE_SIZE);
  const base = Math.floor(n / leagues);
  const out: { item: T; tier: number }[] = [];
  let i = 0;
  for (let k = 0; k < leagues; k++) {
    const size = base + (k < n % leagues ? 1 : 0);
    for (let j = 0; j < size; j++) out.push({ item: ordered[i++]!, tier: leagues - 1 - k });
  }
  return out;
}

export interface Move { member_id: number; display_name: string; tier: number; rank: number; points: number; next_tier: number }

/** One league's end: shared ranks by points and the tier each member earned. `top` is the highest tier of the season. */
export function settleLeague(rows: { member_id: number; display_name: string; points: number }[], tier: number, top: number): Move[] {
  const sorted = [...rows].sort((a, b) => b.points - a.points);
  const ranks = competitionRanks(sorted.map((r) => r.points));
  const moves = movesFor(sorted.length);
  return sorted.map((r, i) => {
    const rank = ranks[i]!;
    const up = tier < top && moves > 0 && rank <= moves;
    const down = tier > 0 && moves > 0 && rank > sorted.length - moves;
    return { member_id: r.member_id, display_name: r.display_name, tier, rank, points: r.points, next_tier: up ? tier + 1 : down ? tier - 1 : tier };
  });
}

/** Places the team's members in leagues for a season that starts now (in the season's own transaction); returns how many leagues. */
export async function placeLeagues(db: Handle, teamId: string, seasonId: number, now: Date): Promise<number> {
  const candidates = await placementCandidates(db, teamId, new Date(now.getTime() - RECENT_DAYS * 86_400_000));
  candidates.sort((a, b) => b.recent - a.recent || a.display_name.localeCompare(b.display_name) || a.member_id - b.member_id);
  // Earned tiers from the top, each cut to size: leagues best first.
  const earned = [...new Set(candidates.map((c) => c.carried ?? 0))].sort((a, b) => b - a);
  const leagues: PlacementCandidate[][] = [];
  for (const tier of earned) {
    const cut = formLeagues(candidates.filter((c) => (c.carried ?? 0) === tier));
    for (const t of [...new Set(cut.map((c) => c.tier))].sort((a, b) => b - a)) leagues.push(cut.filter((c) => c.tier === t).map((c) => c.item));
  }
  const rows = leagues.flatMap((members, i) => members.map((m) => ({ season_id: seasonId, member_id: m.member_id, team_id: teamId, tier: leagues.length - 1 - i })));
  await savePlacements(db, rows);
  return leagues.length;
}

/** Settles every league of a season that ended at `to` (in the transaction that ends it): the moves, best league first. */
export async function settleLeagues(db: Handle, teamId: string, season: { id: number; starts_at: Date }, to: Date): Promise<Move[]> {
  const top = (await leagueCount(db, season.id)) - 1;
  const standings = await seasonStandings(db, teamId, season.id, season.starts_at, to);
  const moves: Move[] = [];
  for (let tier = top; tier >= 0; tier--) moves.push(...settleLeague(standings.filter((s) => s.tier === tier), tier, top));
  await settlePlacements(db, teamId, season.id, moves);
  return moves;
}

/** The season's promotions and relegations in a line per league that had any. */
export function movesText(moves: Move[]): string[] {
  const lines: string[] = [];
  const tiers = [...new Set(moves.map((m) => m.tier))];
  for (const tier of tiers) {
    const names = (next: number) => moves.filter((m) => m.tier === tier && m.next_tier === next).map((m) => m.display_name || 'someone');
    const up = names(tier + 1);
    const down = names(tier - 1);
    if (!up.length && !down.length) continue;
    const parts = [...(up.length ? [`up to ${leagueName(tier + 1)}: ${up.join(', ')}`] : []), ...(down.length ? [`down to ${leagueName(tier - 1)}: ${down.join(', ')}`] : [])];
    lines.push(`${leagueName(tier)} · ${parts.join(' · ')}`);
  }
  return lines;
}

