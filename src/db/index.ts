/**
 * Connecting: Postgres through `pg` when a URL is given, otherwise embedded PGlite persisted in a
 * directory (or in memory). Both sit behind the same Kysely<Database>, with the same type parsing.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema/index.js';
import { PGliteDialect } from './pglite-dialect.js';

export type { Database } from './schema/index.js';
export type Db = Kysely<Database>;
/** Anything that runs queries: the database or an open transaction. Repositories take it first. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface DatabaseOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** A URL that reaches Postgres without a transaction pooler (DATABASE_DIRECT_URL), for session work. */
  directUrl?: string;
  /** Where PGlite keeps its files; absent (with no url) means in memory. */
  dataDir?: string;
  /** Postgres schema to work in (search_path), used to isolate test files from each other. */
  schema?: string;
  /** Pool size for Postgres. */
  maxConnections?: number;
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
}

// The same JS values from both drivers: dates stay 'YYYY-MM-DD' strings (a Date would shift them into
// the process's time zone); counts and averages become numbers (ours are far below 2^53).
const DATE = 1082;
const INT8 = 20;
const NUMERIC = 1700;
const keep = (value: string) => value;

export async function connect(options: DatabaseOptions = {}): Promise<Connected> {
  if (options.url) return connectPostgres(options.url, options);
  return connectPGlite(options);
}

async function connectPostgres(url: string, options: DatabaseOptions): Promise<Connected> {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE) return keep;
      if (oid === INT8 || oid === NUMERIC) return Number;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: types as pg.CustomTypesConfig,
    options: options.schema ? `-c search_path="${options.schema}"` : undefined,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
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
  return { db, kind: 'postgres', location: redact(url), session: { url: options.directUrl ?? url, schema: options.schema }, close: () => db.destroy() };
}

async function connectPGlite(options: DatabaseOptions): Promise<Connected> {
  const { PGlite } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir, 'pglite');
    await mkdir(dataDir, { recursive: true });
  }
  const parsers = { [DATE]: keep, [INT8]: Number, [NUMERIC]: Number };
  const pglite = await PGlite.create(dataDir, { parsers });
  if (options.schema) {
    await pglite.exec(`create schema if not exists "${options.schema}"; set search_path to "${options.schema}"`);
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
