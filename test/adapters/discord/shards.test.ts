/**
 * Several instances of the bot on one Postgres split the gateway shards by advisory locks, and never
 * run one shard twice: the fake Discord counts the connections that ran each shard at once.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../../adapters/discord/index.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { testDb, TEST_DATABASE_URL, type TestDb } from '../../helpers/db.js';
import { PGBOUNCER, startBouncer } from '../../helpers/pgbouncer.js';
import { eventually, log, member, RecordingDojo } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function world(shards = 2) {
  const t = await testDb({ migrate: false });
  const fake = await new FakeDiscord({ shards }).start();
  cleanups.push(() => t.close(), () => fake.stop());
  const instance = (name: string, extra: Partial<DiscordAdapterOptions> = {}) => {
    const adapter = createDiscordAdapter({
      token: 'fake-bot-token.for-tests.only',
      apiUrl: fake.apiUrl,
      log,
      topics: [],
      database: t,
      lockApplicationName: appName(t, name),
      lockRetryMs: 100,
      lockRetryFirstMs: 50,
      handoverGraceMs: 100,
      identifySpacingMs: 0,
      readyTimeoutMs: 10_000,
      rest: { retries: 1, timeout: 5000 },
      ...extra,
    });
    cleanups.push(() => adapter.stop());
    return adapter;
  };
  return { t, fake, instance };
}

const appName = (t: TestDb, name: string) => `dojo-test-${t.schema}-${name}`;
const split = (a: DiscordAdapter, b: DiscordAdapter) => [a.shards.length, b.shards.length, [...a.shards, ...b.shards].sort()];

/** Ends the lock connections of one instance, found by their application_name (ours alone). */
async function terminateLockConnections(name: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [name]);
    return rows.filter((r) => r.ok).length;
  } finally {
    await admin.end();
  }
}

describe.runIf(TEST_DATABASE_URL)('Discord shards across instances', () => {
  it('runs every shard of the bot on its own when it is the only instance', async () => {
    const { fake, instance } = await world(2);
    const solo = instance('solo');
    await solo.start(new RecordingDojo());
    expect(solo.shardCount).toBe(2);
    expect(solo.shards).toEqual([0, 1]);
    expect(fake.gateway.connectedShards).toEqual([0, 1]);
  });

  it('splits two shards between two instances; the guild’s commands reach the one running its shard', async () => {
    const { fake, instance } = await world(2);
    const [dojoA, dojoB] = [new RecordingDojo(), new RecordingDojo()];
    const a = instance('a');
    const b = instance('b');
    await a.start(dojoA);
    await b.start(dojoB);
    await eventually(() => expect(split(a, b)).toEqual([1, 1, [0, 1]]), 10_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([0, 1]));
    const sent = fake.play.slash(member('alice'), ['stats']);
    await fake.play.editOf(sent);
    const holder = a.shards.includes(fake.guildShard) ? dojoA : dojoB;
    const other = holder === dojoA ? dojoB : dojoA;
    expect(holder.events.map((e) => e.deliveryId)).toEqual([sent.id]);
    expect(other.events).toEqual([]);
    expect(Math.max(...fake.gateway.mostAtOnce.values())).toBe(1);
  });

  it('hands a stopped instance’s shard to the other, never running a shard twice', async () => {
    const { fake, instance } = await world(2);
    const a = instance('a');
    const b = instance('b');
    await a.start(new RecordingDojo());
    await b.start(new RecordingDojo());
    await eventually(() => expect(split(a, b)).toEqual([1, 1, [0, 1]]), 10_000);
    await a.stop();
    await eventually(() => expect(b.shards).toEqual([0, 1]), 10_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([0, 1]));
    expect(Math.max(...fake.gateway.mostAtOnce.values())).toBe(1);
  });

  it('stops the shard whose lock connection is terminated, hands it over, and splits again when the instance is back', async () => {
    const { t, fake, instance } = await world(2);
    // `a` waits longer before retrying than `b` looks for free shards, so `b` takes over first.
    const a = instance('a', { lockRetryFirstMs: 2_000, lockRetryMaxMs: 2_000 });
    const b = instance('b');
    await a.start(new RecordingDojo());
    await b.start(new RecordingDojo());
    await eventually(() => expect(split(a, b)).toEqual([1, 1, [0, 1]]), 10_000);
    const lost = a.shards[0]!;
    const identified = fake.gateway.identifiesByShard.get(lost) ?? 0;

    // Its member lock and its shard lock: the whole instance looks gone to the database.
    expect(await terminateLockConnections(appName(t, 'a'))).toBe(2);
    await eventually(() => expect(a.shards).toEqual([]));
    await eventually(() => expect(b.shards).toEqual([0, 1]), 10_000);
    await eventually(() => expect(fake.gateway.identifiesByShard.get(lost)).toBe(identified + 1));

    // `a` reconnects, counts two instances again, and `b` hands one shard back.
    await eventually(() => expect(split(a, b)).toEqual([1, 1, [0, 1]]), 15_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([0, 1]));
    expect(a.state).toBe('connected');
    expect(Math.max(...fake.gateway.mostAtOnce.values())).toBe(1);
  });

  // Fly's pooled DATABASE_URL is a transaction-mode PgBouncer: the locks must mean the same there.
  it.runIf(PGBOUNCER)('through a transaction-mode PgBouncer, two instances still split the shards and never run one twice', async () => {
    const { t, fake, instance } = await world(2);
    const bouncer = await startBouncer(t.url!, { poolSize: 6 });
    cleanups.push(() => bouncer.stop());
    const database = { ...t, session: { url: bouncer.url, schema: t.schema } };
    const a = instance('a', { database });
    const b = instance('b', { database });
    await Promise.all([a.start(new RecordingDojo()), b.start(new RecordingDojo())]);
    await eventually(() => expect(split(a, b)).toEqual([1, 1, [0, 1]]), 10_000);
    await a.stop();
    await eventually(() => expect(b.shards).toEqual([0, 1]), 10_000);
    await eventually(() => expect(fake.gateway.connectedShards).toEqual([0, 1]));
    expect(Math.max(...fake.gateway.mostAtOnce.values())).toBe(1);
  });
  it.skipIf(PGBOUNCER)('through a transaction-mode PgBouncer: skipped, pgbouncer is not installed (apt-get install -y pgbouncer)', () => {});
});
