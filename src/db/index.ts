/**
 * Connecting: Postgres through `pg` when a URL is given, otherwise embedded PGlite persisted in a
 * directory (or in memory). Both sit behind the same Kysely<Database>, with the same type parsing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import { pgliteOptions } from './pglite-protocol.js';
import type { PGliteLike } from './pglite-thread.js';
import { createPool, looksPooled } from './postgres.js';
import { pgliteTemplate } from './pglite-template.js';

export type { Database } from './schema/index.js';
export type Db = Kysely<Database>;
/** Anything that runs queries: the database or an open transaction. Repositories take it first. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** Where PGlite keeps its files; absent (with no url) means in memory. */
  dataDir?: string;
  /** Postgres schema to work in (search_path), used to isolate test files from each other. */
  schema?: string;
  /** Pool size for Postgres. */
  maxConnections?: number;
  /** A session connection for migrations and advisory locks (DATABASE_DIRECT_URL); else `url`. */
  directUrl?: string;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  applicationName?: string;
  /**
   * Where embedded PGlite runs: on a worker thread of its own (default: a busy query never holds up the
   * main thread's acks), or in this thread ('main': no thread to start, for short-lived tools).
   */
  pgliteThread?: 'worker' | 'main';
  /** A connection was lost (logged by the caller; the pool opens a new one for the next query). */
  onConnectionLost?: (error: Error) => void;
  /** A prepared statement ran unprepared (db/prepared.ts), with why. */
  onUnprepared?: (why: string) => void;
}

export interface Connected {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for people: a redacted URL or a directory. */
  location: string;
  /**
   * Where session-scoped work (the gateway locks) connects on its own: the direct URL when given,
   * else the pooled one, with the schema that scopes lock names. Postgres only.
   */
  session?: { url: string; schema?: string };
  close(): Promise<void>;
  /** Postgres only: connections open, idle, and queries waiting for one (metrics). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export async function connect(options: DatabaseOptions = {}): Promise<Connected> {
  if (options.url) return connectPostgres(options.url, options);
  return connectPGlite(options);
}

async function connectPostgres(url: string, options: DatabaseOptions): Promise<Connected> {
  const pool = createPool({
    url,
    max: options.maxConnections ?? 10,
    schema: options.schema,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: options.statementTimeoutMs ?? 15_000,
    lockTimeoutMs: options.lockTimeoutMs ?? 5_000,
    applicationName: options.applicationName ?? 'interview-dojo',
    onLost: (error) => options.onConnectionLost?.(error),
    onUnprepared: (why) => options.onUnprepared?.(why),
    // With a separate direct URL, the main one is taken to go through a pooler.
  }, Boolean(options.directUrl && options.directUrl !== url) || looksPooled(url));
  if (options.schema) {
    // search_path names a schema that must exist before anything is created in it.
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists "${options.schema}"`);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    location: redact(url),
    session: { url: options.directUrl ?? url, schema: options.schema },
    close: () => db.destroy(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

async function connectPGlite(options: DatabaseOptions): Promise<Connected> {
  const dataDir = options.dataDir ? resolve(options.dataDir, 'pglite') : undefined;
  let pglite: PGliteLike;
  if (options.pgliteThread === 'main') {
    const { PGlite } = await import('@electric-sql/pglite');
    if (dataDir) await mkdir(dataDir, { recursive: true });
    // A new directory starts from the template, as on a worker (initdb in this thread costs twice the CPU).
    const template = dataDir && !existsSync(join(dataDir, 'PG_VERSION')) ? pgliteTemplate() : undefined;
    if (dataDir && template) await (await import('./pglite-unpack.js')).unpackDataDir(template, dataDir);
    const inThread = await PGlite.create(dataDir, pgliteOptions(PGlite.defaultStartParams));
    if (options.schema) await inThread.exec(`create schema if not exists "${options.schema}"; set search_path to "${options.schema}"`);
    pglite = inThread;
  } else {
    const { openPGliteThread } = await import('./pglite-thread.js');
    const template = dataDir ? pgliteTemplate() : undefined;
    pglite = await openPGliteThread({ dataDir, schema: options.schema, ...(template ? { template } : {}) });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', location: dataDir ?? 'memory', close: () => db.destroy() };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}
