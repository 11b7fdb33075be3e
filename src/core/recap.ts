/**
 * The weekly recap: when a team's week ends (Monday 00:00 in its time zone), each channel with a running
 * question-of-the-day schedule gets the week in a message: the top of the board, the best answers mentors
 * picked, the most improved, the hardest question, the streaks kept and a line per league. The tick claims
 * a team's week in Postgres (weekly_recap) in the transaction that queues the posts, so two instances never
 * both post it; a week with no answers gets no recap, and one missed by more than a day is skipped.
 */
import { boardTop, type BoardRow } from '../db/repos/boards.js';
import { leagueCount } from '../db/repos/leagues.js';
import { answerersIn, bestPicks, claimRecap, dueRecaps, hardestQuestion, scheduledChannels } from '../db/repos/recaps.js';
import { improvementRows } from '../db/repos/competition.js';
import { activeSeason } from '../db/repos/seasons.js';
import type { Work } from './context.js';
import { send } from './outbox.js';
import { previousPeriod } from './fair-boards.js';
import { leagueName } from './leagues.js';
import { message, type Block, type OutImage, type OutMessage } from './messages.js';
import { competitionRanks } from './ranks.js';
import type { Handle } from '../db/repos/types.js';
import { plural } from './render.js';
import { currentStreaks } from './streaks.js';
import { periodStart, zonedToUtc } from './time.js';

/** A question is the week's hardest only with at least this many answers. */
export const HARDEST_MIN_ANSWERS = 3;
/** Streaks of at least this many days are named as kept. */
export const STREAK_SHOWN = 2;

export interface Recap {
  blocks: Block[];
  /** The week's top 10, drawn as the recap's picture. */
  board: BoardRow[];
}

const day = (at: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short' }).format(at);
const clip = (text: string, n = 80) => (text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text);
const name = (n: string) => n || 'someone';

/** The recap of the week [from, to) in the team's zone; undefined when nobody answered that week. */
export async function weeklyRecap(db: Handle, team: { id: string; timezone: string }, from: Date, to: Date): Promise<Recap | undefined> {
  const answerers = await answerersIn(db, team.id, from, to);
  if (answerers.length === 0) return undefined;
  const zone = team.timezone;
  const board = await boardTop(db, team.id, { from, to }, 10);
  const blocks: Block[] = [
    { type: 'header', text: `Week in review · ${day(from, zone)} – ${day(new Date(to.getTime() - 1), zone)}` },
    { type: 'text', text: `${plural(answerers.length, 'member')} answered. Top of the week: ${board.slice(0, 3).map((r) => `${name(r.display_name)} (${r.points})`).join(', ')}.` },
  ];
  const picks = await bestPicks(db, team.id, from, to, 3);
  if (picks.length) blocks.push({ type: 'text', text: 'Best answers picked by mentors:' }, { type: 'list', items: picks.map((p) => `${name(p.display_name)} on “${clip(p.prompt)}” (${p.total}/12)`) });
  const improved = (await improvementRows(db, team.id, { previousFrom: previousPeriod(from, zone, 'week'), from, to })).filter((r) => r.points > r.before).slice(0, 3);
  if (improved.length) blocks.push({ type: 'text', text: `Most improved: ${improved.map((r) => `${name(r.display_name)} +${r.points - r.before} (${r.points} against ${r.before})`).join(', ')}.` });
  const hardest = await hardestQuestion(db, team.id, from, to, HARDEST_MIN_ANSWERS);
  if (hardest) blocks.push({ type: 'text', text: `Hardest question: “${clip(hardest.prompt)}”: ${hardest.correct} of ${hardest.answers} right (${Math.round((100 * hardest.correct) / hardest.answers)}%).` });
  const streaks = await currentStreaks(db, team.id, answerers.map((a) => a.member_id));
  const kept = answerers.map((a) => ({ name: name(a.display_name), days: streaks.get(a.member_id) ?? 0 })).filter((s) => s.days >= STREAK_SHOWN).sort((a, b) => b.days - a.days || a.name.localeCompare(b.name));
  if (kept.length) blocks.push({ type: 'text', text: `Streaks kept: ${kept.map((s) => `${s.name} ${s.days} days`).join(', ')}.` });
  const leagues = await leagueLines(db, team.id, to);
  if (leagues.length) blocks.push({ type: 'text', text: 'Leagues:' }, { type: 'list', items: leagues });
  return { blocks, board };
}

/** One line per league of the running season: who leads it on the season's board so far. */
async function leagueLines(db: Handle, teamId: string, to: Date): Promise<string[]> {
  const season = await activeSeason(db, teamId);
  if (!season) return [];
  const lines: string[] = [];
  for (let tier = (await leagueCount(db, season.id)) - 1; tier >= 0; tier--) {
    const [lead] = await boardTop(db, teamId, { from: season.starts_at, to, league: { seasonId: season.id, tier } }, 1);
    lines.push(`${leagueName(tier)}: ${lead ? `${name(lead.display_name)} leads with ${plural(lead.points, 'point')}` : 'nobody has scored yet'}`);
  }
  return lines;
}

/** The week's board as a picture (the words say the same); none when it fails to draw. */
async function drawBoard(work: Work, rows: BoardRow[], title: string): Promise<OutImage | undefined> {
  const ranks = competitionRanks(rows.map((r) => r.points));
  try {
    // Loaded at the first recap (see drawStats): the charts' native library is not an idle cost.
    const { boardChart } = await import('../charts/index.js');
    return await boardChart(rows.map((r, i) => ({ name: name(r.display_name), points: r.points, rank: ranks[i]! })), { title, name: 'dojo-week.png' });
  } catch (error) {
    work.deps.log.warn({ err: error }, 'could not draw the recap chart');
    return undefined;
  }
}

/** The tick's job: recaps of weeks that just ended, claimed once per team and week. */
export async function postWeeklyRecaps(work: Work): Promise<number> {
  let posted = 0;
  for (const due of await dueRecaps(work.trx, work.now)) {
    if (!(await claimRecap(work.trx, due.team_id, due.week_start, work.now))) continue;
    const [y, m, d] = due.week_start.split('-').map(Number) as [number, number, number];
    const from = zonedToUtc(y, m, d, 0, 0, due.timezone);
    const to = periodStart(work.now, due.timezone, 'week');
    const recap = await weeklyRecap(work.trx, { id: due.team_id, timezone: due.timezone }, from, to);
    if (!recap) continue;
    const chart = await drawBoard(work, recap.board, `The week's board · ${day(from, due.timezone)} – ${day(new Date(to.getTime() - 1), due.timezone)}`);
    const msg: OutMessage = { ...message(recap.blocks), ...(chart ? { files: [chart] } : {}) };
    for (const channel of await scheduledChannels(work.trx, due.team_id)) {
      await send(work, { teamId: due.team_id, channelId: channel.id }, { kind: 'post', channel: channel.platform_channel_id, message: msg });
      posted++;
    }
  }
  return posted;
}
