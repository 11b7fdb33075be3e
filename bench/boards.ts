/**
 * Leaderboards at a large ledger: seeded in bulk into the product's own tables, then each period asked
 * through Slack (`/dojo leaderboard <period> team`, reply delivered) beside its floor end to end: the bare
 * Bolt app answering the same command in its ack with the best hand-written query's rows, started on the
 * same fake Slack and Postgres once the seed is in. The query alone is measured too.
 */
import pg from 'pg';
import { SIGNING_SECRET, SlackDriver } from '../test/fakes/slack/driver.js';
import { buildRollup, handWritten, seedLedger, seedQotdHistory } from './db.js';
import { startFloor } from './lib/procs.js';
import { now, pct } from './lib/util.js';
import type { SlackTarget } from './slack.js';

export interface BoardFloor {
  period: string;
  rows: number;
  dojoP50: number;
  dojoP95: number;
  /** The bare Bolt app answering with the best hand-written query, end to end. */
  bareP50: number;
  bareP95: number;
  floorName: string;
  floorP50: number;
  floorP95: number;
}

const TEAM = 'slack:T0001';

function weekStart(d: Date): Date {
  const s = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  s.setUTCDate(s.getUTCDate() - ((s.getUTCDay() + 6) % 7));
  return s;
}

export async function leaderboards(t: SlackTarget, url: string, o: { members: number; rows: number; runs: number }): Promise<BoardFloor[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const s = now();
    await seedLedger(client, TEAM, o);
    // Boards show each top member's current streak: a long history of questions of the day to count it from.
    const answers = await seedQotdHistory(client, TEAM, { channels: 20, days: 600 });
    // A season that covers the last 90 days (started through the command, then moved back).
    await t.driver.command('season start Bench until:2099-12-31', { user: 'UADMIN', userName: 'admin' });
    // The season's row appears once the command's work is done (seconds on a loaded machine): moved back then.
    let season = { rows: [] as { starts_at: Date }[] };
    for (let tries = 0; tries < 150 && season.rows.length === 0; tries++) {
      await new Promise((r) => setTimeout(r, 200));
      season = await client.query<{ starts_at: Date }>(`update season set starts_at = now() - interval '90 days' where team_id = $1 and status = 'active' returning starts_at`, [TEAM]);
    }
    await buildRollup(client, TEAM);
    const rows = Number((await client.query<{ n: string }>('select count(*) n from point_event where team_id = $1', [TEAM])).rows[0]!.n);
    console.log(`  · ledger seeded: ${rows} rows, ${o.members} members, 20 channels × 600 days of questions of the day with ${answers} answers, rollups built, in ${((now() - s) / 1000).toFixed(1)} s`);
    const today = new Date();
    const from: Record<string, Date | undefined> = {
      week: weekStart(today),
      month: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
      season: season.rows[0]?.starts_at,
      all: undefined,
    };
    const periods = ['week', 'month', 'season', 'all'];
    const best: Record<string, Awaited<ReturnType<typeof handWritten>>> = {};
    for (const p of periods) best[p] = await handWritten(client, TEAM, from[p], o.runs);
    const fake = t.driver.fake;
    const bare = await startFloor('bolt-app.ts', {
      SLACK_BOT_TOKEN: 'xoxb-acme',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      FLOOR_DATABASE_URL: url,
      FLOOR_BOARDS: JSON.stringify(Object.fromEntries(periods.map((p) => [p, { text: best[p]!.text, values: best[p]!.values }]))),
    });
    const out: BoardFloor[] = [];
    try {
      const floorTarget: SlackTarget = { driver: SlackDriver.attach(bare.url, fake), inAck: true };
      // Both warm (the bare app has just started): a few of each period first, not timed.
      for (const period of periods) {
        await boardTimes(t, period, 5);
        await boardTimes(floorTarget, period, 5);
      }
      for (const period of periods) {
        const times = await boardTimes(t, period, o.runs);
        const bareTimes = await boardTimes(floorTarget, period, o.runs);
        const b = best[period]!;
        out.push({ period, rows, dojoP50: pct(times, 50), dojoP95: pct(times, 95), bareP50: pct(bareTimes, 50), bareP95: pct(bareTimes, 95), floorName: b.name, floorP50: b.p50, floorP95: b.p95 });
      }
    } finally {
      await bare.stop();
    }
    return out;
  } finally {
    await client.end();
  }
}

/** `/dojo leaderboard <period> team` asked `runs` times, one after another: each time to the reply delivered. */
export async function boardTimes(t: SlackTarget, period: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const st = now();
    const sent = await t.driver.command(`leaderboard ${period} team`, { user: `U${i}`, userName: `member${i}` });
    // The board is the command's in_channel answer: in the ack, or past the budget through the response_url.
    if (sent.status === 200 && (sent.text || (await t.replies!.wait(sent.responseId, 30_000)))) times.push(now() - st);
  }
  return times;
}
