/**
 * On PGlite, builds (or finds) the snapshots every test database starts from (helpers/pglite-snapshot.ts).
 * With TEST_DATABASE_URL, every test file works in a Postgres schema of its own (t_<random>). They are
 * all dropped once, after the run, so no file drops a schema while another reads the catalog.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureSnapshots } from './helpers/pglite-snapshot.js';

export async function setup(project: TestProject): Promise<void> {
  // Tests that run `dojo start` find the compiled bundle and the embedded database's template made
  // once here, instead of each building them at once on a fresh clone (and outliving their time limits).
  // @ts-expect-error bin/build.js is plain JavaScript without declarations.
  const { ensureBuilt, ensurePgliteTemplate } = (await import('../bin/build.js')) as { ensureBuilt(): Promise<boolean>; ensurePgliteTemplate(): boolean };
  await ensureBuilt();
  ensurePgliteTemplate();
  if (!process.env.TEST_DATABASE_URL) project.provide('pgliteSnapshots', await ensureSnapshots());
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
}
