/**
 * A fresh, migrated database per test file (or per test): embedded PGlite in memory by default, started
 * from a snapshot made once per run (helpers/pglite-snapshot.ts), or on real Postgres when TEST_DATABASE_URL
 * is set, a database of its own copied from a template made once per run (helpers/pg-templates.ts). CI
 * runs the database tests both ways.
 */
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { connect, type Connected, type Database } from '../../src/db/index.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { openPGliteThread } from '../../src/db/pglite-thread.js';
import { copyTemplate } from './pg-templates.js';
import { snapshotFile, startFrom, type Stage } from './pglite-snapshot.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const backend = TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb extends Connected {
  schema: string;
  /** Postgres only: the URL of this test database's own database (helpers/pg-templates.ts). */
  url?: string;
  /** Another connection to the same data (a second instance); Postgres only. */
  another(): Promise<Connected>;
}

export interface TestDbOptions {
  /** Apply the migrations (default true); false gives an empty database. */
  migrate?: boolean;
  /** Sync the built-in bank as of 2026-01-01 (default false). */
  bank?: boolean;
  /**
   * PGlite only: run it on a worker thread of its own, as the product does (default: in the test's
   * thread, which starts faster; the worker is tested on its own in test/db/pglite-thread.test.ts).
   */
  thread?: 'worker';
}

export async function testDb(options: TestDbOptions = {}): Promise<TestDb> {
  const stage: Stage = options.migrate === false ? 'fresh' : options.bank ? 'bank' : 'migrated';
  const snapshots = TEST_DATABASE_URL ? undefined : inject('pgliteSnapshots');
  if (snapshots) return fromSnapshot(snapshotFile(snapshots, stage), options.thread);
  const { url, schema } = await copyTemplate(TEST_DATABASE_URL!, inject('postgresTemplates'), stage);
  const connected = await connect({ url, schema });
  return {
    ...connected,
    schema,
    url,
    another: () => connect({ url, schema }),
    // The database is dropped after the whole run (test/global-setup.ts).
    close: () => connected.close(),
  };
}

async function fromSnapshot(file: string, thread?: 'worker'): Promise<TestDb> {
  const pglite = thread === 'worker' ? await openPGliteThread({ snapshot: file }) : await startFrom(file);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    location: 'memory',
    schema: 'public',
    another: () => Promise.reject(new Error('a second connection needs Postgres')),
    close: () => db.destroy(),
  };
}
