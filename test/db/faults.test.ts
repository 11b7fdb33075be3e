/**
 * What production does to a database connection, on real Postgres: connections terminated (idle and
 * in a query), a statement that hangs on a lock, a server that stops for ten seconds and comes back.
 * The process keeps serving: people get a friendly "try again", /readyz says 503 meanwhile, and the
 * next request after the fault works. Only backends this file opened are terminated (by their
 * application_name); the stop-and-start runs on a private cluster this file starts and removes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo, type DojoCore } from '../../src/core/dojo.js';
import { DojoUnavailable, type InboundEvent } from '../../src/core/ports.js';
import { connect, type Connected } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { Health, databaseCheck } from '../../src/health.js';
import { startHttp, type HttpServer } from '../../src/http.js';
import { createMetrics } from '../../src/metrics.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { freePort } from '../helpers/ports.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const lost: string[] = [];
const log = pino({ level: 'silent' });
const help: InboundEvent = { type: 'command', text: 'help', team: { platform: 'memory', id: 'T1' }, channel: { id: 'C1' }, user: { id: 'U1', name: 'ada' } };

interface Product {
  db: Connected;
  dojo: DojoCore;
  http: HttpServer;
  readyz(): Promise<number>;
  stop(): Promise<void>;
}

/** The pieces of the running bot that touch the database: pool, core, and the HTTP server's /readyz. */
async function product(url: string, options: { applicationName: string; schema?: string; statementTimeoutMs?: number; lockTimeoutMs?: number; connectTimeoutMs?: number }): Promise<Product> {
  // Migrated first on a connection of its own, without the short lock timeout under test (as the bot
  // does at start: a migration run on a loaded server can take a while).
  const setup = await connect({ url, schema: options.schema, lockTimeoutMs: 120_000, statementTimeoutMs: 120_000 });
  await migrateToLatest(setup.db).finally(() => setup.close());
  const db = await connect({ url, ...options, onConnectionLost: (error) => lost.push(error.message) });
  const dojo = createDojo({ db: db.db, chat: new MemoryChat(), clock: new ManualClock(new Date('2026-11-30T10:00:00Z')), log });
  const health = new Health(1_500);
  health.add('database', databaseCheck(db.db));
  const http = await startHttp({ port: 0, host: '127.0.0.1', db: db.db, metrics: createMetrics(), log, health });
  return {
    db,
    dojo,
    http,
    readyz: async () => (await fetch(`http://127.0.0.1:${http.port}/readyz`)).status,
    stop: async () => {
      await http.close();
      await db.close();
    },
  };
}

async function elapsed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T | unknown }> {
  const started = Date.now();
  const result = await work().catch((error: unknown) => error);
  return { ms: Date.now() - started, result };
}

describe.runIf(TEST_DATABASE_URL)('database faults on Postgres', () => {
  const appName = `dojo-faults-${randomBytes(4).toString('hex')}`;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let admin: pg.Client;
  let p: Product;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    p = await product(TEST_DATABASE_URL!, { applicationName: appName, schema, statementTimeoutMs: 1_500, lockTimeoutMs: 800 });
  });
  afterAll(async () => {
    await p?.stop();
    await admin?.end();
  });

  const terminateOurs = async () => {
    const { rows } = await admin.query<{ done: boolean }>('select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1', [appName]);
    return rows.length;
  };

  it('keeps serving after its idle connections are terminated', async () => {
    // Several connections in the pool, all idle.
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(p.db.db)));
    lost.length = 0;
    expect(await terminateOurs()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => lost.length).toBeGreaterThanOrEqual(2);
    const outcome = await p.dojo.handle(help);
    expect(outcome.reply?.text).toMatch(/Here is what you can do|\/dojo/);
    expect(await p.readyz()).toBe(200);
  });

  it('keeps serving after a connection is terminated in the middle of a query', async () => {
    const slow = sql`select pg_sleep(1)`.execute(p.db.db).then(
      () => 'finished',
      (error: Error) => error.message,
    );
    await expect.poll(async () => (await admin.query('select 1 from pg_stat_activity where application_name = $1 and query like $2', [appName, '%pg_sleep(1)%'])).rowCount).toBe(1);
    await terminateOurs();
    expect(await slow).toMatch(/terminat/i);
    expect((await p.dojo.handle(help)).reply?.text).toBeTruthy();
    expect(await p.readyz()).toBe(200);
  });

  it('answers a friendly "try again" within the lock timeout while a lock holds a statement up', async () => {
    await p.dojo.handle(help);
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`lock table "${schema}".team in access exclusive mode`);
      const { ms, result } = await elapsed(() => p.dojo.handle(help));
      expect(result).toBeInstanceOf(DojoUnavailable);
      expect((result as DojoUnavailable).userMessage).toMatch(/Please try again in a minute/);
      expect(ms).toBeLessThan(4_000);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    expect((await p.dojo.handle(help)).reply?.text).toBeTruthy();
  });

  it('gives up on a statement that hangs at the statement timeout', async () => {
    const { ms, result } = await elapsed(() => sql`select pg_sleep(30)`.execute(p.db.db));
    expect((result as Error).message).toMatch(/statement timeout/);
    expect(ms).toBeLessThan(4_000);
    expect(await p.readyz()).toBe(200);
  });
});


/** A throwaway cluster owned by the postgres user (initdb refuses root), in a temp dir. */
class PrivateCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-pg-'));
    await chmod(dir, 0o777);
    const cluster = new PrivateCluster(dir, await freePort());
    cluster.as(`${PG_BIN}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8 >/dev/null`);
    cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private as(command: string): void {
    const root = process.getuid?.() === 0;
    execFileSync(root ? 'runuser' : 'sh', root ? ['-u', 'postgres', '--', 'sh', '-c', command] : ['-c', command], { stdio: 'pipe' });
  }

  start(): void {
    this.as(`${PG_BIN}/pg_ctl -D ${this.dir}/data -l ${this.dir}/log -w -o "-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1" start >/dev/null`);
  }

  stop(): void {
    this.as(`${PG_BIN}/pg_ctl -D ${this.dir}/data -m fast -w stop >/dev/null`);
  }

  async remove(): Promise<void> {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

describe.runIf(TEST_DATABASE_URL && existsSync(`${PG_BIN}/initdb`))('a Postgres that stops and comes back', () => {
  let cluster: PrivateCluster;
  let p: Product;

  beforeAll(async () => {
    cluster = await PrivateCluster.create();
    p = await product(cluster.url, { applicationName: 'dojo-restart', connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await p?.stop();
    await cluster?.remove();
  });

  it('answers "try again" and 503 during a 10-second outage, and serves again after it', async () => {
    expect((await p.dojo.handle(help)).reply?.text).toBeTruthy();
    lost.length = 0;
    cluster.stop();
    const outageStarted = Date.now();
    const during: { ms: number; result: unknown }[] = [];
    const readiness: number[] = [];
    // A real outage of about ten seconds: people keep typing meanwhile.
    while (Date.now() - outageStarted < 10_000) {
      during.push(await elapsed(() => p.dojo.handle(help)));
      readiness.push(await p.readyz());
    }
    expect(lost.length).toBeGreaterThanOrEqual(1);
    expect(during.length).toBeGreaterThanOrEqual(2);
    for (const attempt of during) {
      expect(attempt.result).toBeInstanceOf(DojoUnavailable);
      expect(attempt.ms).toBeLessThan(3_000);
    }
    expect(new Set(readiness)).toEqual(new Set([503]));
    cluster.start();
    expect((await p.dojo.handle(help)).reply?.text).toBeTruthy();
    expect(await p.readyz()).toBe(200);
  });
});

/** PgBouncer in transaction mode in front of the test database, as Fly's pooled DATABASE_URL is. */
async function startPgBouncer(target: URL): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dojo-pgb-'));
  await chmod(dir, 0o777);
  const port = await freePort();
  const db = target.pathname.slice(1);
  await writeFile(join(dir, 'users.txt'), '"postgres" ""\n', { mode: 0o644 });
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    [`[databases]`, `${db} = host=${target.hostname} port=${target.port || 5432} dbname=${db} user=postgres`, `[pgbouncer]`, `listen_addr = 127.0.0.1`, `listen_port = ${port}`, `auth_type = trust`, `auth_file = ${dir}/users.txt`, `pool_mode = transaction`, `unix_socket_dir =`].join('\n'),
    { mode: 0o644 },
  );
  const root = process.getuid?.() === 0;
  const child: ChildProcess = spawn(root ? 'runuser' : 'pgbouncer', root ? ['-u', 'postgres', '--', 'pgbouncer', `${dir}/pgbouncer.ini`] : [`${dir}/pgbouncer.ini`], { stdio: 'ignore' });
  const url = `postgres://postgres@127.0.0.1:${port}/${db}`;
  await expect.poll(async () => {
    const probe = new pg.Client({ connectionString: url });
    return probe.connect().then(
      () => probe.end().then(() => true),
      () => false,
    );
  }, { timeout: 10_000 }).toBe(true);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.runIf(TEST_DATABASE_URL && existsSync('/usr/sbin/pgbouncer'))('through a transaction-mode PgBouncer', () => {
  it('connects (no startup parameter it refuses) and still ends a hanging statement within seconds', async () => {
    const bouncer = await startPgBouncer(new URL(TEST_DATABASE_URL!));
    // What PgBouncer says to a client that sends statement_timeout at startup, as pg would.
    const naive = new pg.Client({ connectionString: bouncer.url, statement_timeout: 1000 } as pg.ClientConfig);
    await expect(naive.connect()).rejects.toThrow(/unsupported startup parameter/);
    const db = await connect({ url: bouncer.url, directUrl: TEST_DATABASE_URL, statementTimeoutMs: 1_000, applicationName: 'dojo-pgbouncer' });
    try {
      const { ms, result } = await elapsed(() => sql`select pg_sleep(8)`.execute(db.db));
      expect((result as Error).message).toMatch(/timeout/i);
      expect(ms).toBeLessThan(6_000);
      // The connection it gave up on is not handed to the next query.
      expect((await sql<{ one: number }>`select 1 as one`.execute(db.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
      await bouncer.stop();
    }
  });
});
