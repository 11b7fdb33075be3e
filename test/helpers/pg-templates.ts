/**
 * On real Postgres every test database is a database of its own, copied from a template the global
 * setup migrates (and fills with the bank) once per run. `CREATE DATABASE … TEMPLATE` takes about
 * 0.1 s where migrating a schema took 0.2 s and syncing the bank another 0.35 s, on a quiet machine,
 * and far more on a busy one, where every file's migrations also waited in line for the migration lock.
 * A database of its own also gives each file a catalog of its own: Kysely's migrator lists the tables of
 * every schema in the database, and another file's DDL no longer changes that list under it.
 *
 * A copy's schema is renamed to the file's own name (`t_<12 hex>`), so names that include it stay apart.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadBank } from '../../src/bank/load.js';
import { connect } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import type { Stage } from './pglite-snapshot.js';

/** The schema the templates are built in; every copy renames it. */
const TEMPLATE_SCHEMA = 't_000000000000';
/**
 * Every database the tests make is named `dojo_t_<run>_…`, where <run> is the run's start in seconds
 * (base 36), so runs sharing a server (CI, or several worktrees) drop only their own at the end, and a
 * run that was killed leaves databases the next runs drop once they are three hours old.
 */
const PREFIX = 'dojo_t_';
const STALE_S = 3 * 3600;
const runPrefix = (runS: number) => `${PREFIX}${runS.toString(36)}_`;

export interface PgTemplates {
  /** This run's prefix: every database of the run starts with it. */
  prefix: string;
  /** Database names per stage ('fresh' is copied from template1 and gets its schema on first connect). */
  migrated: string;
  bank: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplates: PgTemplates;
  }
}

/** `url` with another database. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Builds the templates for this run (global setup). */
export async function buildTemplates(url: string, bankSyncedAt: Date): Promise<PgTemplates> {
  const prefix = `${runPrefix(Math.floor(Date.now() / 1000))}${randomBytes(2).toString('hex')}_`;
  const templates: PgTemplates = { prefix, migrated: `${prefix}tpl_migrated`, bank: `${prefix}tpl_bank` };
  await dropDatabases(url, (name) => {
    const runS = parseInt(name.slice(PREFIX.length).split('_')[0] ?? '', 36);
    return !Number.isFinite(runS) || Date.now() / 1000 - runS > STALE_S;
  });
  await admin(url, (c) => c.query(`create database "${templates.migrated}"`));
  const migrated = await connect({ url: withDatabase(url, templates.migrated), schema: TEMPLATE_SCHEMA });
  try {
    await migrateToLatest(migrated.db);
  } finally {
    await migrated.close();
  }
  await admin(url, (c) => c.query(`create database "${templates.bank}" template "${templates.migrated}"`));
  const bank = await connect({ url: withDatabase(url, templates.bank), schema: TEMPLATE_SCHEMA });
  try {
    const { questions } = await loadBank(BUILTIN_QUESTIONS_DIR);
    await transaction(bank.db, (trx) => syncBuiltinQuestions(trx, questions, bankSyncedAt));
  } finally {
    await bank.close();
  }
  return templates;
}

/**
 * A new database for one test database: a copy of the stage's template with its schema renamed to
 * `t_<hex>`. Functions made with `set search_path from current` keep the template's schema name in
 * their settings, so they are pointed at the new name too. Returns the database's URL and schema.
 */
export async function copyTemplate(url: string, templates: PgTemplates, stage: Stage): Promise<{ url: string; schema: string }> {
  const hex = randomBytes(6).toString('hex');
  const schema = `t_${hex}`;
  const database = `${templates.prefix}${hex}`;
  const own = withDatabase(url, database);
  if (stage === 'fresh') {
    await admin(url, (c) => c.query(`create database "${database}"`));
    return { url: own, schema };
  }
  await admin(url, (c) => c.query(`create database "${database}" template "${templates[stage]}"`));
  await admin(own, (c) =>
    c.query(`
      alter schema "${TEMPLATE_SCHEMA}" rename to "${schema}";
      do $$ declare f record; begin
        for f in select p.oid::regprocedure as sig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = '${schema}' and exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%') loop
          execute format('alter function %s set search_path = %I', f.sig, '${schema}');
        end loop;
      end $$;`),
  );
  return { url: own, schema };
}

/** Drops every database this run made (global teardown); connections a test left open are ended. */
export async function dropTestDatabases(url: string, templates: PgTemplates): Promise<void> {
  await dropDatabases(url, (name) => name.startsWith(templates.prefix));
}

async function dropDatabases(url: string, which: (name: string) => boolean): Promise<void> {
  await admin(url, async (c) => {
    const { rows } = await c.query<{ name: string }>(`select datname as name from pg_database where starts_with(datname, $1)`, [PREFIX]);
    for (const { name } of rows.filter((r) => which(r.name))) await c.query(`drop database if exists "${name}" with (force)`);
  });
}
