/**
 * `npx tsx bench/memory-run.ts [--schedules 10000] [--runs 3] [--pglite]`: a quick look at start-up and
 * idle memory alone, without the floors or the load. On Postgres (DATABASE_URL, schema bench_mem): a
 * fresh start, N schedules seeded (bench/memory.ts), then `--runs` restarts on that data, each with its
 * time to ready and idle RSS. With `--pglite`: `--runs` first starts in a fresh directory, each followed
 * by a restart on the same directory. Prints each run and the spread, with the load average.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { FakeDiscord } from '../test/fakes/discord/index.js';
import { SIGNING_SECRET, SlackDriver } from '../test/fakes/slack/driver.js';
import { FakeSlack } from '../test/fakes/slack/server.js';
import { waitConnected } from './discord.js';
import { startProduct, type Proc } from './lib/procs.js';
import { cpuSeconds, fmt, load, rssMb, sleep } from './lib/util.js';
import { describeBreakdown, memoryBreakdown, seedSchedules } from './memory.js';
import { commandsClosedLoop, Replies, type SlackTarget } from './slack.js';

const { values: opt } = parseArgs({ options: { schedules: { type: 'string' }, runs: { type: 'string' }, pglite: { type: 'boolean' }, 'no-discord': { type: 'boolean' } } });
const schedules = Number(opt.schedules ?? 10_000);
const runs = Number(opt.runs ?? 3);
const SCHEMA = 'bench_mem';

const slack = await FakeSlack.start();
slack.addUser('UADMIN', { name: 'admin', isAdmin: true });
for (let i = 0; i < 300; i++) slack.addUser(`U${i}`, { name: `member${i}` });
const replies = new Replies(slack);
const discord = opt['no-discord'] ? undefined : await new FakeDiscord().start();
const baseEnv = {
  SLACK_BOT_TOKEN: 'xoxb-acme',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.apiUrl,
  ...(discord ? { DISCORD_TOKEN: 'bench-discord-token-0123456789', DISCORD_API_URL: discord.apiUrl, DISCORD_APPLICATION_ID: discord.applicationId } : {}),
};
console.log(`memory and start-up — ${new Date().toISOString()} — load average ${load()}`);

const results: { what: string; readyMs: number; rss: number; detail: string; cpu: number }[] = [];
async function measure(what: string, env: Record<string, string>): Promise<Proc> {
  const proc = await startProduct(env);
  // CPU to ready (all threads): the figure the load average does not change much.
  const cpu = cpuSeconds(proc.pid);
  current = proc;
  if (discord) await waitConnected(discord);
  await sleep(2000);
  const rss = rssMb(proc.pid);
  const detail = describeBreakdown(await memoryBreakdown(proc.url));
  results.push({ what, readyMs: proc.readyMs, rss, detail, cpu });
  console.log(`${what.padEnd(36)} ready ${fmt.s(proc.readyMs)} (CPU ${cpu.toFixed(2)} s)  RSS ${fmt.mb(rss)}  (${detail}; load ${load()})`);
  return proc;
}

const dirs: string[] = [];
let current: Proc | undefined;
try {
  if (!opt.pglite) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('Set DATABASE_URL (your own database)');
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${SCHEMA}`);
    const productUrl = u.toString();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists ${SCHEMA} cascade; create schema ${SCHEMA}`);
    await c.end();
    const dir = await mkdtemp(join(tmpdir(), 'bench-mem-'));
    dirs.push(dir);
    const env = { ...baseEnv, DATABASE_URL: productUrl, DOJO_DATA_DIR: dir };
    let proc = await measure('fresh start (Postgres)', env);
    const t: SlackTarget = { driver: SlackDriver.attach(proc.url, slack), replies, inAck: false };
    await commandsClosedLoop(t, 'help', { count: 50, maxMs: 30_000 });
    await seedSchedules(t, productUrl, schedules);
    await proc.stop();
    for (let i = 0; i < runs; i++) {
      proc = await measure(`restart, ${schedules} schedules (Postgres)`, env);
      await proc.stop();
    }
  } else {
    for (let i = 0; i < runs; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'bench-mem-'));
      dirs.push(dir);
      const env = { ...baseEnv, DOJO_DATA_DIR: dir };
      let proc = await measure('first start (PGlite)', env);
      await proc.stop();
      proc = await measure('restart (PGlite)', env);
      await proc.stop();
    }
  }
} finally {
  await current?.stop();
  await discord?.stop();
  await slack.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
const spread = (xs: number[], f: (v: number) => string) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
for (const what of new Set(results.map((r) => r.what))) {
  const rs = results.filter((r) => r.what === what);
  console.log(`${what}: ready ${spread(rs.map((r) => r.readyMs), fmt.s)} (CPU ${spread(rs.map((r) => r.cpu * 1000), fmt.s)}), RSS ${spread(rs.map((r) => r.rss), fmt.mb)} over ${rs.length}`);
}
console.log(`load average at the end ${load()}`);
