/**
 * Embedded PGlite on its own worker thread (src/db/pglite-thread.ts), as `dojo start` runs it without
 * DATABASE_URL: the main thread stays free while a query runs, errors keep their SQLSTATE fields for the
 * unit of work's classification, transactions stay on the one connection, and closing ends the thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { classify } from '../../src/core/unit-of-work.js';
import { connect, type Connected } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { transaction } from '../../src/db/tx.js';
import { openPGliteThread } from '../../src/db/pglite-thread.js';
import { backend, testDb } from '../helpers/db.js';
import { snapshotFile } from '../helpers/pglite-snapshot.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `query`, then waits 30 ms of timers: whether the timer fired while the query was still running. */
async function timerFiresDuring(query: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const watched = query.finally(() => (settled = true));
  await sleep(30);
  const during = !settled;
  await watched;
  return during;
}

describe.skipIf(backend !== 'pglite')('PGlite on a worker thread', () => {
  let open: Connected[] = [];
  afterEach(async () => {
    for (const c of open) await c.close();
    open = [];
  });
  const db = async () => {
    const t = await testDb({ thread: 'worker' });
    open.push(t);
    return t;
  };

  it('keeps the main thread free while a query runs, where PGlite in this thread holds it up', async () => {
    const worker = await db();
    expect(await timerFiresDuring(sql`select pg_sleep(0.5)`.execute(worker.db))).toBe(true);
    const inThread = await testDb();
    open.push(inThread);
    expect(await timerFiresDuring(sql`select pg_sleep(0.5)`.execute(inThread.db))).toBe(false);
  });

  it('answers with rows typed as on Postgres, and counts affected rows', async () => {
    const t = await db();
    const { rows } = await sql<{ n: number; d: string; at: Date; big: number; j: { a: number[] } }>`
      select 1::int8 as n, date '2026-11-30' as d, timestamptz '2026-11-30T12:00:00Z' as at, 2.5::numeric as big, '{"a":[1,2]}'::jsonb as j`.execute(t.db);
    expect(rows).toEqual([{ n: 1, d: '2026-11-30', at: new Date('2026-11-30T12:00:00Z'), big: 2.5, j: { a: [1, 2] } }]);
    await sql`create table thing (id int primary key, at timestamptz)`.execute(t.db);
    const inserted = await t.db.insertInto('thing' as never).values([{ id: 1, at: new Date() }, { id: 2, at: new Date() }] as never).executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
  });

  it('runs PGlite with the small buffer cache it is given, not its default', async () => {
    // The buffer cache lives in the WebAssembly heap: PGlite's own default would be most of the idle memory.
    const t = await db();
    expect((await sql<{ shared_buffers: string }>`show shared_buffers`.execute(t.db)).rows).toEqual([{ shared_buffers: '16MB' }]);
  });

  it('keeps the SQLSTATE code and fields of an error, so a unique violation is a conflict', async () => {
    const t = await db();
    await sql`create table thing (id int primary key)`.execute(t.db);
    await sql`insert into thing values (1)`.execute(t.db);
    const error = await sql`insert into thing values (1)`.execute(t.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'thing_pkey', message: expect.stringContaining('duplicate key') });
    expect(classify(error)).toBe('conflict');
    expect(await sql`select count(*)::int as n from thing`.execute(t.db)).toMatchObject({ rows: [{ n: 1 }] });
  });

  it('keeps each transaction on the one connection: concurrent ones do not interleave, a failed one rolls back', async () => {
    const t = await db();
    await sql`create table thing (id int primary key, who text)`.execute(t.db);
    const write = (who: string, fail: boolean) =>
      transaction(t.db, async (trx) => {
        for (let i = 0; i < 5; i++) {
          await sql`insert into thing values (${who === 'a' ? i : 100 + i}, ${who})`.execute(trx);
          await sleep(1);
        }
        const mine = await sql<{ n: number }>`select count(*)::int as n from thing where who = ${who}`.execute(trx);
        if (fail) throw new Error('undo');
        return mine.rows[0]!.n;
      });
    const [a, b] = await Promise.allSettled([write('a', false), write('b', true)]);
    expect(a).toEqual({ status: 'fulfilled', value: 5 });
    expect(b).toMatchObject({ status: 'rejected' });
    expect((await sql<{ who: string }>`select distinct who from thing`.execute(t.db)).rows).toEqual([{ who: 'a' }]);
  });

  it('closes cleanly: the thread ends, and a query after it is "unavailable", not a bug', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-pglite-thread-'));
    try {
      const c = await connect({ dataDir: dir });
      expect((await migrateToLatest(c.db)).applied.length).toBeGreaterThan(0);
      await c.close();
      const error = await sql`select 1`.execute(c.db).catch((e: unknown) => e);
      expect(classify(error)).toBe('unavailable');
      // The data stays in the directory: opening it again finds the migrations applied.
      const again = await connect({ dataDir: dir });
      open.push(again);
      expect((await migrateToLatest(again.db)).applied).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts a new data directory from a template instead of initdb, and keeps what is written there', async () => {
    // The template the bot ships is an empty database (bin/build.js); the migrated test snapshot shows more.
    const template = snapshotFile(inject('pgliteSnapshots'), 'migrated');
    const dir = await mkdtemp(join(tmpdir(), 'dojo-pglite-template-'));
    try {
      const first = await openPGliteThread({ dataDir: dir, template });
      expect((await first.query<{ n: number }>(`select count(*)::int as n from team`)).rows).toEqual([{ n: 0 }]);
      await first.query(`insert into team (id, platform, external_id, name, timezone) values ('slack:T1', 'slack', 'T1', 'Acme', 'UTC')`);
      await first.close();
      // A restart finds the directory made: the template is not loaded over it.
      const again = await openPGliteThread({ dataDir: dir, template });
      expect((await again.query<{ name: string }>(`select name from team`)).rows).toEqual([{ name: 'Acme' }]);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
