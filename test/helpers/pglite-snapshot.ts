/**
 * PGlite data directories dumped once and loaded by every test file: starting PGlite from a tarball
 * skips initdb, and the migrated and bank-filled ones skip the migrations and the bank sync too (7–12 s
 * per start under load, against about 2 s to load). The snapshots are built by the global setup and
 * kept in the temp dir under a hash of everything that decides their content (the PGlite version, src/,
 * migrations/, questions/ and this file), so a later run with the same code reuses them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { loadBank } from '../../src/bank/load.js';
import type { Database } from '../../src/db/index.js';
import { pgliteOptions } from '../../src/db/pglite-protocol.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';

/** The stages a test database can start from: right after initdb, migrated, migrated with the bank synced. */
export type Stage = 'fresh' | 'migrated' | 'bank';
const STAGES: Stage[] = ['fresh', 'migrated', 'bank'];
/** When the bank is synced into the `bank` snapshot, as the harnesses always did. */
export const BANK_SYNCED_AT = new Date('2026-01-01T00:00:00Z');

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cacheRoot = join(tmpdir(), 'dojo-test-pglite');
/** Snapshot sets of other code kept however old; the rest go once unused for an hour (no run lasts that). */
const KEEP = 3;
const STALE_MS = 60 * 60_000;

declare module 'vitest' {
  export interface ProvidedContext {
    /** The directory holding fresh.tar, migrated.tar and bank.tar (PGlite runs only). */
    pgliteSnapshots: string;
  }
}

export function snapshotFile(dir: string, stage: Stage): string {
  return join(dir, `${stage}.tar`);
}

/** Starts PGlite from a dumped data directory, with the parsers the app uses. */
export async function startFrom(file: string): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { openAsBlob } = await import('node:fs');
  return PGlite.create({ ...pgliteOptions(PGlite.defaultStartParams), loadDataDir: await openAsBlob(file) });
}

/** Builds the snapshots unless this code's set exists already; returns their directory. */
export async function ensureSnapshots(): Promise<string> {
  const dir = join(cacheRoot, await contentKey());
  if (!STAGES.every((stage) => existsSync(snapshotFile(dir, stage)))) await build(dir);
  const now = new Date();
  await utimes(dir, now, now);
  await prune(dir);
  return dir;
}

async function build(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(pgliteOptions(PGlite.defaultStartParams));
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await save(pglite, dir, 'fresh');
    await migrateToLatest(db);
    await save(pglite, dir, 'migrated');
    const bank = await loadBank(BUILTIN_QUESTIONS_DIR);
    await transaction(db, (trx) => syncBuiltinQuestions(trx, bank.questions, BANK_SYNCED_AT));
    await save(pglite, dir, 'bank');
  } finally {
    await db.destroy();
  }
}

async function save(pglite: PGlite, dir: string, stage: Stage): Promise<void> {
  const tarball = await pglite.dumpDataDir('none');
  // Written aside and renamed, so a run started at the same moment never loads half a file.
  const partial = `${snapshotFile(dir, stage)}.${process.pid}.partial`;
  await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
  await rename(partial, snapshotFile(dir, stage));
}

async function contentKey(): Promise<string> {
  const hash = createHash('sha256');
  const files = ['node_modules/@electric-sql/pglite/package.json', 'src', 'migrations', 'questions', 'test/helpers/pglite-snapshot.ts'];
  for (const top of files) {
    for (const file of await filesUnder(join(root, top))) {
      hash.update(`${relative(root, file)}\n`);
      hash.update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function filesUnder(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Removes snapshot sets of older code, so edits to src/ do not fill the disk. */
async function prune(current: string): Promise<void> {
  const others = await Promise.all(
    (await readdir(cacheRoot))
      .map((name) => join(cacheRoot, name))
      .filter((path) => path !== current)
      .map(async (path) => ({ path, used: (await stat(path)).mtimeMs })),
  );
  others.sort((a, b) => b.used - a.used);
  const stale = others.slice(KEEP).filter((o) => Date.now() - o.used > STALE_MS);
  for (const { path } of stale) await rm(path, { recursive: true, force: true });
}
