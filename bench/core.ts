/**
 * Speed and memory figures for the core on a real database (embedded PGlite by default, Postgres with
 * DATABASE_URL). Prints numbers; asserts nothing (this machine is shared and noisy).
 *
 *   npm run bench                     # PGlite in memory
 *   DATABASE_URL=postgres://... npm run bench
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { MemoryChat } from '../adapters/memory/index.js';
import { loadBank } from '../src/bank/load.js';
import { ManualClock } from '../src/core/clock.js';
import { createDojo } from '../src/core/dojo.js';
import type { TeamRef } from '../src/core/ports.js';
import { seededRandom } from '../src/core/selection.js';
import { connect } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { syncBuiltinQuestions } from '../src/db/repos/questions.js';
import { transaction } from '../src/db/tx.js';
import { BUILTIN_QUESTIONS_DIR } from '../src/paths.js';

const CHANNELS = Number(process.argv[2] ?? 200);
const ANSWERS = Number(process.argv[3] ?? 1000);

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const url = process.env.DATABASE_URL;
const schema = url ? `bench_${randomBytes(4).toString('hex')}` : undefined;
const db = await connect({ url, schema });
await migrateToLatest(db.db);
const bank = await loadBank(BUILTIN_QUESTIONS_DIR);
let t = performance.now();
await transaction(db.db, (trx) => syncBuiltinQuestions(trx, bank.questions, new Date()));
console.log(`database            ${db.kind}${url ? ' (schema ' + schema + ')' : ' (in memory)'}`);
console.log(`bank import         ${bank.questions.length} questions in ${ms(performance.now() - t)}`);

const clock = new ManualClock(new Date('2026-11-23T07:00:00Z'));
const chat = new MemoryChat();
const dojo = createDojo({ db: db.db, chat, clock, log: pino({ level: 'silent' }), random: seededRandom(1) });
const team: TeamRef = { platform: 'memory', id: 'BENCH', name: 'Bench' };
const admin = { id: 'U_admin', name: 'admin', isPlatformAdmin: true };

t = performance.now();
for (let c = 0; c < CHANNELS; c++) {
  await dojo.handle({ type: 'command', team, channel: { id: `C${c}`, name: `c${c}` }, user: admin, text: 'schedule set days:daily time:08:00 tz:UTC kind:open window:2h', deliveryId: `set-${c}` });
}
console.log(`schedule set        ${CHANNELS} channels, ${ms((performance.now() - t) / CHANNELS)} each`);

clock.set(new Date('2026-11-23T08:00:00Z'));
t = performance.now();
let report = await dojo.tick();
const tickMs = performance.now() - t;
console.log(`tick: due posts     ${report.posted} questions posted and delivered in ${ms(tickMs)} (${(report.posted / (tickMs / 1000)).toFixed(0)}/s)`);

const threads = chat.sent.filter((s) => s.kind === 'post').map((s) => ({ channel: s.to, ref: s.ref }));
const latencies: number[] = [];
for (let i = 0; i < ANSWERS; i++) {
  const th = threads[i % threads.length]!;
  const s = performance.now();
  await dojo.handle({ type: 'message', team, channel: { id: th.channel }, user: { id: `U${i % 300}`, name: `m${i % 300}` }, thread: th.ref, message: `${th.ref}/a${i}`, text: `Answer number ${i}: indexes trade write cost for read speed.`, deliveryId: `ev-${i}` });
  latencies.push(performance.now() - s);
}
console.log(`answer (thread)     ${ANSWERS} answers: p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))}, max ${ms(Math.max(...latencies))}`);

const replays: number[] = [];
for (let i = 0; i < 200; i++) {
  const th = threads[i % threads.length]!;
  const s = performance.now();
  await dojo.handle({ type: 'message', team, channel: { id: th.channel }, user: { id: `U${i % 300}`, name: `m${i % 300}` }, thread: th.ref, message: `${th.ref}/a${i}`, text: 'replayed', deliveryId: `ev-${i}` });
  replays.push(performance.now() - s);
}
console.log(`replayed delivery   200 replays: p50 ${ms(pct(replays, 50))}, p95 ${ms(pct(replays, 95))}`);

const chatter: number[] = [];
for (let i = 0; i < 500; i++) {
  const s = performance.now();
  await dojo.handle({ type: 'message', team, channel: { id: 'C0' }, user: { id: 'U1', name: 'm1' }, thread: `mem:elsewhere:${i}`, message: `x${i}`, text: 'just chatting' });
  chatter.push(performance.now() - s);
}
console.log(`chatter (no round)  500 messages: p50 ${ms(pct(chatter, 50))}, p95 ${ms(pct(chatter, 95))}`);

clock.set(new Date('2026-11-23T10:00:00Z'));
t = performance.now();
report = await dojo.tick();
const closeMs = performance.now() - t;
console.log(`tick: due closes    ${report.closed} rounds closed, scored and summarised in ${ms(closeMs)} (${(report.closed / (closeMs / 1000)).toFixed(0)}/s)`);

const boards: number[] = [];
for (let i = 0; i < 50; i++) {
  const s = performance.now();
  await dojo.handle({ type: 'command', team, channel: { id: 'C0' }, user: { id: `U${i}`, name: `m${i}` }, text: 'leaderboard week', deliveryId: `lb-${i}` });
  boards.push(performance.now() - s);
}
console.log(`leaderboard         300 members: p50 ${ms(pct(boards, 50))}, p95 ${ms(pct(boards, 95))}`);

t = performance.now();
await dojo.tick();
console.log(`idle tick           ${ms(performance.now() - t)}`);
const mem = process.memoryUsage();
console.log(`memory              rss ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)}`);

if (url && schema) await db.db.schema.dropSchema(schema).cascade().execute();
await db.close();
