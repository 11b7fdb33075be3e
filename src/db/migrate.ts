/**
 * Migrations at start and from `dojo migrate`. Two instances starting together are serialised by a
 * session advisory lock held on one connection around the whole run, so the second finds the work done.
 * The lock is the schema's own: migrations of other schemas on the same server (other bots, the tests'
 * schemas) never wait for each other.
 */
import { DojoError } from '../core/errors.js';
import { Migrator, sql, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './index.js';

// "The dojo migrator of this schema": a 64-bit key from the schema's name.
const MIGRATION_LOCK = sql`hashtextextended('dojo-migrations:' || current_schema(), 0)`;

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
 * another schema drops at that moment fails the listing (42P01) before anything ran. Nothing was
 * applied, so looking again is safe (it matters where tests share a server, one schema each).
 */
export async function throughListingRace(run: () => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  let outcome = await run();
  for (let retry = 0; retry < 3 && outcome.error && !outcome.results?.length && (outcome.error as { code?: unknown }).code === '42P01'; retry++) {
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
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
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
    }
  });
}
