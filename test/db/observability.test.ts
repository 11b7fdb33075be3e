/**
 * What the operator sees: one correlation id per inbound delivery on every log line about it and on
 * the outbox rows it writes, and metrics for events, latency, outbox backlog, tick lag and the pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { loadBank } from '../../src/bank/load.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo, type DojoCore } from '../../src/core/dojo.js';
import type { InboundEvent } from '../../src/core/ports.js';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import { createLogger } from '../../src/log.js';
import { createMetrics, watchDatabase, type Metrics } from '../../src/metrics.js';
import { observeDojo } from '../../src/observe.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { startScheduler } from '../../src/scheduler/index.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`observability on ${backend}`, () => {
  let t: TestDb;
  let dojo: DojoCore;
  let metrics: Metrics;
  const chat = new MemoryChat();
  const clock = new ManualClock(new Date('2026-11-30T10:00:00Z'));
  const lines: Record<string, unknown>[] = [];
  const quiz = (deliveryId: string, text = 'quiz count:1'): InboundEvent => ({ type: 'command', text, deliveryId, team: { platform: 'memory', id: 'T1' }, channel: { id: 'C1', name: 'general' }, user: { id: 'U1', name: 'ada' } });

  beforeAll(async () => {
    t = await testDb();
    const bank = await loadBank(BUILTIN_QUESTIONS_DIR);
    await transaction(t.db, (trx) => syncBuiltinQuestions(trx, bank.questions, clock.now()));
    const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    metrics = createMetrics();
    watchDatabase(metrics, t, () => clock.now());
    dojo = observeDojo(createDojo({ db: t.db, chat, clock, log }), metrics);
  });
  afterAll(async () => t.close());

  it('carries the delivery id into every log line about it and into the outbox rows it writes', async () => {
    chat.failNext('unavailable', 1, ['post']);
    await dojo.handle(quiz('Ev-quiz-1'));
    const failed = lines.find((l) => l.msg === 'chat delivery failed');
    expect(failed).toMatchObject({ correlationId: 'Ev-quiz-1', level: 40 });
    const rows = await t.db.selectFrom('outbox').select(['correlation_id', 'status']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.correlation_id === 'Ev-quiz-1')).toBe(true);
  });

  it('counts and times events by platform, kind and outcome, and shows the outbox backlog', async () => {
    await dojo.handle(quiz('Ev-quiz-1'));
    await dojo.handle(quiz('Ev-2', 'frobnicate'));
    const body = await metrics.registry.metrics();
    expect(body).toMatch(/^dojo_events_total\{platform="memory",kind="command:quiz",outcome="ok"\} 1$/m);
    expect(body).toMatch(/^dojo_events_total\{platform="memory",kind="command:quiz",outcome="duplicate"\} 1$/m);
    expect(body).toMatch(/^dojo_events_total\{platform="memory",kind="command:other",outcome="ok"\} 1$/m);
    expect(body).toMatch(/^dojo_handle_duration_seconds_count\{platform="memory",kind="command:quiz"\} 2$/m);
    // The failed post (and what follows it) waits for its retry, pending since the quiz started.
    expect(body).toMatch(/^dojo_outbox_pending [1-9]\d*$/m);
    clock.set(new Date(clock.now().getTime() + 90_000));
    expect(await metrics.registry.metrics()).toMatch(/^dojo_outbox_oldest_pending_age_seconds 90$/m);
    if (backend === 'postgres') expect(body).toMatch(/^dojo_db_pool_connections\{state="idle"\} \d+$/m);
  });

  it('gives each tick an id of its own and shows how late due work is', async () => {
    // The quiz's round closes after its window; until a tick runs, the lag grows with the clock.
    clock.set(new Date(clock.now().getTime() + 3_600_000));
    expect(Number(/^dojo_tick_lag_seconds (\S+)$/m.exec(await metrics.registry.metrics())?.[1])).toBeGreaterThan(0);
    lines.length = 0;
    chat.failNext('unavailable', 5);
    const scheduler = startScheduler(dojo, createLogger('silent'), metrics, '0 0 1 1 *');
    await scheduler.runOnce();
    await scheduler.stop();
    expect(/^dojo_tick_lag_seconds 0$/m.test(await metrics.registry.metrics())).toBe(true);
    const tickLines = lines.filter((l) => typeof l.correlationId === 'string');
    expect(tickLines.length).toBeGreaterThan(0);
    expect(new Set(tickLines.map((l) => l.correlationId)).size).toBe(1);
    expect(String(tickLines[0]!.correlationId)).toMatch(/^tick-/);
  });
});
