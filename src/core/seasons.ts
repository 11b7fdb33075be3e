/**
 * Seasons: a named stretch of time with its own board. At its end the bot posts the final board and
 * the winners, and the results stay queryable as an archive.
 */
import { board } from '../db/repos/ledger.js';
import { activeSeason, claimEndedSeasons, createSeason, endSeason, lastEndedSeason, resultsOf, saveResults } from '../db/repos/seasons.js';
import { findChannel, findTeam } from '../db/repos/tenancy.js';
import type { SeasonRow } from '../db/schema/season.js';
import type { Intent } from './commands.js';
import type { Ctx, Work } from './context.js';
import { send } from './delivery.js';
import { boardBlocks } from './leaderboard.js';
import type { Block } from './messages.js';
import { blocksToText, message } from './messages.js';
import type { Outcome } from './ports.js';
import { competitionRanks } from './ranks.js';
import { formatLocal, zonedToUtc } from './time.js';

const ephemeral = (text: string): Outcome => ({ reply: { text, visibility: 'ephemeral' } });

export async function startSeason(ctx: Ctx, intent: Extract<Intent, { cmd: 'season-start' }>): Promise<Outcome> {
  // "until" a date includes that whole day in the team's zone.
  const next = new Date(Date.parse(`${intent.until}T00:00:00Z`) + 86_400_000);
  const endsAt = zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, ctx.team.timezone);
  if (endsAt <= ctx.now) return ephemeral('That date has passed; pick a day in the future.');
  const current = await activeSeason(ctx.trx, ctx.team.id);
  if (current) return ephemeral(`"${current.name}" is running until ${formatLocal(current.ends_at, ctx.team.timezone)}. End it first with /dojo season end.`);
  const season = await createSeason(ctx.trx, { team_id: ctx.team.id, channel_id: ctx.channel.id, name: intent.name, status: 'active', starts_at: ctx.now, ends_at: endsAt, ended_at: null });
  if (!season) return ephemeral('A season is already running.');
  return { reply: { text: `Season "${season.name}" has started! It runs until ${formatLocal(endsAt, ctx.team.timezone)}. /dojo leaderboard season shows the race.`, visibility: 'channel' } };
}

export async function endSeasonNow(ctx: Ctx): Promise<Outcome> {
  const season = await activeSeason(ctx.trx, ctx.team.id);
  if (!season) return ephemeral('No season is running.');
  await finish(ctx, season);
  return ephemeral(`"${season.name}" has ended; the final board is posted.`);
}

export async function showSeason(ctx: Ctx): Promise<Outcome> {
  const season = await activeSeason(ctx.trx, ctx.team.id);
  if (season) {
    const rows = await board(ctx.trx, ctx.team.id, { from: season.starts_at, to: season.ends_at });
    const blocks = await boardBlocks(ctx.trx, ctx.team.id, rows, `${season.name} (until ${formatLocal(season.ends_at, ctx.team.timezone)})`, ctx.member.id);
    return { reply: { text: blocksToText(blocks), blocks, visibility: 'ephemeral' } };
  }
  const last = await lastEndedSeason(ctx.trx, ctx.team.id);
  if (!last) return ephemeral('No season yet. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  const blocks = archiveBlocks(last, await resultsOf(ctx.trx, last.id));
  return { reply: { text: blocksToText(blocks), blocks, visibility: 'ephemeral' } };
}

function archiveBlocks(season: SeasonRow, results: { rank: number; display_name: string; points: number; answers: number }[]): Block[] {
  return [
    { type: 'header', text: `Final board · ${season.name}` },
    results.length
      ? { type: 'table', columns: ['#', 'Member', 'Points', 'Answers'], rows: results.slice(0, 10).map((r, i) => [String(competitionRanks(results.map((x) => x.points))[i]), r.display_name, String(r.points), String(r.answers)]) }
      : { type: 'text', text: 'Nobody scored this season.' },
  ];
}

async function finish(work: Work, season: SeasonRow): Promise<void> {
  const ended = await endSeason(work.trx, season.id, work.now);
  if (!ended) return;
  const to = work.now < season.ends_at ? work.now : season.ends_at;
  const rows = await board(work.trx, season.team_id, { from: season.starts_at, to });
  const results = rows.map((r, i) => ({ season_id: season.id, rank: i + 1, member_id: r.member_id, display_name: r.display_name || 'someone', points: r.points, answers: r.answers }));
  await saveResults(work.trx, results);
  const channel = season.channel_id !== null ? await findChannel(work.trx, season.channel_id) : undefined;
  if (!channel) return;
  const winners = results.slice(0, 3).map((r, i) => `${['🥇', '🥈', '🥉'][i]} ${r.display_name} (${r.points})`);
  const blocks = [...archiveBlocks(ended, results), ...(winners.length ? [{ type: 'text' as const, text: `Congratulations ${winners.join(', ')}!` }] : [])];
  await send(work, { teamId: season.team_id, channelId: channel.id }, { kind: 'post', channel: channel.platform_channel_id, message: message(blocks) });
}

/** The tick's job: end seasons whose time is up. */
export async function endDueSeasons(work: Work): Promise<number> {
  const due = await claimEndedSeasons(work.trx, work.now);
  for (const season of due) {
    if (await findTeam(work.trx, season.team_id)) await finish(work, season);
  }
  return due.length;
}
