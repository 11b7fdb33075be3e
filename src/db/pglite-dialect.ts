/**
 * A Kysely dialect for embedded PGlite. PGlite is one Postgres session in this process, so the driver
 * hands out that single connection to one user at a time (a queue), which is what makes Kysely's
 * transactions safe on it. We write this (60 lines) rather than depend on kysely-pglite (pulls a CLI
 * and codegen) or kysely-pglite-dialect (capped at PGlite 0.4). The PGlite behind it is either on its
 * own worker thread (PGliteThread, the product) or in this thread (PGlite itself, test snapshots).
 */
import type { Results } from '@electric-sql/pglite';
import type { PGliteLike } from './pglite-thread.js';
import { PGlitePrepared, type PGliteSession } from './pglite-prepared.js';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

class PGliteConnection implements DatabaseConnection {
  /** A PGlite in this thread prepares marked statements here; the worker's does so itself (pglite-worker.ts). */
  private readonly prepared: { pg: PGliteSession; statements: PGlitePrepared } | undefined;

  constructor(private readonly pg: PGliteLike) {
    if ('serializers' in pg) this.prepared = { pg: pg as PGliteLike & PGliteSession, statements: new PGlitePrepared() };
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const params = [...query.parameters];
    const named = this.prepared?.statements.run(this.prepared.pg, query.sql, params) as Promise<Results<R>> | undefined;
    const result = await (named ?? this.pg.query<R>(query.sql, params));
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && /^\s*(\/\*.*?\*\/\s*)?(insert|update|delete|merge|with)/i.test(query.sql)
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries');
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(private readonly pg: PGliteLike) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGliteLike) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
