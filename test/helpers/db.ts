/**
 * A fresh, migrated database per test file: embedded PGlite in memory by default, or a schema of its
 * own on real Postgres when TEST_DATABASE_URL is set (CI runs the database tests both ways).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Connected } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const backend = TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb extends Connected {
  schema: string;
  /** Another connection to the same data (a second instance); Postgres only. */
  another(): Promise<Connected>;
}

export async function testDb(options: { migrate?: boolean } = {}): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const connected = await connect({ url: TEST_DATABASE_URL, schema });
  if (options.migrate !== false) await migrateToLatest(connected.db);
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
