/**
 * The gateway locks on real Postgres: directly, after the holder's connection is terminated, and
 * through a transaction-mode PgBouncer, where a session-level advisory lock is worthless.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { lockSource, type HeldLock } from '../../src/db/repos/held-locks.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { PGBOUNCER, startBouncer } from '../helpers/pgbouncer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const schema = `locks_${process.pid}_${Date.now()}`;
const held = (lock: HeldLock | undefined) => {
  if (lock) cleanups.push(() => lock.release());
  return lock;
};

async function adminQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return (await admin.query<T>(text, values)).rows;
  } finally {
    await admin.end();
  }
}

describe.runIf(TEST_DATABASE_URL)('locks held on connections of their own', () => {
  it('lets one holder have a lock, and the next take it once it is released', async () => {
    const locks = lockSource({ url: TEST_DATABASE_URL!, schema, applicationName: `${schema}-one` });
    const first = held(await locks.tryHold('shard-0'));
    expect(first).toBeDefined();
    expect(await locks.tryHold('shard-0')).toBeUndefined();
    expect(await first!.holders()).toBe(1);
    await first!.release();
    expect(held(await locks.tryHold('shard-0'))).toBeDefined();
  });

  it('counts the instances that hold a shared lock', async () => {
    const locks = lockSource({ url: TEST_DATABASE_URL!, schema });
    const a = held(await locks.tryHold('members', { shared: true }))!;
    held(await locks.tryHold('members', { shared: true }));
    expect(await a.holders()).toBe(2);
  });

  it('reports a terminated lock connection as lost, frees the lock for another, and keeps the process up', async () => {
    const name = `${schema}-doomed`;
    const locks = lockSource({ url: TEST_DATABASE_URL!, schema, applicationName: name });
    const lock = held(await locks.tryHold('shard-1'))!;
    const rows = await adminQuery<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [name]);
    expect(rows).toEqual([{ ok: true }]);
    expect(await lock.lost).toMatchObject({ code: '57P01' });
    const other = lockSource({ url: TEST_DATABASE_URL!, schema });
    expect(held(await other.tryHold('shard-1'))).toBeDefined();
  });

  it('gives the lock up when the server ends the session for silence', async () => {
    // The server's idle limit is shorter than the check here, as when the network between goes quiet.
    const locks = lockSource({ url: TEST_DATABASE_URL!, schema }, { checkEveryMs: 60_000, serverIdleMs: 200 });
    const lock = held(await locks.tryHold('shard-2'))!;
    expect(await lock.lost).toBeDefined();
    expect(held(await locks.tryHold('shard-2'))).toBeDefined();
  });

  describe.runIf(PGBOUNCER)('through a transaction-mode PgBouncer', () => {
    it('holds a lock for one client only, where a session lock is held by two', async () => {
      const bouncer = await startBouncer(TEST_DATABASE_URL!, { poolSize: 4 });
      cleanups.push(() => bouncer.stop());
      // The hazard itself: two clients both "take" one session-level lock through the pooler.
      const clients = [new pg.Client({ connectionString: bouncer.url }), new pg.Client({ connectionString: bouncer.url })];
      for (const c of clients) {
        await c.connect();
        cleanups.push(() => c.end());
      }
      const session = [];
      for (const c of clients) session.push((await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext('${schema}-session')) as ok`)).rows[0]!.ok);
      expect(session).toEqual([true, true]);
      await clients[0]!.query(`select pg_advisory_unlock_all()`);

      const a = lockSource({ url: bouncer.url, schema });
      const b = lockSource({ url: bouncer.url, schema });
      const first = held(await a.tryHold('shard-0'));
      expect(first).toBeDefined();
      expect(await b.tryHold('shard-0')).toBeUndefined();
      expect(await first!.holders()).toBe(1);
      await first!.release();
      expect(held(await b.tryHold('shard-0'))).toBeDefined();
    });

    it('refuses a lock through a statement-mode pooler, naming DATABASE_DIRECT_URL', async () => {
      const bouncer = await startBouncer(TEST_DATABASE_URL!, { mode: 'statement' });
      cleanups.push(() => bouncer.stop());
      await expect(lockSource({ url: bouncer.url, schema }).tryHold('shard-0')).rejects.toThrow(/DATABASE_DIRECT_URL/);
    });
  });
  it.skipIf(PGBOUNCER)('through a transaction-mode PgBouncer: skipped, pgbouncer is not installed (apt-get install -y pgbouncer)', () => {});
});
