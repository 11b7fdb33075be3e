// Keeps dist/ (the compiled JavaScript that `dojo` runs) up to date with the TypeScript sources of a
// checkout. It compiles with esbuild, installed with tsx (a dev dependency): each file on its own, the
// same layout as `npm run build` (tsc), then the bundle below (a few seconds), and no type-check
// (`npm run typecheck` does that). dist/.sources records what was compiled (each source's path, size and modification time), so an
// unchanged checkout starts at once. Several processes starting together build once: one holds
// dist/.building, the others wait for its result. A new dist/ replaces the old one whole, so a deleted
// source leaves nothing behind.
//
// What runs is dist/bundle/ (bin/dojo.js, the Docker image): the same sources bundled with their
// dependencies into a few files, chunked where the code imports lazily (charts, the bank's YAML, each
// platform). Loading ~1,500 modules one by one was most of a start's CPU and ~25 MB of resident memory
// (discord.js alone: 0.8 s and 88 MB unbundled, 0.34 s and 72 MB bundled). What must stay a file of its
// own stays external: PGlite (its WebAssembly and data files sit beside its code), resvg (a native
// library) and optional native add-ons. dist/src, dist/adapters and dist/migrations stay for tools.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const TREES = ['src', 'adapters', 'migrations'];
/** The bundle's entry points; each worker (and the first start's child) must sit beside the chunk that starts it (pglite-thread.ts, charts/render.ts, first-start.ts). */
const BUNDLE_ENTRIES = { main: 'src/cli/main.ts', 'pglite-worker': 'src/db/pglite-worker.ts', 'render-worker': 'src/charts/render-worker.ts', 'first-start-child': 'src/first-start-child.ts' };
const EXTERNAL = ['@electric-sql/pglite', '@resvg/resvg-js', 'pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate', 'tsx', 'tsx/*', 'esbuild'];
// Bundled CommonJS (discord.js, Bolt, pg...) calls require() and reads __dirname: give each chunk its own.
const CJS_SHIM = [
  "import { createRequire as __dojoRequire } from 'node:module';",
  "import { fileURLToPath as __dojoPath } from 'node:url';",
  "import { dirname as __dojoDir } from 'node:path';",
  'const require = __dojoRequire(import.meta.url);',
  'const __filename = __dojoPath(import.meta.url);',
  'const __dirname = __dojoDir(__filename);',
].join(' ');
const STAMP = join(DIST, '.sources');
const LOCK = join(DIST, '.building');
const STALE_LOCK_MS = 60_000;

function sources() {
  const files = [];
  for (const tree of TREES) {
    for (const entry of readdirSync(join(ROOT, tree), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(join(entry.parentPath, entry.name));
    }
  }
  return files.sort();
}

/** What dist/ must have been built from: every source's path, size and modification time, and this file. */
function fingerprint(files) {
  const hash = createHash('sha256');
  for (const file of [...files, fileURLToPath(import.meta.url)]) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const built = (want) => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === want;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function compile(files, want) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error('dist/ is missing or older than the sources, and esbuild (installed with the dev dependencies) is not there to compile them: run `npm install`, or `npm run build`.');
  }
  const next = join(DIST, `.next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  await esbuild.build({ entryPoints: files, outdir: next, outbase: ROOT, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, file]) => [name, join(ROOT, file)])),
    outdir: join(next, 'bundle'),
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: CJS_SHIM },
    logLevel: 'error',
  });
  // Swap each tree in whole: no file of a deleted source stays behind.
  const old = join(DIST, `.old-${process.pid}`);
  mkdirSync(old, { recursive: true });
  for (const tree of [...TREES, 'bundle']) {
    if (existsSync(join(DIST, tree))) renameSync(join(DIST, tree), join(old, tree));
    renameSync(join(next, tree), join(DIST, tree));
  }
  writeFileSync(STAMP, want);
  rmSync(old, { recursive: true, force: true });
  rmSync(next, { recursive: true, force: true });
}

/**
 * An empty embedded database, made once per PGlite version: dist/pglite/template-<version>.tgz (a
 * dumpDataDir tarball of what initdb makes). A first start on PGlite loads it (src/db/pglite-thread.ts)
 * instead of running initdb: ~2× less CPU. Made in a child process, so the half gigabyte initdb takes
 * does not stay with whoever asked (bin/dojo.js goes on to run the bot).
 */
export function ensurePgliteTemplate() {
  let version;
  try {
    // Its package.json is not exported: read it beside the entry point (dist/index.cjs).
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    version = JSON.parse(readFileSync(join(entry, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return false;
  }
  const file = join(DIST, 'pglite', `template-${version}.tgz`);
  if (existsSync(file)) return false;
  mkdirSync(join(DIST, 'pglite'), { recursive: true });
  const partial = `${file}.${process.pid}`;
  const script = `import { PGlite } from '@electric-sql/pglite'; import { writeFileSync } from 'node:fs';
    const pg = await PGlite.create();
    const tar = await pg.dumpDataDir('gzip');
    writeFileSync(process.argv[1], Buffer.from(await tar.arrayBuffer()));
    await pg.close();`;
  const made = spawnSync(process.execPath, ['--input-type=module', '-e', script, partial], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0 || !existsSync(partial)) {
    rmSync(partial, { force: true });
    return false;
  }
  renameSync(partial, file);
  return true;
}

/** Builds dist/ unless it is current; returns whether it built. Does nothing without sources (an install of dist/ alone). */
export async function ensureBuilt() {
  if (!existsSync(join(ROOT, 'src/cli/main.ts'))) return false;
  const files = sources();
  const want = fingerprint(files);
  if (built(want)) return false;
  mkdirSync(DIST, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // Another process is building: wait for it (or take over a lock left by a process that died).
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(50);
      if (built(want)) return false;
    }
  }
  try {
    if (built(want)) return false;
    await compile(files, want);
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

// `node bin/build.js`: build now (the Docker image's build stage), the PGlite template with it.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureBuilt();
  ensurePgliteTemplate();
}
