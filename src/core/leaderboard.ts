/** Leaderboards and stats: queries over the ledger, in the team's time zone. */
import { boardPage, boardRank, type BoardRange } from '../db/repos/boards.js';
import { activeSeason } from '../db/repos/seasons.js';
import { reviewAverage, topicStrength } from '../db/repos/stats.js';
import { findMemberByUser } from '../db/repos/tenancy.js';
import type { Handle } from '../db/repos/types.js';
import type { Intent, Period } from './commands.js';
import type { Ctx } from './context.js';
import { blocksToText, type Block } from './messages.js';
import { ephemeral, announce, type FlowOutcome } from './announce.js';
import type { Outcome } from './ports.js';
import { competitionRanks } from './ranks.js';
import { plural } from './render.js';
import { bestStreak, currentStreak, currentStreaks } from './streaks.js';
import { periodStart } from './time.js';
import { MAX_CRITERION } from './scoring.js';

const PERIOD_NAME: Record<Period, string> = { week: 'This week', month: 'This month', season: 'This season', all: 'All time' };

export async function rangeOf(db: Handle, teamId: string, timezone: string, period: Period, now: Date): Promise<{ from?: Date; to?: Date; label: string } | undefined> {
  if (period === 'all') return { label: PERIOD_NAME.all };
  if (period === 'season') {
    const season = await activeSeason(db, teamId);
    return season ? { from: season.starts_at, to: season.ends_at, label: season.name } : undefined;
  }
  return { from: periodStart(now, timezone, period), label: PERIOD_NAME[period] };
}

export async function leaderboard(ctx: Ctx, intent: Extract<Intent, { cmd: 'leaderboard' }>): Promise<FlowOutcome> {
  const range = await rangeOf(ctx.trx, ctx.team.id, ctx.team.timezone, intent.period, ctx.now);
  if (!range) return ephemeral('No season is running. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  const { label, ...span } = range;
  const blocks = await boardBlocks(ctx.trx, ctx.team.id, { ...span, ...(intent.scope === 'channel' ? { channelId: ctx.channel.id } : {}) }, `${label}${intent.scope === 'channel' ? ` in #${ctx.channel.name || 'this channel'}` : ''}`, ctx.member.id);
  return announce(ctx, blocks, { failed: (reason) => `I couldn't post the board in this channel (${reason}), so here it is just for you:\n${blocksToText(blocks)}` });
}

/** The top 10 (rank, points, answers, streak) and the caller's own rank when outside it. */
export async function boardBlocks(db: Handle, teamId: string, range: BoardRange, title: string, callerId?: number): Promise<Block[]> {
  const { top, me } = await boardPage(db, teamId, range, 10, callerId);
  if (top.length === 0) return [{ type: 'header', text: `Leaderboard · ${title}` }, { type: 'text', text: 'No points yet. Answer a question to get on the board!' }];
  const streaks = await currentStreaks(db, teamId, top.map((r) => r.member_id));
  // The top rows carry every row that ties with them, so their shared ranks are exact.
  const ranks = competitionRanks(top.map((r) => r.points));
  const tableRows = top.map((r, i) => [String(ranks[i]), r.display_name || 'someone', String(r.points), String(r.answers), String(streaks.get(r.member_id) ?? 0)]);
  const blocks: Block[] = [
    { type: 'header', text: `Leaderboard · ${title}` },
    { type: 'table', columns: ['#', 'Member', 'Points', 'Answers', 'Streak'], rows: tableRows },
  ];
  if (callerId === undefined || top.some((r) => r.member_id === callerId)) return blocks;
  blocks.push({ type: 'context', text: me ? `You: #${me.rank} with ${plural(me.points, 'point')}.` : 'You are not on this board yet.' });
  return blocks;
}

export async function stats(ctx: Ctx, intent: Extract<Intent, { cmd: 'stats' }>): Promise<Outcome> {
  const member = intent.userId ? await findMemberByUser(ctx.trx, ctx.team.id, intent.userId) : ctx.member;
  if (!member || member.forgotten_at) return ephemeral('I have no stats for them yet.');
  const blocks = await statsBlocks(ctx.trx, ctx.team.id, member.id, member.display_name || 'them');
  return { reply: { text: blocksToText(blocks), blocks, visibility: 'ephemeral' } };
}

export async function statsBlocks(db: Handle, teamId: string, memberId: number, name: string): Promise<Block[]> {
  const reviews = await reviewAverage(db, teamId, memberId);
  // Topic strength: the share of points earned of points possible, per area, from reviews and choices.
  const areas = await topicStrength(db, teamId, memberId, 3 * MAX_CRITERION);
  // One definition with the boards: answers and points are what the ledger scored at a round's close.
  const mine = await boardRank(db, teamId, {}, memberId);
  const points = mine?.points ?? 0;
  const answers = mine?.answers ?? 0;
  const fields = [
    { label: 'Answers', value: String(answers) },
    { label: 'Points', value: String(points) },
    { label: 'Rank', value: mine ? `#${mine.rank} of ${mine.of}` : '—' },
    { label: 'Average review', value: reviews?.n ? `${Number(reviews.avg).toFixed(1)}/${3 * MAX_CRITERION} (${reviews.n})` : 'no reviews yet' },
    { label: 'Streak', value: `${await currentStreak(db, teamId, memberId)} now, best ${await bestStreak(db, teamId, memberId)}` },
  ];
  const blocks: Block[] = [{ type: 'header', text: `Stats for ${name}` }, { type: 'fields', fields }];
  if (areas.length > 1) blocks.push({ type: 'text', text: `Strongest: ${areas[0]!.area} · Weakest: ${areas[areas.length - 1]!.area}` });
  else if (areas.length === 1) blocks.push({ type: 'text', text: `Scored so far in: ${areas[0]!.area}` });
  return blocks;
}
