/**
 * The gateway locks' Postgres restarts (a private cluster the test stops and starts): the bot keeps
 * running, stops its shards while it cannot hold their locks, and takes them again when it can.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import { lockSource } from '../../../src/db/repos/held-locks.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { TEST_DATABASE_URL } from '../../helpers/db.js';
import { CLUSTER_AVAILABLE, startCluster } from '../../helpers/private-cluster.js';
import { eventually, log, RecordingDojo } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe.runIf(TEST_DATABASE_URL && CLUSTER_AVAILABLE)('the gateway across a Postgres restart', () => {
  it('stops its shards while Postgres is down and runs them again when it is back, without exiting', async () => {
    const cluster = await startCluster();
    cleanups.push(() => cluster.destroy());
    const fake = await new FakeDiscord({ shards: 2 }).start();
    cleanups.push(() => fake.stop());
    const adapter = createDiscordAdapter({
      token: 'fake-bot-token.for-tests.only',
      apiUrl: fake.apiUrl,
      log,
      topics: [],
      locks: lockSource({ url: cluster.url }, { connectTimeoutMs: 1_000 }),
      lockRetryMs: 200,
      lockRetryFirstMs: 100,
      lockRetryMaxMs: 400,
      handoverGraceMs: 50,
      identifySpacingMs: 0,
      readyTimeoutMs: 10_000,
      rest: { retries: 1, timeout: 5000 },
    });
    cleanups.push(() => adapter.stop());
    await adapter.start(new RecordingDojo());
    expect(adapter.shards).toEqual([0, 1]);

    await cluster.stop();
    await eventually(() => expect(adapter.shards).toEqual([]), 10_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([]));
    expect(adapter.state).toBe('standby');

    await cluster.start();
    await eventually(() => expect(adapter.shards).toEqual([0, 1]), 15_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([0, 1]));
    expect(Math.max(...fake.gateway.mostAtOnce.values())).toBe(1);
  }, 60_000);
});
