/**
 * Seasons: a named stretch of time with its own board. At its end the bot posts the final board and
 * the winners, and the results stay queryable as an archive.
 */
import { boardTop } from '../db/repos/boards.js';
import { activeSeason, claimEndedSeasons, createSeason, endSeason, pastSeasons, resultsOf, saveResults, seasonByName } from '../db/repos/seasons.js';
import { findChannel, findTeam } from '../db/repos/tenancy.js';
import type { Season } from '../db/repos/types.js';
import type { Intent } from './commands.js';
import type { Ctx, Work } from './context.js';
import { send } from './outbox.js';
import { boardBlocks } from './leaderboard.js';
import type { Block } from './messages.js';
import { blocksToText, message } from './messages.js';
import { ephemeral, announceText, type FlowOutcome } from './announce.js';
import type { Outcome } from './ports.js';
import { competitionRanks } from './ranks.js';
import { leagueName, movesText, placeLeagues, settleLeagues } from './leagues.js';
import { formatLocal, zonedToUtc } from './time.js';

export async function startSeason(ctx: Ctx, intent: Extract<Intent, { cmd: 'season-start' }>): Promise<FlowOutcome> {
  // "until" a date includes that whole day in the team's zone.
  const next = new Date(Date.parse(`${intent.until}T00:00:00Z`) + 86_400_000);
  const endsAt = zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, ctx.team.timezone);
  if (endsAt <= ctx.now) return ephemeral('That date has passed; pick a day in the future.');
  const current = await activeSeason(ctx.trx, ctx.team.id);
  if (current) return ephemeral(`"${current.name}" is running until ${formatLocal(current.ends_at, ctx.team.timezone)}. End it first with /dojo season end.`);
  const season = await createSeason(ctx.trx, { team_id: ctx.team.id, channel_id: ctx.channel.id, name: intent.name, status: 'active', starts_at: ctx.now, ends_at: endsAt, ended_at: null });
  if (!season) return ephemeral('A season is already running.');
  const leagues = await placeLeagues(ctx.trx, ctx.team.id, season.id, ctx.now);
  const placed = leagues > 1 ? ` Everyone who scored lately is placed in one of ${leagues} leagues (${leagueName(leagues - 1)} is the top): /dojo leaderboard shows yours.` : '';
  const text = `Season "${season.name}" has started! It runs until ${formatLocal(endsAt, ctx.team.timezone)}. /dojo leaderboard season shows the race.${placed}`;
  return announceText(ctx, text, { failed: (reason) => `${text} (I couldn't announce it in the channel: ${reason}.)` });
}

export async function endSeasonNow(ctx: Ctx): Promise<Outcome> {
  const season = await activeSeason(ctx.trx, ctx.team.id);
  if (!season) return ephemeral('No season is running.');
  await finish(ctx, season);
  return ephemeral(`"${season.name}" has ended; the final board is posted.`);
}

/**
 * `/dojo season show [NAME]`: the running season's board and the list of past seasons with their
 * winners; with a name, that season's board (the final board of a past one).
 */
export async function showSeason(ctx: Ctx, name?: string): Promise<Outcome> {
  const past = await pastSeasons(ctx.trx, ctx.team.id);
  const shown = name ? await seasonByName(ctx.trx, ctx.team.id, name.replace(/^["“”]|["“”]$/g, '')) : ((await activeSeason(ctx.trx, ctx.team.id)) ?? past[0]);
  if (!shown) {
    if (name) return ephemeral(`No season is called "${name}".${past.length ? ` Seasons: ${past.map((p) => p.name).join(', ')}.` : ''}`);
    return ephemeral('No season yet. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  }
  let blocks: Block[];
  if (shown.status === 'active') {
    blocks = await boardBlocks(ctx.trx, ctx.team.id, { from: shown.starts_at, to: shown.ends_at }, `${shown.name} (until ${formatLocal(shown.ends_at, ctx.team.timezone)})`, ctx.member.id);
  } else {
    blocks = archiveBlocks(shown, await resultsOf(ctx.trx, shown.id));
  }
  const others = past.filter((p) => p.id !== shown.id);
  if (others.length) {
    blocks.push(
      { type: 'text', text: 'Past seasons:' },
      { type: 'list', items: others.map((p) => `${p.name} · ${span(p, ctx.team.timezone)} · ${p.winner ? `won by ${p.winner} (${p.winner_points})` : 'nobody scored'}`) },
      { type: 'context', text: `/dojo season show ${others[0]!.name} shows its final board.` },
    );
  }
  return { reply: { text: blocksToText(blocks), blocks, visibility: 'ephemeral' } };
}

const day = (at: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric' }).format(at);
// The last day a season counted (it ends at midnight after its "until" day).
const span = (s: Season, zone: string) => `${day(s.starts_at, zone)} – ${day(new Date((s.ended_at ?? s.ends_at).getTime() - 1), zone)}`;

function archiveBlocks(season: Season, results: { rank: number; display_name: string; points: number; answers: number }[]): Block[] {
  return [
    { type: 'header', text: `Final board · ${season.name}` },
    results.length
      ? { type: 'table', columns: ['#', 'Member', 'Points', 'Answers'], rows: results.slice(0, 10).map((r, i) => [String(competitionRanks(results.map((x) => x.points))[i]), r.display_name, String(r.points), String(r.answers)]) }
      : { type: 'text', text: 'Nobody scored this season.' },
  ];
}

async function finish(work: Work, season: Season): Promise<void> {
  const ended = await endSeason(work.trx, season.id, work.now);
  if (!ended) return;
  const to = work.now < season.ends_at ? work.now : season.ends_at;
  const rows = await boardTop(work.trx, season.team_id, { from: season.starts_at, to });
  const results = rows.map((r, i) => ({ season_id: season.id, rank: i + 1, member_id: r.member_id, display_name: r.display_name || 'someone', points: r.points, answers: r.answers }));
  await saveResults(work.trx, results);
  const moves = movesText(await settleLeagues(work.trx, season.team_id, season, to));
  const channel = season.channel_id !== null ? await findChannel(work.trx, season.channel_id) : undefined;
  if (!channel) return;
  const winners = results.slice(0, 3).map((r, i) => `${['🥇', '🥈', '🥉'][i]} ${r.display_name} (${r.points})`);
  const blocks: Block[] = [...archiveBlocks(ended, results), ...(winners.length ? [{ type: 'text' as const, text: `Congratulations ${winners.join(', ')}!` }] : [])];
  if (moves.length) blocks.push({ type: 'text', text: 'League moves for the next season:' }, { type: 'list', items: moves });
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
