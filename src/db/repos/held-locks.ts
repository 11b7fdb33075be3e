/**
 * Advisory locks held for as long as a process wants them, each on a connection of its own (not the
 * query pool), so that a lost connection loses exactly that lock and is noticed at once.
 *
 * Each lock is a transaction-level advisory lock inside a transaction kept open on its connection.
 * A session-level lock taken through a transaction-mode pooler (PgBouncer, Fly's pooled URL) stays on
 * whichever server connection ran the statement and is then "held" by every client routed there; an
 * open transaction instead pins one server connection to us, so the lock means the same directly,
 * through a session pooler and through a transaction pooler. A statement-mode pooler refuses the
 * transaction and the lock is refused with it.
 *
 * Neither side waits forever for the other: we check the connection every `checkEveryMs` and give the
 * lock up when a check fails or takes `checkTimeoutMs`; the server ends our session (freeing the lock)
 * after `serverIdleMs` without a check. The holder so gives up before anyone else can take the lock.
 * Postgres only: PGlite is one process's own database, where there is nobody to exclude.
 */
import { DojoError } from '../../core/errors.js';
import pg from 'pg';

// The first half of the two-key lock space, "interview dojo"; the second half hashes the lock's name.
const DOJO_LOCK_CLASS = 1_684_370_287;

export interface LockTarget {
  /** DATABASE_DIRECT_URL when set (no pooler in between), else DATABASE_URL. */
  url: string;
  /** Scopes lock names, so deployments (and test files) sharing a server do not exclude each other. */
  schema?: string;
  /** Shown in pg_stat_activity, so an operator (or a test) can find the lock connections. */
  applicationName?: string;
}

export interface LockTiming {
  checkEveryMs?: number;
  checkTimeoutMs?: number;
  serverIdleMs?: number;
  connectTimeoutMs?: number;
}

export interface HeldLock {
  readonly name: string;
  /** Resolves (once) with the cause when the lock's connection is lost: the lock is then gone. */
  readonly lost: Promise<unknown>;
  /** How many sessions hold this lock now (more than one only for shared locks). */
  holders(): Promise<number>;
  release(): Promise<void>;
}

export interface LockSource {
  /** Takes the named lock if it is free (or, `shared`, not held exclusively); undefined if not. */
  tryHold(name: string, options?: { shared?: boolean }): Promise<HeldLock | undefined>;
}

export class LockRefused extends DojoError {
  readonly code = 'lock_refused';
}

export function lockSource(target: LockTarget, timing: LockTiming = {}): LockSource {
  return { tryHold: (name, options) => tryHold(target, timing, name, options?.shared === true) };
}

async function tryHold(target: LockTarget, timing: LockTiming, name: string, shared: boolean): Promise<HeldLock | undefined> {
  const checkEvery = timing.checkEveryMs ?? 5_000;
  const checkTimeout = timing.checkTimeoutMs ?? 5_000;
  const serverIdle = timing.serverIdleMs ?? Math.max(30_000, 3 * (checkEvery + checkTimeout));
  const client = new pg.Client({
    connectionString: target.url,
    application_name: target.applicationName ?? 'interview-dojo-lock',
    keepAlive: true,
    connectionTimeoutMillis: timing.connectTimeoutMs ?? 10_000,
    query_timeout: checkTimeout,
  });
  let markLost!: (cause: unknown) => void;
  let gone = false;
  const checks: { timer?: NodeJS.Timeout } = {};
  const lost = new Promise<unknown>((resolve) => {
    markLost = (cause) => {
      if (gone) return;
      gone = true;
      clearInterval(checks.timer);
      resolve(cause);
      void client.end().catch(() => {});
    };
  });
  // Without a listener pg's 'error' (a terminated backend, a restart) would end the process.
  client.on('error', (error) => markLost(error));
  client.on('end', () => markLost(new Error('the lock connection closed')));

  const key = [DOJO_LOCK_CLASS, target.schema ?? null, name];
  const keySql = `$1::int4, hashtext(coalesce($2::text, current_schema()) || ':' || $3::text)`;
  try {
    await client.connect();
    try {
      await client.query('begin');
    } catch (error) {
      throw new LockRefused('the lock connection cannot keep a transaction open (a statement-mode pooler?): set DATABASE_DIRECT_URL to a direct Postgres URL', { cause: error });
    }
    await client.query(`set local idle_in_transaction_session_timeout = ${Math.ceil(serverIdle)}`);
    const fn = shared ? 'pg_try_advisory_xact_lock_shared' : 'pg_try_advisory_xact_lock';
    const { rows } = await client.query<{ held: boolean }>(`select ${fn}(${keySql}) as held`, key);
    if (rows[0]?.held !== true) {
      gone = true;
      await client.end().catch(() => {});
      return undefined;
    }
  } catch (error) {
    gone = true;
    await client.end().catch(() => {});
    throw error;
  }

  checks.timer = setInterval(() => {
    // A dead connection would leave us believing we hold a lock the server already freed.
    client.query('select 1').catch((error: unknown) => markLost(error));
  }, checkEvery);
  checks.timer.unref();

  return {
    name,
    lost,
    async holders() {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_locks
          where locktype = 'advisory' and granted and objsubid = 2
            and database = (select oid from pg_database where datname = current_database())
            and classid = $1::int4::oid and objid = (hashtext(coalesce($2::text, current_schema()) || ':' || $3::text))::oid`,
        key,
      );
      return rows[0]?.n ?? 0;
    },
    async release() {
      if (gone) return;
      gone = true;
      clearInterval(checks.timer);
      // Ending the transaction frees the lock; ending the connection would too, a moment later.
      await client.query('rollback').catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
