/**
 * A fresh, migrated database per test file (or per test): embedded PGlite in memory by default, started
 * from a snapshot made once per run (helpers/pglite-snapshot.ts), or a schema of its own on real Postgres
 * when TEST_DATABASE_URL is set (CI runs the database tests both ways).
 */
import { randomBytes } from 'node:crypto';
import { Kysely } from 'kysely';
import { inject } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { connect, type Connected, type Database } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { openPGliteThread } from '../../src/db/pglite-thread.js';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { BANK_SYNCED_AT, snapshotFile, startFrom, type Stage } from './pglite-snapshot.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const backend = TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb extends Connected {
  schema: string;
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

let bankCache: Awaited<ReturnType<typeof loadBank>> | undefined;

export async function testDb(options: TestDbOptions = {}): Promise<TestDb> {
  const stage: Stage = options.migrate === false ? 'fresh' : options.bank ? 'bank' : 'migrated';
  const snapshots = TEST_DATABASE_URL ? undefined : inject('pgliteSnapshots');
  if (snapshots) return fromSnapshot(snapshotFile(snapshots, stage), options.thread);
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const connected = await connect({ url: TEST_DATABASE_URL, schema });
  if (stage !== 'fresh') await migrateToLatest(connected.db);
  if (stage === 'bank') {
    bankCache ??= await loadBank(BUILTIN_QUESTIONS_DIR);
    await transaction(connected.db, (trx) => syncBuiltinQuestions(trx, bankCache!.questions, BANK_SYNCED_AT));
  }
  return {
    ...connected,
    schema,
    another: async () => {
      if (!TEST_DATABASE_URL) throw new Error('a second connection needs Postgres');
      return connect({ url: TEST_DATABASE_URL, schema });
    },
    // The schema is dropped after the whole run (test/global-setup.ts), not here: dropping it while
    // another file's migrator introspects the catalog makes that file fail at random.
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
