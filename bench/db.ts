/**
 * The database floors on the same Postgres: pgbench single-row inserts into a scratch table, a large
 * ledger seeded in bulk, and the best hand-written leaderboard queries on it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { now, pct } from './lib/util.js';

export const SCRATCH = 'bench_floor';

export async function pgbenchInserts(url: string, seconds: number): Promise<{ tps: number; out: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema if not exists ${SCRATCH}; drop table if exists ${SCRATCH}.ins; create table ${SCRATCH}.ins (id bigint generated always as identity primary key, team_id text not null, member_id int not null, points int not null, created_at timestamptz not null default now())`);
  await client.end();
  const dir = await mkdtemp(join(tmpdir(), 'bench-pgbench-'));
  const script = join(dir, 'insert.sql');
  await writeFile(script, `\\set m random(1, 5000)\ninsert into ${SCRATCH}.ins (team_id, member_id, points) values ('slack:T0001', :m, 1);\n`);
  const u = new URL(url);
  const args = ['-n', '-c', '10', '-j', '2', '-T', String(seconds), '-f', script, '-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres', u.pathname.slice(1)];
  const out = await new Promise<string>((resolve) => execFile('/usr/bin/pgbench', args, { timeout: (seconds + 30) * 1000 }, (_e, stdout, stderr) => resolve(stdout + stderr)));
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  return { tps: m ? Number(m[1]) : NaN, out };
}

/** Seeds `members` members and `rows` ledger rows over the last 365 days for a team, in two statements. */
export async function seedLedger(client: pg.Client, teamId: string, o: { members: number; rows: number }): Promise<number> {
  const s = now();
  await client.query(
    `insert into member (team_id, platform_user_id, display_name) select $1, 'UM' || g, 'member ' || g from generate_series(1, $2::int) g on conflict do nothing`,
    [teamId, o.members],
  );
  await client.query(
    `insert into point_event (team_id, member_id, kind, points, event_key, created_at)
     select $1, m.ids[1 + (g::bigint * 7919) % array_length(m.ids, 1)], (array['participation','correct','speed','streak'])[1 + g % 4], 1 + g % 5, 'seed:' || g,
            now() - make_interval(secs => (g::bigint * 104729) % (365 * 86400))
     from generate_series(1, $2::int) g, (select array_agg(id) ids from member where team_id = $1) m`,
    [teamId, o.rows],
  );
  // What autovacuum gives a ledger that grew over months: current statistics and an all-visible map, for
  // the product's tables (the rollup is filled by the ledger's triggers) as for the floor's scratch tables.
  for (const table of ['member', 'point_event', 'ledger_rollup']) await client.query(`vacuum analyze ${table}`);
  return now() - s;
}

/**
 * A long question-of-the-day history, as a team has after 600 days: 20 channels with a closed question
 * each day and today's open, every member answering in one channel, every day of their current run
 * (0 to 29 days) and now and then before it. The boards show each top member's current streak from it.
 * Today's question stays open through the run, as during the day (closed at once, unanswered, it ended
 * every streak before the boards were measured).
 */
export async function seedQotdHistory(client: pg.Client, teamId: string, o: { channels: number; days: number }): Promise<number> {
  await client.query(`insert into channel (team_id, platform_channel_id, name) select $1, 'CQ' || g, 'qotd-' || g from generate_series(1, $2::int) g on conflict do nothing`, [teamId, o.channels]);
  await client.query(
    `insert into round (team_id, channel_id, kind, question_id, local_date, status, closes_at, closed_at)
     select $1, c.id, 'qotd', (select min(id) from question where team_id is null), current_date - d, case when d = 0 then 'open' else 'closed' end, case when d = 0 then now() + interval '1 day' else now() end, case when d = 0 then null else now() end
     from channel c, generate_series(0, $2::int - 1) d where c.team_id = $1 and c.platform_channel_id like 'CQ%' on conflict do nothing`,
    [teamId, o.days],
  );
  const r = await client.query(
    `insert into answer (team_id, round_id, member_id, body)
     select $1, r.id, m.id, 'seed'
     from member m join channel c on c.team_id = $1 and c.platform_channel_id = 'CQ' || (1 + m.id % $2::int)
     join round r on r.channel_id = c.id and r.kind = 'qotd' and r.local_date < current_date
     where m.team_id = $1 and (r.local_date >= current_date - (m.id % 30) or (m.id * 31 + r.id) % 40 = 0)
     on conflict do nothing`,
    [teamId, o.channels],
  );
  for (const table of ['channel', 'round', 'answer']) await client.query(`vacuum analyze ${table}`);
  return r.rowCount ?? 0;
}

/** Rollups a hand-written design would keep next to the ledger: points per member and day. */
export async function buildRollup(client: pg.Client, teamId: string): Promise<void> {
  await client.query(`create schema if not exists ${SCRATCH}; drop table if exists ${SCRATCH}.daily; create table ${SCRATCH}.daily (team_id text, day date, member_id int, points int, primary key (team_id, day, member_id))`);
  await client.query(`insert into ${SCRATCH}.daily select team_id, (created_at at time zone 'UTC')::date, member_id, sum(points) from point_event where team_id = $1 group by 1, 2, 3`, [teamId]);
  await client.query(`drop table if exists ${SCRATCH}.total; create table ${SCRATCH}.total (team_id text, member_id int, points int, primary key (team_id, member_id))`);
  await client.query(`insert into ${SCRATCH}.total select team_id, member_id, sum(points)::int from point_event where team_id = $1 group by 1, 2`, [teamId]);
  await client.query(`create index on ${SCRATCH}.total (team_id, points desc)`);
  for (const table of ['daily', 'total']) await client.query(`vacuum analyze ${SCRATCH}.${table}`);
}

const TOP10 = `select m.display_name, t.points from (%s) t join member m on m.id = t.member_id order by t.points desc, m.display_name limit 10`;

/** The best of the hand-written top-10 queries for a period starting at `from` (undefined: all time). */
export async function handWritten(client: pg.Client, teamId: string, from: Date | undefined, count: number) {
  const variants: Record<string, [string, unknown[]]> = from
    ? {
        'ledger with LIMIT': [TOP10.replace('%s', `select member_id, sum(points)::int points from point_event where team_id = $1 and created_at >= $2 group by member_id order by 2 desc limit 10`), [teamId, from]],
        'daily rollup': [TOP10.replace('%s', `select member_id, sum(points)::int points from ${SCRATCH}.daily where team_id = $1 and day >= $2::date group by member_id order by 2 desc limit 10`), [teamId, from]],
      }
    : { 'per-member totals': [TOP10.replace('%s', `select member_id, points from ${SCRATCH}.total where team_id = $1 order by points desc limit 10`), [teamId]] };
  let best: { name: string; p50: number; p95: number; text: string; values: unknown[] } | undefined;
  for (const [name, [text, params]] of Object.entries(variants)) {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = now();
      await client.query({ text, values: params, name: `bench-${name}` });
      times.push(now() - s);
    }
    const r = { name, p50: pct(times, 50), p95: pct(times, 95), text, values: params };
    if (!best || r.p95 < best.p95) best = r;
  }
  return best!;
}
