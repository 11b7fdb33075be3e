/**
 * The pg pool behind Kysely, made to survive what production does to a database connection:
 * - a lost connection (a restart, a failover, pg_terminate_backend) is logged once and the client
 *   leaves the pool; the next query opens a new one, and the process carries on;
 * - a database that hangs answers within seconds: a connect timeout, server-side statement and lock
 *   timeouts (on a direct connection; a transaction-mode pooler refuses such startup parameters), and
 *   a client-side read timeout a little longer that closes the connection it gave up on.
 */
import pg from 'pg';
import { StatementNames } from './prepared.js';

export interface PoolOptions {
  url: string;
  max: number;
  /** search_path, to isolate test files from each other. */
  schema?: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** Shown in pg_stat_activity (and lets tests find their own backends). */
  applicationName: string;
  /** Called once per lost connection, with why. */
  onLost(error: Error): void;
  /** Called when a prepared statement had to run unprepared (prepared.ts), with why. */
  onUnprepared?(why: string): void;
}

// The same JS values from both drivers: dates stay 'YYYY-MM-DD' strings (a Date would shift them into
// the process's time zone); counts and averages become numbers (ours are far below 2^53).
export const DATE = 1082;
export const INT8 = 20;
export const NUMERIC = 1700;
export const keep = (value: string) => value;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE) return keep;
    if (oid === INT8 || oid === NUMERIC) return Number;
    return pg.types.getTypeParser(oid, format);
  },
};

/** A message pg gives when its own read timeout fires. */
const READ_TIMEOUT = 'Query read timeout';

/** Whether the URL goes through a pooler (PgBouncer): Fly's pooled host name, or PgBouncer's port. */
export function looksPooled(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.hostname.startsWith('pgbouncer.') || parsed.port === '6432';
  } catch {
    return false;
  }
}

/**
 * A client that closes its connection when the read timeout gives up on a query: the server may
 * still be busy with it, and a client left waiting would hold every later query on it behind.
 */
class Client extends pg.Client {
  /** Set by the pool (`dojo` in its config) on a direct connection: statements marked PREPARE go named (prepared.ts). */
  private readonly dojo: { names: StatementNames; onUnprepared(why: string): void } | undefined;

  constructor(config: pg.ClientConfig & { dojo?: Client['dojo'] }) {
    super(config);
    this.dojo = config.dojo;
  }

  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = this.dojo && args.length <= 2 && typeof text === 'string' && (values === undefined || Array.isArray(values)) ? this.dojo.names.nameOf(text) : undefined;
    if (!name) return this.guarded(args);
    const { names, onUnprepared } = this.dojo!;
    return (this.guarded([{ name, text, values }]) as unknown as Promise<unknown>).catch((error: unknown) => {
      const failed = names.failed(text as string, name, error);
      if (failed?.tell) onUnprepared(failed.tell);
      // Again unnamed only when no transaction was open: the statement failed before it ran, and nothing else is lost.
      if (!failed || this.getTransactionStatus() !== 'I') throw error;
      return this.guarded(args);
    }) as never;
  }

  private guarded(args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (!result || typeof (result as Promise<unknown>).catch !== 'function') return result as never;
    // Handled before the caller hears of it, so the pool sees an unusable client when it is released.
    return (result as Promise<unknown>).catch((error: unknown) => {
      if (error instanceof Error && error.message === READ_TIMEOUT) {
        // `as unknown as`: pg keeps these fields private (untyped); marking the client unusable needs them.
        const self = this as unknown as { _queryable: boolean; connection: { stream: { destroy(): void } } };
        self._queryable = false;
        self.connection.stream.destroy();
      }
      throw error;
    }) as never;
  }
}

export function createPool(options: PoolOptions, pooled = looksPooled(options.url)): pg.Pool {
  const server = pooled
    ? {}
    : {
        statement_timeout: options.statementTimeoutMs,
        lock_timeout: options.lockTimeoutMs,
        // A transaction left open by a stuck process must not hold its locks for ever.
        idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 4, 60_000),
      };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    types: types as pg.CustomTypesConfig,
    // jit off on a direct connection: the bot runs only short statements, and a plan whose estimate
    // passes jit_above_cost (a board's over a team's many channels) spent 100-200 ms compiling for a few
    // ms of work. Not through a pooler, which may refuse startup options it does not know, and not when
    // the URL has `options` of its own (pg takes the URL's over these): there the migration
    // 20261201T061000Z-no-jit's default for the bot's role in its database answers.
    options: [options.schema ? `-c search_path="${options.schema}"` : '', pooled ? '' : '-c jit=off'].filter(Boolean).join(' ') || undefined,
    application_name: options.applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs,
    // The server's statement timeout answers first when it can; this one catches a silent network.
    query_timeout: options.statementTimeoutMs + 2_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    Client,
    // Named statements need a session of their own: not through a pooler (prepared.ts).
    ...(pooled ? {} : { dojo: { names: new StatementNames(), onUnprepared: (why: string) => options.onUnprepared?.(why) } }),
    ...server,
  } as unknown as pg.PoolConfig);
  const lost = new WeakSet<pg.Client>();
  // Every client gets a handler for its whole life (pg-pool only listens while a client is idle): an
  // error on a client in a query would otherwise be an unhandled 'error' event, and end the process.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (lost.has(client)) return;
      lost.add(client);
      options.onLost(error);
    });
  });
  // Already reported by the client's own handler; this one keeps pg-pool's re-emit from being fatal.
  pool.on('error', () => {});
  return pool;
}
