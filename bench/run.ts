/**
 * `npm run bench [-- --quick|--full] [--ledger ROWS --members N] [--rate N] [--profile DIR] [--skip-pglite] [--round-trips] [--fanout N,...] [--slack-latency MS] [--commands help,leaderboard,stats]`: Interview Dojo measured from the
 * outside, started as a user starts it (`dojo start`), with Slack over signed HTTP against the local fake
 * Web API and Discord against the local fake gateway and REST, on Postgres (DATABASE_URL) and on embedded
 * PGlite, each figure printed on one line beside its floor measured in the same run and the ratio.
 * Every loop is bounded in count and time; everything listens on 127.0.0.1 only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { FakeDiscord } from '../test/fakes/discord/index.js';
import { SIGNING_SECRET, SlackDriver } from '../test/fakes/slack/driver.js';
import { FakeSlack } from '../test/fakes/slack/server.js';
import { productCommand, startFloor, startProduct, type Proc } from './lib/procs.js';
import { cpuSeconds, figure, fmt, lines, load, note, pct, rssMb, sleep } from './lib/util.js';
import { PgCounter } from './lib/pg-count.js';
import { bareTarget, discordFigures, dojoTarget, measureDiscord, waitConnected, type DiscordFigures } from './discord.js';
import { startPeer } from './floors/lakeys.js';
import { allowedByLimits, fanOut, webClientFloor } from './fanout.js';
import { boardTimes, leaderboards, type BoardFloor } from './boards.js';
import { commandsAtRate, commandsClosedLoop, notAnswered, openRound, overload, Replies, threadAnswers, threadAnswersAtRate, type SlackTarget } from './slack.js';
import { Charts, firstChart, statsAtRate } from './stats.js';
import { pgbenchInserts } from './db.js';
import { describeBreakdown, memoryBreakdown, seedSchedules } from './memory.js';

const { values: opt } = parseArgs({ options: { quick: { type: 'boolean' }, full: { type: 'boolean' }, profile: { type: 'string' }, 'skip-pglite': { type: 'boolean' }, ledger: { type: 'string' }, members: { type: 'string' }, 'round-trips': { type: 'boolean' }, rate: { type: 'string' }, only: { type: 'string' }, fanout: { type: 'string' }, 'slack-latency': { type: 'string' }, commands: { type: 'string' }, 'answers-rate': { type: 'string' } } });
/** `--commands leaderboard`: only these of the Slack section's commands (help, leaderboard, stats), e.g. to profile one. */
const COMMANDS = opt.commands ? opt.commands.split(',') : ['help', 'leaderboard', 'stats'];
/** `--only slack,threads`: just these sections (start, slack, overload, threads, discord, fanout, boards, restart), for a quick look at one figure. */
const SECTIONS = ['start', 'slack', 'overload', 'threads', 'discord', 'fanout', 'boards', 'restart'] as const;
const only = opt.only ? new Set(opt.only.split(',')) : undefined;
for (const s of only ?? []) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
const want = (section: (typeof SECTIONS)[number]) => !only || only.has(section);
const quick = Boolean(opt.quick);
const full = Boolean(opt.full);
const size = {
  commands: quick ? 150 : 1000,
  loopMs: quick ? 10_000 : 30_000,
  rate: opt.rate ? Number(opt.rate) : 200,
  rateCount: opt.rate ? Number(opt.rate) * (quick ? 2 : 10) : quick ? 400 : 2000,
  overloadS: quick ? 5 : 10,
  answers: quick ? 300 : 2000,
  /** Thread answers at a fixed rate (issue 13's 1,000 a second), open loop, for this many seconds. */
  answersRate: opt['answers-rate'] ? Number(opt['answers-rate']) : 1000,
  answersRateS: quick ? 2 : 5,
  boardRuns: 30,
  members: opt.members ? Number(opt.members) : full ? 5000 : quick ? 500 : 5000,
  ledger: opt.ledger ? Number(opt.ledger) : full ? 1_000_000 : quick ? 50_000 : 200_000,
  /** `--fanout 1000`: these fan-out sizes instead (with `--only fanout`, one 1,000-channel run without the whole --full). */
  fanout: opt.fanout ? opt.fanout.split(',').map(Number) : quick ? [50] : full ? [500, 1000, 10_000] : [200],
  /** Fan-outs again with the Web API's real round trip (REAL_LATENCY_MS) on chat.postMessage, floor and product alike. */
  fanoutLatent: opt.fanout || opt['slack-latency'] ? [] : full ? [1000, 10_000] : [1000],
  // Enough that p99 is not the second-worst of a hundred: both the bare client and the bot have rare stalls of 5-15 ms.
  discord: quick ? 500 : 1000,
  pgbenchS: quick ? 5 : 15,
};
const pct1 = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a Postgres database for the bench (it works in the schemas bench_dojo and bench_floor, dropped and made again), e.g. postgres://postgres@127.0.0.1:5432/h_i13');
/** The product and the bench's own queries work in one schema of their own (search_path in the URL). */
const SCHEMA = 'bench_dojo';
const productUrl = (() => {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${SCHEMA}`);
  return u.toString();
})();
const started = Date.now();

console.log(`Interview Dojo bench — ${new Date().toISOString()} — ${quick ? 'quick' : full ? 'full' : 'default'}`);
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${load()} (1/5/15 min), node ${process.version}`);
console.log(`product: ${(await productCommand()).how}; Postgres ${new URL(url).host}${new URL(url).pathname} (schema ${SCHEMA}); PGlite in a temp dir`);
console.log(`${'figure'.padEnd(56)} ${'Interview Dojo'.padEnd(48)} | ${'floor (same run)'.padEnd(34)} | ratio`);

/** `--slack-latency 100`: the fakes answer chat.postMessage this late (the real Web API's round trip; both the floor's fake and the product's). */
const slackLatency = opt['slack-latency'] ? Number(opt['slack-latency']) : 0;
const latent = (fake: FakeSlack) => {
  if (slackLatency > 0) fake.delays.set('chat.postMessage', slackLatency);
  return fake;
};
/**
 * Slack's Web API answers in about 100 ms from a data centre (more from elsewhere); the fake answers at
 * once. With no latency a fan-out measures the machine's CPU (the fake, the client and the product on 2
 * cores); with it, what a real fan-out waits on: how many posts are in flight at once.
 */
const REAL_LATENCY_MS = 100;
const withLatency = async <T>(fake: FakeSlack, work: () => Promise<T>): Promise<T> => {
  fake.delays.set('chat.postMessage', REAL_LATENCY_MS);
  try {
    return await work();
  } finally {
    fake.delays.delete('chat.postMessage');
  }
};
if (slackLatency > 0) console.log(`the fake Slack answers chat.postMessage after ${slackLatency} ms (floor and product)`);

const users = (fake: FakeSlack, n: number) => {
  fake.addUser('UADMIN', { name: 'admin', isAdmin: true });
  for (let i = 0; i < n; i++) fake.addUser(`U${i}`, { name: `member${i}` });
};
const slackEnv = (fake: FakeSlack) => ({ SLACK_BOT_TOKEN: 'xoxb-acme', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
const discordEnv = (fake: FakeDiscord) => ({ DISCORD_TOKEN: 'bench-discord-token-0123456789', DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: fake.applicationId });

// ---------------------------------------------------------------- floors
const floor: Record<string, number> = {};
{
  const fake = await FakeSlack.start();
  const bolt = await startFloor('bolt-app.ts', slackEnv(fake));
  floor.boltReady = bolt.readyMs;
  await sleep(1000);
  floor.boltIdle = rssMb(bolt.pid);
  const t: SlackTarget = { driver: SlackDriver.attach(bolt.url, fake), inAck: true };
  const cpu0 = cpuSeconds(bolt.pid);
  const loop = await commandsClosedLoop(t, 'help', { count: size.commands * 2, maxMs: size.loopMs });
  floor.boltRate = loop.rate;
  floor.boltCpu = ((cpuSeconds(bolt.pid) - cpu0) * 1000) / loop.done;
  const at = await commandsAtRate(t, 'help', { rate: size.rate, count: size.rateCount });
  floor.boltP99 = pct(at.latencies, 99);
  floor.boltAchieved = at.achieved;
  if (want('threads')) {
    // The thread-answer floor: the same deliveries (10 in flight, every tenth again as a retry) to the bare app, which reacts ✅.
    const tt: SlackTarget = { ...t, replies: new Replies(fake) };
    const cpuT = cpuSeconds(bolt.pid);
    const a = await threadAnswers(tt, '1949999999.000100', 'C0001', { count: size.answers, maxMs: 60_000, userBase: 0 });
    floor.boltThreads = a.perSecond;
    floor.boltThreadCpu = ((cpuSeconds(bolt.pid) - cpuT) * 1000) / Math.round(a.sent * 1.1);
    floor.boltThreadAckP99 = pct(a.acks, 99);
    // After the CPU above is read: it is the closed loop's alone.
    const ar = await threadAnswersAtRate(tt, '1949999999.000100', 'C0001', { rate: size.answersRate, count: size.answersRate * size.answersRateS, userBase: size.answers });
    Object.assign(floor, { boltThreadsAtRate: ar.perSecond, boltThreadsAtRateP99: pct(ar.acks, 99), boltThreadsAtRateLost: ar.lost });
  }
  floor.boltAfter = rssMb(bolt.pid);
  await bolt.stop();
  if (want('fanout')) for (const n of size.fanout) floor[`webclient${n}`] = await webClientFloor(latent(fake), n);
  if (want('fanout')) for (const n of size.fanoutLatent) floor[`webclientLatent${n}`] = await withLatency(fake, () => webClientFloor(fake, n));
  await fake.stop();
}
/** The bare Bolt app offered `rate` commands a second for `seconds` (as `overload` offers them to the product), on a fake of its own. */
async function bareBoltOverload(rate: number, seconds: number) {
  const fake = await FakeSlack.start();
  const bolt = await startFloor('bolt-app.ts', slackEnv(fake));
  try {
    return await overload({ driver: SlackDriver.attach(bolt.url, fake), inAck: true }, 'stats', { rate, seconds, rss: () => rssMb(bolt.pid) });
  } finally {
    await bolt.stop();
    await fake.stop();
  }
}

let bareDiscord: DiscordFigures | undefined;
let peerDiscord: DiscordFigures | string = 'not measured';
if (want('discord')) {
  const fake = await new FakeDiscord().start();
  // Its clicks on `store:` buttons are stored first in the bench's scratch schema (bench/floors/discord-client.ts).
  const client = await startFloor('discord-client.ts', { ...discordEnv(fake), FLOOR_DATABASE_URL: url });
  await waitConnected(fake);
  bareDiscord = await measureDiscord(fake, bareTarget(client.pid), { count: size.discord, maxMs: 60_000 });
  await client.stop();
  await fake.stop();
  // LakeYS's Trivia Bot against a fake of its own, when LAKEYS_DIR names an installed checkout.
  peerDiscord = await startPeer(process.env.LAKEYS_DIR, size.discord);
}
if (want('threads')) {
  const pgbench = await pgbenchInserts(url, size.pgbenchS);
  floor.pgbench = pgbench.tps;
  if (!Number.isFinite(pgbench.tps)) note(`pgbench failed: ${pgbench.out.slice(0, 300)}`);
}
note(`floors measured in ${fmt.s(Date.now() - started)}; load average now ${load()}`);

// ---------------------------------------------------------------- the product, per database
async function product(kind: 'postgres' | 'pglite'): Promise<void> {
  const label = kind === 'postgres' ? 'Postgres' : 'PGlite';
  const dir = await mkdtemp(join(tmpdir(), 'bench-dojo-'));
  if (kind === 'postgres') {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists ${SCHEMA} cascade; create schema ${SCHEMA}`);
    await c.end();
  }
  const slack = await FakeSlack.start();
  users(slack, 5000 + size.answers * 2);
  const replies = new Replies(slack);
  const charts = new Charts(slack);
  const discord = await new FakeDiscord().start();
  const profile = kind === 'postgres' && opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${opt.profile}`] : [];
  let proc: Proc | undefined;
  const counter = kind === 'postgres' && opt['round-trips'] ? await PgCounter.start(new URL(url!)) : undefined;
  /** Where the counting proxy stands (round trips, bytes sent), to measure a section from. */
  const mark = () => ({ rt: counter?.roundTrips ?? 0, bytes: counter?.bytes ?? 0 });
  const trips = (what: string, before: ReturnType<typeof mark>, events: number) =>
    counter && note(`${what}: ${((counter.roundTrips - before.rt) / events).toFixed(1)} Postgres round trips per event, ${fmt.n((counter.bytes - before.bytes) / events)} bytes sent to it`);
  try {
    const env = { ...(kind === 'postgres' ? { DATABASE_URL: counter ? counter.url(productUrl) : productUrl } : {}), DOJO_DATA_DIR: dir, ...slackEnv(slack), ...discordEnv(discord) };
    proc = await startProduct(env, profile);
    await waitConnected(discord);
    figure(`start to ready, fresh data (${label})`, fmt.s(proc.readyMs), `bare Bolt ${fmt.s(floor.boltReady!)}`, proc.readyMs / floor.boltReady!);
    await sleep(2000);
    const idle = rssMb(proc.pid);
    figure(`RSS idle (${label})`, fmt.mb(idle), `bare Bolt ${fmt.mb(floor.boltIdle!)}`, idle / floor.boltIdle!);
    const t: SlackTarget = { driver: SlackDriver.attach(proc.url, slack), replies, inAck: false, onAck: (id, text) => charts.saw(id, text) };
    // Warm-up: creates the team and meets the 200 members the loops below use (steady state, not first sight).
    await commandsClosedLoop(t, 'help', { count: 200, maxMs: 30_000 });
    if (want('slack') || want('overload')) {
      // The first picture starts the drawing thread and loads the chart code: measured on its own, then
      // a few more, so the loops below see the steady state (as they see members already met).
      const cpu0 = cpuSeconds(proc.pid);
      // Members the loops below reach last (U169-U199): by then their pictures have left the bot's memo
      // of the last 64 drawn, so no loop finds one drawn already and skips the drawing.
      const first = await firstChart(t, charts, 199);
      const cpu = (cpuSeconds(proc.pid) - cpu0) * 1000;
      figure(`Slack first stats chart: words / chart after (${label})`, `${fmt.ms(first.words ?? NaN)} / ${fmt.ms(first.chart ?? NaN)} (${fmt.ms(cpu)} of CPU)`, 'drawing thread down: started for it', NaN);
      await commandsClosedLoop(t, 'stats', { count: 30, maxMs: 30_000, from: 169 });
      if (!(await charts.drained(30_000))) note('the warm-up charts were not all delivered within 30 s');
    }
    const capacity: Record<string, number> = {};
    for (const text of want('slack') || want('overload') ? COMMANDS : []) {
      const [cpu0, rt0, follows0] = [cpuSeconds(proc.pid), mark(), charts.follows.size];
      const r = await commandsClosedLoop(t, text, { count: size.commands, maxMs: size.loopMs });
      // The CPU below includes the charts drawn meanwhile; the rest were skipped, and their words said so.
      if (text === 'stats') note(`stats closed loop: ${charts.follows.size - follows0} of ${r.done} replies promised a chart (the rest said it was skipped)`);
      capacity[text] = r.rate;
      const cpu = ((cpuSeconds(proc.pid) - cpu0) * 1000) / r.done;
      figure(`Slack ${text}: handled/s, 10 in flight (${label})`, `${fmt.rate(r.rate)} (${r.failed} not delivered)`, `bare Bolt ${fmt.rate(floor.boltRate!)}`, floor.boltRate! / r.rate);
      figure(`  CPU per ${text} command (${label})`, fmt.ms(cpu), `bare Bolt ${fmt.ms(floor.boltCpu!)}`, cpu / floor.boltCpu!);
      trips(`Slack ${text}`, rt0, r.done);
    }
    for (const text of want('slack') ? COMMANDS : []) {
      const at = text === 'stats' ? await statsAtRate(t, charts, { rate: size.rate, count: size.rateCount }) : { ...(await commandsAtRate(t, text, { rate: size.rate, count: size.rateCount })), charts: undefined };
      figure(
        `Slack ${text} at ${size.rate}/s: reply p99 (${label})`,
        `${fmt.ms(pct(at.latencies, 99))} (ack p99 ${fmt.ms(pct(at.acks, 99))}, ${at.lost + at.failed} lost${at.lost + at.failed > 0 ? `: ${[notAnswered(at.not), at.lost ? `${at.lost} still waiting at the end` : ''].filter(Boolean).join(', ')}` : ''})`,
        `bare Bolt ${fmt.ms(floor.boltP99!)} (in the ack)`,
        pct(at.latencies, 99) / floor.boltP99!,
      );
      // The chart follows the words as its own upload (or is skipped, and the words say so).
      if (at.charts) figure(
        `  stats chart delivered p50/p99 at ${size.rate}/s (${label})`,
        `${fmt.ms(pct(at.charts.delivered, 50))} / ${fmt.ms(pct(at.charts.delivered, 99))} (${at.charts.delivered.length} delivered, ${at.charts.skipped} skipped and said so, ${at.charts.never} promised and never)`,
        'words only: none',
        NaN,
      );
    }
    if (kind === 'postgres' && want('overload')) {
      // Twice what it handles (stats, a command that reads the database), then the same load as before.
      const rate = Math.max(50, Math.round(capacity.stats! * 2));
      const o = await overload(t, 'stats', { rate, seconds: size.overloadS, rss: () => rssMb(proc!.pid) });
      // The floor at the same offered rate, right after: twice the bot's capacity can be past what the bare framework acks in time too.
      const bare = await bareBoltOverload(rate, size.overloadS);
      figure(
        `overload: stats at ${rate}/s (2× capacity) for ${size.overloadS} s (${label})`,
        `${pct1(o.acked, o.sent)} acked, ${o.got.ok} answered, ${o.got.busy} busy, ${o.got.sorry} apologies, ${o.got.none} nothing; peak RSS ${fmt.mb(o.peakRss)}`,
        `bare Bolt at the same rate: ${pct1(bare.acked, bare.sent)} acked (the answer in the ack), peak RSS ${fmt.mb(bare.peakRss)}`,
        bare.acked > 0 ? bare.acked / Math.max(1, o.acked) : NaN,
      );
      const again = await commandsClosedLoop(t, 'stats', { count: 50, maxMs: 30_000 });
      note(`after the overload: ${again.done} of 50 stats answered normally (${again.failed} not), ${fmt.rate(again.rate)}`);
      if (!quick) {
        const lost = await overload(t, 'stats', { rate: 400, seconds: 10, rss: () => rssMb(proc!.pid) });
        figure(
          `stats at 400/s for 10 s: nothing lost (${label})`,
          `${lost.got.none} lost of ${lost.sent}, ${lost.got.ok} answered, ${lost.got.busy} busy, ${lost.got.sorry} apologies, ${pct1(lost.acked, lost.sent)} acked`,
          'bare Bolt: help in the ack',
          NaN,
        );
      }
    }
    const thread = want('threads') ? await openRound(t, slack, 'C0001') : undefined;
    if (!want('threads')) {
      // not asked for
    } else if (thread) {
      const [rt0, cpu0] = [mark(), cpuSeconds(proc.pid)];
      const a = await threadAnswers(t, thread, 'C0001', { count: size.answers, maxMs: 60_000, userBase: 0 });
      const cpu = ((cpuSeconds(proc.pid) - cpu0) * 1000) / Math.round(a.sent * 1.1);
      const floorRate = kind === 'postgres' ? floor.pgbench! : NaN;
      figure(
        `thread answers stored/s, 10% retried (${label})`,
        `${fmt.rate(a.perSecond)}, ack p99 ${fmt.ms(pct(a.acks, 99))}, ${a.lost} lost, ${a.twice} twice`,
        kind === 'postgres' ? `pgbench inserts ${fmt.rate(floor.pgbench!)}` : 'pgbench (Postgres only)',
        floorRate / a.perSecond,
      );
      figure(
        `  thread answers beside bare Bolt reacting ✅ (${label})`,
        `${fmt.rate(a.perSecond)}, ${fmt.ms(cpu)} CPU per delivery`,
        `bare Bolt ${fmt.rate(floor.boltThreads!)}, ${fmt.ms(floor.boltThreadCpu!)}, ack p99 ${fmt.ms(floor.boltThreadAckP99!)}`,
        floor.boltThreads! / a.perSecond,
      );
      trips('thread answer (per delivery, retries included)', rt0, Math.round(a.sent * 1.1));
      const ar = await threadAnswersAtRate(t, thread, 'C0001', { rate: size.answersRate, count: size.answersRate * size.answersRateS, userBase: size.answers });
      figure(
        `thread answers at ${size.answersRate}/s for ${size.answersRateS} s, 10% retried (${label})`,
        `${ar.stored} of ${ar.sent} stored, ${fmt.rate(ar.perSecond)} (last ✅ ${fmt.ms(ar.tailMs)} after the last delivery), ack p99 ${fmt.ms(pct(ar.acks, 99))}, ${ar.twice} twice${ar.busy ? `, ${ar.busy} told busy and sent again` : ''}${ar.nonTwoXx ? `, ${ar.nonTwoXx} never 2xx` : ''}${ar.copiesRefused ? `, ${ar.copiesRefused} retry copies told busy` : ''}`,
        `bare Bolt ✅ ${fmt.rate(floor.boltThreadsAtRate!)}, ack p99 ${fmt.ms(floor.boltThreadsAtRateP99!)}, ${floor.boltThreadsAtRateLost} lost`,
        floor.boltThreadsAtRate! / ar.perSecond,
      );
    } else note('no question was posted for the thread-answer figure');
    if (want('discord')) {
      const d = await measureDiscord(discord, dojoTarget(proc.pid), { count: size.discord, maxMs: 60_000, firstSight: quick ? 20 : 50 });
      discordFigures(label, d, bareDiscord!, peerDiscord);
    }
    if (kind === 'postgres') {
      // Boards first: their team is one with a long history of 20 question channels; the fan-outs add thousands more.
      const boards: BoardFloor[] = !want('boards') ? [] : await leaderboards(t, productUrl, { members: size.members, rows: size.ledger, runs: size.boardRuns });
      for (const b of boards) {
        figure(`leaderboard ${b.period} p50/p95, ${b.rows} rows (${label})`, `${fmt.ms(b.dojoP50)} / ${fmt.ms(b.dojoP95)}`, `bare Bolt + ${b.floorName} ${fmt.ms(b.bareP50)} / ${fmt.ms(b.bareP95)}`, b.dojoP95 / b.bareP95);
        note(`${b.period}: the best hand-written query alone (${b.floorName}) ${fmt.ms(b.floorP50)} / ${fmt.ms(b.floorP95)}`);
      }
      for (const n of want('fanout') ? size.fanout : []) {
        const pid = proc.pid;
        // Round trips counted from the schedules set to the last post (the ten typed commands included).
        const rt0 = mark();
        const f = await fanOut(t, latent(slack), productUrl, n, () => cpuSeconds(pid));
        trips(`fan-out to ${n} channels (per post)`, rt0, n);
        const cpu = (f.cpuSeconds * 1000) / Math.max(1, f.posted);
        const w = floor[`webclient${n}`]!;
        figure(`question of the day to ${n} channels: last post (${label})`, `${fmt.s(f.lastAfterDue)} after due (first ${fmt.s(f.firstAfterDue)}), ${f.duplicates} dup${f.posted < n ? `, ${n - f.posted} never` : ''}`, `bare WebClient ${fmt.s(w)}`, f.lastAfterDue / w);
        // The floor again, right after, on this fake: the machine's load changes within a run.
        const wAfter = await webClientFloor(slack, n);
        note(`fan-out ${n}: ${fmt.ms(cpu)} of the bot's CPU per post (from due to the last post); first post to last ${fmt.s(f.lastAfterFirst)}; bare WebClient right after ${fmt.s(wAfter)} (${(f.lastAfterDue / wAfter).toFixed(2)}× from due)`);
        // Issue 13: 10,000 channels within 5% of what the platforms' rate limits allow.
        if (n >= 10_000) note(`rate limits allow ${n} channels: Slack (one message a second in each channel) ${fmt.s(allowedByLimits(n, w).slackMs)}, the bare WebClient's time; Discord at 50 requests/s ${fmt.s(allowedByLimits(n, w).discordMs)}`);
      }
      for (const n of want('fanout') ? size.fanoutLatent : []) {
        const f = await withLatency(slack, () => fanOut(t, slack, productUrl, n, undefined, 'L'));
        const w = floor[`webclientLatent${n}`]!;
        figure(`question of the day to ${n} channels, Web API at ${REAL_LATENCY_MS} ms (${label})`, `${fmt.s(f.lastAfterDue)} after due (first ${fmt.s(f.firstAfterDue)}), ${f.duplicates} dup${f.posted < n ? `, ${n - f.posted} never` : ''}`, `bare WebClient ${fmt.s(w)}`, f.lastAfterDue / w);
      }
      // The same team after the fan-outs: each question channel costs a streak column one index probe.
      if (boards.length > 0 && want('fanout')) {
        const week = await boardTimes(t, 'week', size.boardRuns);
        note(`leaderboard week after the fan-outs (${[...size.fanout, ...size.fanoutLatent].reduce((a, b) => a + b, 0)} more question channels in the team): p50/p95 ${fmt.ms(pct(week, 50))} / ${fmt.ms(pct(week, 95))}`);
      }
    }
    const after = rssMb(proc.pid);
    figure(`RSS after load (${label})`, fmt.mb(after), `bare Bolt ${fmt.mb(floor.boltAfter!)}`, after / floor.boltAfter!);
    // A restart on the same data: what a deploy or a crash costs (migrations and bank already done).
    if (!want('restart')) return;
    await proc.stop();
    proc = await startProduct(env, profile);
    await waitConnected(discord);
    figure(`restart to ready, same data (${label})`, fmt.s(proc.readyMs), `bare Bolt ${fmt.s(floor.boltReady!)}`, proc.readyMs / floor.boltReady!);
    await sleep(2000);
    const restarted = rssMb(proc.pid);
    figure(`RSS idle after the restart (${label})`, fmt.mb(restarted), `bare Bolt ${fmt.mb(floor.boltIdle!)}`, restarted / floor.boltIdle!);
    if (kind !== 'postgres') return;
    // Issue 13's memory target: idle with 10,000 schedules (bench/memory.ts), after another restart.
    await seedSchedules({ ...t, driver: SlackDriver.attach(proc.url, slack) }, productUrl, 10_000);
    await proc.stop();
    proc = await startProduct(env, profile);
    await waitConnected(discord);
    await sleep(2000);
    const scheduled = rssMb(proc.pid);
    figure(`RSS idle with 10,000 schedules (${label})`, fmt.mb(scheduled), `bare Bolt ${fmt.mb(floor.boltIdle!)}`, scheduled / floor.boltIdle!);
    note(describeBreakdown(await memoryBreakdown(proc.url)));
  } finally {
    await proc?.stop();
    await discord.stop();
    await slack.stop();
    await counter?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await product('postgres');
if (!opt['skip-pglite']) await product('pglite');
console.log(`\nsummary (${fmt.s(Date.now() - started)}, load average at the end ${load()}):`);
for (const line of lines) console.log(line);
