/**
 * On PGlite, builds (or finds) the snapshots every test database starts from (helpers/pglite-snapshot.ts).
 * With TEST_DATABASE_URL, it migrates the templates every test database is copied from
 * (helpers/pg-templates.ts). The copies, and the schemas a few tests make in the main database
 * (t_<random>), are all dropped once, after the run, so no file drops one while another reads the catalog.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildTemplates, dropTestDatabases, type PgTemplates } from './helpers/pg-templates.js';
import { BANK_SYNCED_AT, ensureSnapshots } from './helpers/pglite-snapshot.js';

let templates: PgTemplates | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Tests that run `dojo start` find the compiled bundle and the embedded database's template made
  // once here, instead of each building them at once on a fresh clone (and outliving their time limits).
  // @ts-expect-error bin/build.js is plain JavaScript without declarations.
  const { ensureBuilt, ensurePgliteTemplate } = (await import('../bin/build.js')) as { ensureBuilt(): Promise<boolean>; ensurePgliteTemplate(): boolean };
  await ensureBuilt();
  ensurePgliteTemplate();
  const url = process.env.TEST_DATABASE_URL;
  if (!url) project.provide('pgliteSnapshots', await ensureSnapshots());
  else project.provide('postgresTemplates', (templates = await buildTemplates(url, BANK_SYNCED_AT)));
}

async function dropTestSchemas(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select nspname as name from pg_namespace where nspname ~ '^t_[0-9a-f]{12}$'`);
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end();
  }
}

export async function teardown(): Promise<void> {
  await dropTestSchemas();
  if (process.env.TEST_DATABASE_URL && templates) await dropTestDatabases(process.env.TEST_DATABASE_URL, templates);
}
