/** Leaderboards and stats: queries over the ledger, in the team's time zone. */
import { boardPage, type BoardRange } from '../db/repos/boards.js';
import { memberStats, type MemberStats } from '../db/repos/member-stats.js';
import { activeSeason } from '../db/repos/seasons.js';
import { findMemberByUser } from '../db/repos/tenancy.js';
import { activeSeasonLeague } from '../db/repos/leagues.js';
import type { Handle, Season } from '../db/repos/types.js';
import type { Closing } from '../db/tx.js';
import type { Intent, Period } from './commands.js';
import type { Ctx } from './context.js';
import { blocksToText, message, type Block } from './messages.js';
import { ephemeral, announce, type FlowOutcome } from './announce.js';
import { capabilitiesOf, type Outcome } from './ports.js';
import { competitionRanks } from './ranks.js';
import { plural } from './render.js';
import { currentRun, longestRun } from './streaks.js';
import { periodStart } from './time.js';
import { chartOf, offerStats, weekBounds, WEEKS } from './stats-chart.js';
import { MAX_CRITERION } from './scoring.js';
import { bestBlocks, boardLeague, channelBlocks, improvedBlocks, leagueNote, progressSpan, type LeagueView } from './fair-boards.js';
import { leagueName } from './leagues.js';
import { topicsOf } from './practice-cards.js';

const PERIOD_NAME: Record<Period, string> = { week: 'This week', month: 'This month', season: 'This season', all: 'All time' };

/** `season`: the running season when already read (undefined: read it here when the period needs it; null: none runs). */
export async function rangeOf(db: Handle, teamId: string, timezone: string, period: Period, now: Date, season?: Season | null): Promise<{ from?: Date; to?: Date; label: string } | undefined> {
  if (period === 'all') return { label: PERIOD_NAME.all };
  if (period === 'season') {
    const running = season === undefined ? await activeSeason(db, teamId) : season;
    return running ? { from: running.starts_at, to: running.ends_at, label: running.name } : undefined;
  }
  return { from: periodStart(now, timezone, period), label: PERIOD_NAME[period] };
}

export async function leaderboard(ctx: Ctx, intent: Extract<Intent, { cmd: 'leaderboard' }>): Promise<FlowOutcome> {
  // Where the platform answers a command in the channel itself (Slack, Discord), the board is that answer:
  // no post to send and mark sent, which cost a board as much as its query (issue 13), and it shows in
  // channels the bot was never invited to. A board changes nothing, so there is nothing to retry. With no
  // post to queue, the board's read closes the unit (the receipt goes with it: one round trip).
  const inChannel = ctx.event.type === 'command' && capabilitiesOf(ctx.deps.chat, ctx.teamRef).publicAnswers === true;
  const blocks = await boardFor(ctx, intent, inChannel ? ctx.tx.closing : undefined);
  if (!Array.isArray(blocks)) return blocks;
  if (inChannel) return { inChannel: message(blocks) };
  return announce(ctx, blocks, { failed: (reason) => `I couldn't post the board in this channel (${reason}), so here it is just for you:\n${blocksToText(blocks)}` });
}

/** The blocks of the board asked for (fair-boards.ts has the boards beside the points board). */
async function boardFor(ctx: Ctx, intent: Extract<Intent, { cmd: 'leaderboard' }>, closing?: Closing): Promise<Block[] | Outcome> {
  const zone = ctx.team.timezone;
  if (intent.board === 'improved' || intent.board === 'best') {
    const span = progressSpan(intent.period, zone, ctx.now);
    const title = span.period === 'week' ? 'This week' : 'This month';
    return intent.board === 'improved' ? improvedBlocks(ctx.trx, ctx.team.id, span, span.period, title) : bestBlocks(ctx.trx, ctx.team.id, { ...span, timezone: zone }, span.period, title);
  }
  // The running season and the caller's league in it, read once for the period and the league; the
  // usual board (the team's, no league asked for) reads them in its own statement instead.
  const auto = intent.scope === 'team' && intent.board === undefined && intent.period !== 'season';
  const active = !auto && ((intent.scope === 'team' && intent.board === 'league') || intent.period === 'season') ? ((await activeSeasonLeague(ctx.trx, ctx.team.id, ctx.member.id)) ?? null) : undefined;
  const range = await rangeOf(ctx.trx, ctx.team.id, zone, intent.period, ctx.now, active === undefined ? undefined : (active?.season ?? null));
  if (!range) return ephemeral('No season is running. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  const { label, ...span } = range;
  if (intent.board === 'channels') return channelBlocks(ctx.trx, ctx.team.id, span, label);
  const league = intent.scope === 'team' && !auto ? boardLeague(intent.board, active ?? undefined) : undefined;
  if (league === 'no-season') return ephemeral('Leagues run within a season, and none is running. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  const where = intent.scope === 'channel' ? { channelId: ctx.channel.id } : league ? { league: { seasonId: league.seasonId, tier: league.tier } } : {};
  const title = `${label}${intent.scope === 'channel' ? ` in #${ctx.channel.name || 'this channel'}` : ''}`;
  return pointsBoard(ctx.trx, ctx.team.id, { ...span, ...where }, title, ctx.member.id, league ? { fixed: league } : { auto }, closing);
}

/** The points board, titled with its league when it has one, and the league's small print under it. */
async function pointsBoard(db: Handle, teamId: string, range: BoardRange, title: string, callerId: number | undefined, league: { fixed?: LeagueView; auto?: boolean }, closing?: Closing): Promise<Block[]> {
  const page = await boardPage(db, teamId, range, 10, callerId, { streaks: true, autoLeague: league.auto === true, ...(closing ? { closing } : {}) });
  const view = league.fixed ?? (page.league && { seasonId: page.league.seasonId, tier: page.league.tier, count: page.league.count, seasonName: page.league.seasonName });
  const blocks = boardRows(page, `${title}${view ? ` · ${leagueName(view.tier)} league` : ''}`, callerId);
  return view ? [...blocks, { type: 'context', text: leagueNote(view) }] : blocks;
}

/** The top 10 (rank, points, answers, streak) and the caller's own rank when outside it. */
export async function boardBlocks(db: Handle, teamId: string, range: BoardRange, title: string, callerId?: number): Promise<Block[]> {
  // The top, their current streaks and the caller's place: one statement.
  return boardRows(await boardPage(db, teamId, range, 10, callerId, { streaks: true }), title, callerId);
}

function boardRows({ top, me }: Awaited<ReturnType<typeof boardPage>>, title: string, callerId?: number): Block[] {
  if (top.length === 0) return [{ type: 'header', text: `Leaderboard · ${title}` }, { type: 'text', text: 'No points yet. Answer a question to get on the board!' }];
  // The top rows carry every row that ties with them, so their shared ranks are exact.
  const ranks = competitionRanks(top.map((r) => r.points));
  const tableRows = top.map((r, i) => [String(ranks[i]), r.display_name || 'someone', String(r.points), String(r.answers), String(r.streak ?? 0)]);
  const blocks: Block[] = [
    { type: 'header', text: `Leaderboard · ${title}` },
    { type: 'table', columns: ['#', 'Member', 'Points', 'Answers', 'Streak'], rows: tableRows },
  ];
  if (callerId === undefined || top.some((r) => r.member_id === callerId)) return blocks;
  blocks.push({ type: 'context', text: me ? `You: #${me.rank} with ${plural(me.points, 'point')}.` : 'You are not on this board yet.' });
  return blocks;
}

export async function stats(ctx: Ctx, intent: Extract<Intent, { cmd: 'stats' }>): Promise<FlowOutcome> {
  const member = intent.userId ? await findMemberByUser(ctx.trx, ctx.team.id, intent.userId) : ctx.member;
  if (!member || member.forgotten_at) return ephemeral('I have no stats for them yet.');
  const name = member.display_name || 'them';
  // One statement reads the words and the picture (the picture says what the words say).
  const bounds = weekBounds(ctx.now, ctx.team.timezone, WEEKS);
  // In a closing unit (dojo.ts), this read closes it: the receipt goes with it.
  const data = await memberStats(ctx.trx, ctx.team.id, member.id, bounds, 3 * MAX_CRITERION, ctx.tx.closing);
  const blocks = statsOf(data, name, ctx.now, member.id === ctx.member.id);
  // The words go at once; the chart is offered to the drawing after the commit and follows them.
  const chart = chartOf(name, ctx.team.timezone, bounds, data.weeks, data.topics);
  return { after: offerStats(ctx, ctx.team.platform, chart, { text: blocksToText(blocks), blocks, visibility: 'ephemeral' }) };
}

export async function statsBlocks(db: Handle, teamId: string, memberId: number, name: string, now: Date, self = false): Promise<Block[]> {
  return statsOf(await memberStats(db, teamId, memberId, [], 3 * MAX_CRITERION), name, now, self);
}

function statsOf(data: MemberStats, name: string, now: Date, self: boolean): Block[] {
  const reviews = data.reviews;
  // Topic strength: the share of points earned of points possible, and how much of its practice they recall now.
  const areas = topicsOf(data.topics, data.cards, now);
  // One definition with the boards: answers and points are what the ledger scored at a round's close.
  const mine = data.place;
  const points = mine?.points ?? 0;
  const answers = mine?.answers ?? 0;
  const fields = [
    { label: 'Answers', value: String(answers) },
    { label: 'Points', value: String(points) },
    { label: 'Rank', value: mine ? `#${mine.rank} of ${mine.of}` : '—' },
    { label: 'Average review', value: reviews.n ? `${Number(reviews.avg).toFixed(1)}/${3 * MAX_CRITERION} (${reviews.n})` : 'no reviews yet' },
    { label: 'Streak', value: `${currentRun(data.qotd)} now, best ${longestRun(data.qotd)}` },
  ];
  const blocks: Block[] = [{ type: 'header', text: `Stats for ${name}` }, { type: 'fields', fields }];
  if (areas.length > 1) blocks.push({ type: 'text', text: `Strongest: ${areas[0]!.area} · Weakest: ${areas[areas.length - 1]!.area}` });
  else if (areas.length === 1) blocks.push({ type: 'text', text: `Scored so far in: ${areas[0]!.area}` });
  if (areas.length) {
    const pct = (m?: { score: number; n: number }) => (m ? `${Math.round(m.score * 100)}% (${m.n})` : '—');
    const shown = areas.length > 8 ? [...areas.slice(0, 4), ...areas.slice(-4)] : areas;
    blocks.push({ type: 'table', columns: ['Topic', 'Scored', 'Recall now'], rows: shown.map((t) => [t.area, pct(t.history), pct(t.retention)]) });
    if (self && areas.length > 1) blocks.push({ type: 'context', text: `Recall now: how likely you are to remember a topic's practised questions today. /dojo practice topic:weakest drills ${areas.at(-1)!.area}.` });
  }
  return blocks;
}
