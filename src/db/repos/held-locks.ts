/**
 * Session advisory locks held for as long as a process wants them, on a dedicated connection: the
 * lock lives and dies with that connection, so a crashed holder frees it for another instance.
 * Postgres only: PGlite is one process's own database, where there is nobody to exclude.
 */
import { sql } from 'kysely';
import type { Db } from '../index.js';

// The first half of the two-key lock space, "interview dojo"; the second half hashes the lock's name.
const DOJO_LOCK_CLASS = 1_684_370_287;

export interface HeldLock {
  /** Resolves if the connection holding the lock fails (the lock is then gone). */
  readonly lost: Promise<unknown>;
  release(): Promise<void>;
}

/**
 * Takes the named lock if it is free, or says it is not. Names are scoped to the current schema, so
 * deployments (and test files) sharing a server do not exclude each other.
 */
export async function tryHoldLock(db: Db, name: string, options: { checkEveryMs?: number } = {}): Promise<HeldLock | undefined> {
  const checkEvery = options.checkEveryMs ?? 30_000;
  let decide!: (held: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  let stop!: () => void;
  const stopped = new Promise<'stop'>((resolve) => (stop = () => resolve('stop')));
  let markLost!: (error: unknown) => void;
  const lost = new Promise<unknown>((resolve) => (markLost = resolve));
  let failure: unknown;

  const holding = db
    .connection()
    .execute(async (conn) => {
      const key = sql`${DOJO_LOCK_CLASS}::int4, hashtext(current_schema() || ':' || ${name})`;
      const { rows } = await sql<{ held: boolean }>`select pg_try_advisory_lock(${key}) as held`.execute(conn);
      const held = rows[0]?.held === true;
      decide(held);
      if (!held) return;
      for (;;) {
        const tick = await Promise.race([stopped, new Promise<'check'>((r) => setTimeout(() => r('check'), checkEvery).unref())]);
        if (tick === 'stop') break;
        // A dead connection would leave us believing we hold a lock the server already freed.
        await sql`select 1`.execute(conn);
      }
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    })
    .catch((error: unknown) => {
      failure = error;
      decide(false);
      markLost(error);
    });

  if (!(await decided)) {
    await holding;
    if (failure) throw failure;
    return undefined;
  }
  return {
    lost,
    release: async () => {
      stop();
      await holding;
    },
  };
}
