/**
 * Migrations stay frozen: each is applied step by step (as databases migrated at different times got
 * them) and must give the schema one run of all of them gives, the tables the code's types name, and,
 * after every step, the schema recorded when that migration was written (test/fixtures/migration-schemas.json).
 * An edit to an old migration changes its recorded schema and fails here; a new one is recorded once with
 * RECORD_MIGRATIONS=1 (entries already recorded are never rewritten).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/index.js';
import { migrations } from '../../migrations/index.js';
import { throughListingRace } from '../../src/db/migrate.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const RECORD = fileURLToPath(new URL('../fixtures/migration-schemas.json', import.meta.url));

/** Every table of the code's Kysely types; the check below fails to compile when one is missing. */
const TABLES = ['answer', 'answer_part', 'bank_sync', 'board_set', 'board_set_total', 'channel', 'league_placement', 'ledger_rollup', 'member', 'outbox', 'point_event', 'posted_thread', 'practice_card', 'practice_reminder', 'processed_delivery', 'qotd_streak', 'question', 'question_card', 'quiz', 'review', 'round', 'schedule', 'season', 'season_result', 'slack_installation', 'team', 'weekly_recap'] as const satisfies readonly (keyof Database)[];
type Missing = Exclude<keyof Database, (typeof TABLES)[number]>;
const allTablesListed: [Missing] extends [never] ? true : Missing = true;

interface Schema {
  columns: string[];
  indexes: string[];
  constraints: string[];
  /** Extended statistics, listed only once there are some (the fingerprints recorded before them stay as they were). */
  statistics?: string[];
}

/** The schema as plain lines, without the schema's name (each test file works in its own). */
async function describeSchema(db: Db, schema: string): Promise<Schema> {
  const strip = (s: string) => s.replaceAll(`"${schema}".`, '').replaceAll(`${schema}.`, '');
  const columns = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || udt_name || case when is_nullable = 'NO' then ' not null' else '' end
      || coalesce(' default ' || column_default, '') as line
    from information_schema.columns where table_schema = ${schema} and table_name not like 'kysely_%'
    order by table_name, column_name`.execute(db);
  const indexes = await sql<{ line: string }>`
    select indexdef as line from pg_indexes where schemaname = ${schema} and tablename not like 'kysely_%' order by indexname`.execute(db);
  const constraints = await sql<{ line: string }>`
    select cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid) as line
    from pg_constraint co join pg_class cl on cl.oid = co.conrelid join pg_namespace n on n.oid = cl.relnamespace
    where n.nspname = ${schema} and cl.relname not like 'kysely_%' and co.contype <> 'n'
    order by cl.relname, co.conname`.execute(db);
  const statistics = await sql<{ line: string }>`
    select pg_get_statisticsobjdef(s.oid) as line from pg_statistic_ext s join pg_namespace n on n.oid = s.stxnamespace
    where n.nspname = ${schema} order by s.stxname`.execute(db);
  return {
    columns: columns.rows.map((r) => strip(r.line)),
    indexes: indexes.rows.map((r) => strip(r.line)),
    constraints: constraints.rows.map((r) => strip(r.line)),
    ...(statistics.rows.length > 0 ? { statistics: statistics.rows.map((r) => strip(r.line)) } : {}),
  };
}

const fingerprint = (s: Schema) => createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 16);

describe(`migration history on ${backend}`, () => {
  let stepwise: TestDb;
  let oneRun: TestDb;
  const after = new Map<string, Schema>();

  beforeAll(async () => {
    stepwise = await testDb({ migrate: false });
    oneRun = await testDb();
    const migrator = new Migrator({ db: stepwise.db, provider: { getMigrations: async () => migrations }, migrationTableSchema: stepwise.schema });
    for (const name of Object.keys(migrations)) {
      const { error, results } = await throughListingRace(() => migrator.migrateUp());
      if (error) throw error;
      expect(results?.map((r) => r.migrationName)).toEqual([name]);
      after.set(name, await describeSchema(stepwise.db, stepwise.schema));
    }
  });
  afterAll(async () => {
    await stepwise?.close();
    await oneRun?.close();
  });

  it('gives the same schema applied one migration at a time as in one run', async () => {
    const last = [...after.values()].at(-1)!;
    expect(last).toEqual(await describeSchema(oneRun.db, oneRun.schema));
  });

  it('creates exactly the tables the code queries', () => {
    expect(allTablesListed).toBe(true);
    const tables = new Set([...after.values()].at(-1)!.columns.map((line) => line.split('.')[0]));
    expect([...tables].sort()).toEqual([...TABLES].sort());
  });

  it('leaves every schema recorded after a migration as it was (old migrations are never edited)', async () => {
    const recorded = JSON.parse(await readFile(RECORD, 'utf8').catch(() => '{}')) as Record<string, string>;
    const now = Object.fromEntries([...after].map(([name, schema]) => [name, fingerprint(schema)]));
    const unrecorded = Object.keys(now).filter((name) => !(name in recorded));
    if (unrecorded.length && process.env.RECORD_MIGRATIONS === '1') {
      await writeFile(RECORD, `${JSON.stringify({ ...recorded, ...Object.fromEntries(unrecorded.map((n) => [n, now[n]])) }, null, 2)}\n`);
    } else {
      expect(unrecorded, 'record a new migration with RECORD_MIGRATIONS=1 npx vitest run test/db/migration-history.test.ts').toEqual([]);
    }
    for (const [name, hash] of Object.entries(recorded)) expect(now[name], `the schema after ${name}`).toBe(hash);
  });

  it('only ever appends migrations: listed in time order, each under the name of its own file', async () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(names).toEqual(files.sort());
    for (const name of names) {
      const module = (await import(`../../migrations/${name}.ts`)) as (typeof migrations)[string];
      expect(migrations[name]!.up, name).toBe(module.up);
    }
  });
});
