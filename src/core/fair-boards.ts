/**
 * The boards beside the points board, so the same few people do not always win: most improved (this
 * period against the member's own previous one), personal bests (this period against the member's best
 * earlier one), your league's board in a season, and channels by points per active member.
 */
import { channelRows, improvementRows, personalBestRows, type ProgressRow } from '../db/repos/competition.js';
import type { BoardRange } from '../db/repos/boards.js';
import type { Handle, Season } from '../db/repos/types.js';
import type { Board, Intent } from './commands.js';
import { leagueName } from './leagues.js';
import type { Block } from './messages.js';
import { competitionRanks } from './ranks.js';
import { localParts, periodStart, zonedToUtc } from './time.js';

const DAY = 86_400_000;
const LAST: Record<'week' | 'month', string> = { week: 'Last week', month: 'Last month' };
const THIS: Record<'week' | 'month', string> = { week: 'This week', month: 'This month' };

/** The previous week or month: [previousFrom, from). */
export function previousPeriod(from: Date, zone: string, period: 'week' | 'month'): Date {
  return periodStart(new Date(from.getTime() - 1), zone, period);
}

/** Where personal bests look back from: 52 weeks or 12 months before `from`. */
export function lookbackStart(from: Date, zone: string, period: 'week' | 'month'): Date {
  if (period === 'week') return periodStart(new Date(from.getTime() - 364 * DAY + 12 * 3_600_000), zone, 'week');
  const p = localParts(from, zone);
  return zonedToUtc(p.year - 1, p.month, 1, 0, 0, zone);
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

function progressTable(rows: ProgressRow[], columns: string[], last: (r: ProgressRow) => string): Block {
  const ranks = competitionRanks(rows.map((r) => r.points - r.before));
  return { type: 'table', columns, rows: rows.map((r, i) => [String(ranks[i]), r.display_name || 'someone', String(r.points), String(r.before), last(r)]) };
}

/** Most improved over [from, to) against the period before it; only members who did better are listed. */
export async function improvedBlocks(db: Handle, teamId: string, span: { previousFrom: Date; from: Date; to?: Date }, period: 'week' | 'month', title: string, league?: BoardRange['league']): Promise<Block[]> {
  const rows = (await improvementRows(db, teamId, span, league)).filter((r) => r.points > r.before).slice(0, 10);
  const header: Block = { type: 'header', text: `Most improved · ${title}` };
  if (rows.length === 0) return [header, { type: 'text', text: `Nobody has beaten their ${LAST[period].toLowerCase()} yet. Answer a question and be the first!` }];
  return [
    header,
    progressTable(rows, ['#', 'Member', THIS[period], LAST[period], 'Change'], (r) => signed(r.points - r.before)),
    { type: 'context', text: `Points this ${period} against your own ${LAST[period].toLowerCase()}: a first ${period} counts against 0.` },
  ];
}

/** This period against each member's best earlier one (52 weeks or 12 months back). */
export async function bestBlocks(db: Handle, teamId: string, span: { from: Date; to?: Date; timezone: string }, period: 'week' | 'month', title: string, league?: BoardRange['league']): Promise<Block[]> {
  const rows = (await personalBestRows(db, teamId, { ...span, grain: period, lookbackFrom: lookbackStart(span.from, span.timezone, period) }, league)).slice(0, 10);
  const header: Block = { type: 'header', text: `Personal bests · ${title}` };
  if (rows.length === 0) return [header, { type: 'text', text: 'No points yet. Answer a question to set a best!' }];
  const against = (r: ProgressRow) => (r.points > r.before ? `${signed(r.points - r.before)} new best!` : r.points === r.before ? 'equals best' : `${r.before - r.points} to go`);
  return [header, progressTable(rows, ['#', 'Member', THIS[period], `Best ${period}`, 'Against best'], against), { type: 'context', text: `Each member against their own best ${period} of the last ${period === 'week' ? '52 weeks' : '12 months'}.` }];
}

/** Channels by points per active member (answered at least once in the range). */
export async function channelBlocks(db: Handle, teamId: string, range: { from?: Date; to?: Date }, title: string): Promise<Block[]> {
  const rows = (await channelRows(db, teamId, range)).slice(0, 10);
  const header: Block = { type: 'header', text: `Channels · ${title}` };
  if (rows.length === 0) return [header, { type: 'text', text: 'No answers yet. Answer a question to put your channel on the board!' }];
  const avg = rows.map((r) => r.points / r.active);
  const ranks = competitionRanks(avg.map((a) => Math.round(a * 10)));
  return [
    header,
    { type: 'table', columns: ['#', 'Channel', 'Per member', 'Active', 'Points'], rows: rows.map((r, i) => [String(ranks[i]), `#${r.name || 'channel'}`, avg[i]!.toFixed(1), String(r.active), String(r.points)]) },
    { type: 'context', text: 'Points per active member (someone who answered there at least once), so a big channel does not win by size.' },
  ];
}

export interface LeagueView { seasonId: number; tier: number; count: number; seasonName: string }

/**
 * The league the board shows: the caller's, in a running season, when they asked for it or when the
 * season has more than one league (with one league, the league is everyone). undefined: the whole team.
 * `active`: the running season with the caller's tier and the number of leagues (activeSeasonLeague).
 */
export function boardLeague(board: Board | undefined, active: { season: Season; tier: number; count: number } | undefined): LeagueView | 'no-season' | undefined {
  if (board !== undefined && board !== 'league') return undefined;
  if (!active) return board === 'league' ? 'no-season' : undefined;
  if (board !== 'league' && active.count < 2) return undefined;
  return { seasonId: active.season.id, tier: active.tier, count: active.count, seasonName: active.season.name };
}

/** The small print under a league's board. */
export function leagueNote(view: LeagueView): string {
  return `${leagueName(view.tier)} league (${view.tier + 1} of ${view.count}). When ${view.seasonName} ends, the top third of each league (up to 3) moves up and the bottom third moves down. /dojo leaderboard board:all shows everyone.`;
}

/** The spans of improved and best boards for this week or month (so far: open-ended, as the points board). */
export function progressSpan(period: Extract<Intent, { cmd: 'leaderboard' }>['period'], zone: string, now: Date): { period: 'week' | 'month'; previousFrom: Date; from: Date } {
  const p = period === 'month' ? 'month' : 'week';
  const from = periodStart(now, zone, p);
  return { period: p, previousFrom: previousPeriod(from, zone, p), from };
}
