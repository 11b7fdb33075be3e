/**
 * Prepared statements for the hot reads (src/db/prepared.ts), on a real Postgres: a marked statement is
 * parsed once per connection and answers as before; behind a transaction-mode PgBouncer that the URL
 * does not give away, the bot keeps answering (it stops preparing and runs the statement again); and a
 * table changed under a prepared statement by a migration is prepared again instead of failing.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/db/index.js';
import { PREPARE } from '../../src/db/prepared.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { TEST_DATABASE_URL, testDb } from '../helpers/db.js';
import { PGBOUNCER, startBouncer } from '../helpers/pgbouncer.js';

const marked = (n: number) => sql<{ n: number; twice: number }>`${sql.raw(PREPARE)}select ${n}::int as n, ${n}::int * 2 as twice`;
const prepared = sql<{ name: string }>`select name from pg_prepared_statements where statement like ${`${PREPARE.trim()}%`}`;

describe.runIf(TEST_DATABASE_URL)('prepared hot statements on Postgres', () => {
  it('parses a marked statement once per connection and leaves the others unnamed', async () => {
    const db = await connect({ url: TEST_DATABASE_URL!, maxConnections: 1, applicationName: 'dojo-prepared' });
    try {
      for (let i = 0; i < 8; i++) expect((await marked(i).execute(db.db)).rows).toEqual([{ n: i, twice: 2 * i }]);
      await sql`select ${1}::int as plain`.execute(db.db);
      const names = (await prepared.execute(db.db)).rows;
      expect(names).toHaveLength(1);
      expect(names[0]!.name).toMatch(/^dojo_/);
      // And the server keeps a plan for it: after five custom plans, the generic one runs without planning.
      const plans = await sql<{ generic: number; custom: number }>`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where name = ${names[0]!.name}`.execute(db.db);
      expect(plans.rows[0]!.generic).toBeGreaterThanOrEqual(1);
      expect(plans.rows[0]!.generic + plans.rows[0]!.custom).toBe(8);
    } finally {
      await db.close();
    }
  });

  it('compiles nothing: a direct connection runs with jit off, and so does one a pooler opens after the migrations', async () => {
    // A board over a team's many question channels once passed jit_above_cost and spent 100-200 ms compiling.
    const db = await connect({ url: TEST_DATABASE_URL!, maxConnections: 1, applicationName: 'dojo-jit' });
    try {
      expect((await sql<{ jit: string }>`show jit`.execute(db.db)).rows[0]!.jit).toBe('off');
    } finally {
      await db.close();
    }
    // A pooler's server connection sends no startup options: the role's default in this database holds.
    const t = await testDb({ migrate: false });
    await migrateToLatest(t.db);
    const raw = new pg.Client({ connectionString: t.url });
    await raw.connect();
    try {
      expect((await raw.query<{ jit: string }>('show jit')).rows[0]!.jit).toBe('off');
    } finally {
      await raw.end();
      await t.close();
    }
  });

  // PgBouncer before 1.21 (Debian 12 has 1.18) loses named statements between transactions, as Fly's did.
  it.runIf(PGBOUNCER)('keeps answering behind a transaction-mode pooler its URL does not give away, unprepared from then on', async () => {
    // One server connection for many clients: the second client's statement meets the first one's name.
    const bouncer = await startBouncer(TEST_DATABASE_URL!, { poolSize: 1, ignoreStartup: ['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout'] });
    const told: string[] = [];
    const db = await connect({ url: bouncer.url, maxConnections: 4, applicationName: 'dojo-prepared-pooler', onUnprepared: (why) => told.push(why) });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => marked(i).execute(db.db)));
      expect(results.map((r) => r.rows[0])).toEqual(Array.from({ length: 40 }, (_, i) => ({ n: i, twice: 2 * i })));
      expect(told).toEqual([expect.stringMatching(/pooler/)]);
      // From then on nothing is named, so nothing fails.
      const again = await Promise.all(Array.from({ length: 20 }, (_, i) => marked(i).execute(db.db)));
      expect(again).toHaveLength(20);
      expect(told).toHaveLength(1);
    } finally {
      await db.close();
      await bouncer.stop();
    }
  }, 30_000);

  it('prepares a statement again when a migration changed its table under it', async () => {
    const table = `prep_${randomBytes(4).toString('hex')}`;
    const told: string[] = [];
    const db = await connect({ url: TEST_DATABASE_URL!, maxConnections: 1, applicationName: 'dojo-prepared-migrate', onUnprepared: (why) => told.push(why) });
    try {
      await sql`create table ${sql.id(table)} (a int)`.execute(db.db);
      await sql`insert into ${sql.id(table)} values (1)`.execute(db.db);
      // `select *` is what the mark must not be used for; here it is how a result type changes.
      const star = () => sql<Record<string, number>>`${sql.raw(PREPARE)}select * from ${sql.id(table)}`.execute(db.db);
      expect((await star()).rows).toEqual([{ a: 1 }]);
      await sql`alter table ${sql.id(table)} add column b int default 2`.execute(db.db);
      expect((await star()).rows).toEqual([{ a: 1, b: 2 }]);
      expect(told).toEqual([expect.stringMatching(/prepared again/)]);
      expect((await star()).rows).toEqual([{ a: 1, b: 2 }]);
    } finally {
      await sql`drop table if exists ${sql.id(table)}`.execute(db.db);
      await db.close();
    }
  });
});
