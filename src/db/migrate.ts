/**
 * Migrations at start and from `dojo migrate`. Two instances starting together are serialised by a
 * session advisory lock held on one connection around the whole run, so the second finds the work done.
 */
import { DojoError } from '../core/errors.js';
import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './index.js';

// A fixed key for "the dojo migrator"; any 64-bit number works as long as nothing else uses it. It is
// server-wide on purpose: Kysely lists the tables and columns of every schema before it migrates, and
// another schema's migration changing them at that moment fails the listing (42P01, 42703).
const MIGRATION_LOCK = 4_207_331_101;
// How long a start waits for another instance's (or schema's) migrations; the pool's own lock timeout is short.
const LOCK_WAIT = '10min';

export interface MigrateOutcome {
  applied: string[];
  direction: 'up' | 'down';
}

export class MigrationError extends DojoError {
  readonly code = 'migration_failed';
}

export async function migrateToLatest(db: Db): Promise<MigrateOutcome> {
  return withMigrationLock(db, (migrator) => migrator.migrateToLatest(), 'up');
}

/** Undo every migration (tests, and `dojo migrate --down` for a full reset). */
export async function migrateDownAll(db: Db): Promise<MigrateOutcome> {
  return withMigrationLock(
    db,
    async (migrator) => {
      const applied: MigrationResultSet = { results: [] };
      for (;;) {
        const step = await migrator.migrateDown();
        if (step.error) return { ...step, results: [...(applied.results ?? []), ...(step.results ?? [])] };
        if (!step.results?.length) return applied;
        applied.results!.push(...step.results);
      }
    },
    'down',
  );
}

/**
 * Kysely looks for its bookkeeping table by listing the tables of every schema on the server; a table
 * another schema drops (42P01) or a column it drops (42703) at that moment fails the listing before anything ran. Nothing was
 * applied, so looking again is safe (it matters where tests share a server, one schema each).
 */
const LISTING_RACES = new Set(['42P01', '42703']);

export async function throughListingRace(run: () => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  let outcome = await run();
  for (let retry = 0; retry < 5 && outcome.error && !outcome.results?.length && LISTING_RACES.has(String((outcome.error as { code?: unknown }).code)); retry++) {
    outcome = await run();
  }
  return outcome;
}

async function withMigrationLock(
  db: Db,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
  direction: 'up' | 'down',
): Promise<MigrateOutcome> {
  return db.connection().execute(async (conn) => {
    await sql`select set_config('lock_timeout', ${LOCK_WAIT}, false)`.execute(conn);
    try {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    } catch (error) {
      await sql`reset lock_timeout`.execute(conn);
      throw error;
    }
    try {
      // Name the schema: Kysely otherwise finds its bookkeeping tables in any schema on the server.
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn);
      const migrator = new Migrator({
        db: conn,
        provider: { getMigrations: async () => migrations },
        migrationTableSchema: rows[0]?.schema ?? 'public',
      });
      const { error, results } = await throughListingRace(() => run(migrator));
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(failed ? `migration ${failed} failed: ${reason}` : `migrations failed: ${reason}`, {
          cause: error,
        });
      }
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), direction };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      await sql`reset lock_timeout`.execute(conn);
    }
  });
}
