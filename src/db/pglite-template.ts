/**
 * The empty embedded database a first start begins from: what initdb makes, dumped once per PGlite
 * version by bin/build.js (dist/pglite/template-<version>.tgz). A first start unpacks it into the data
 * directory without PGlite (pglite-unpack.ts): no second PGlite instance to run initdb in, whose memory
 * would stay. Absent (a fresh checkout before its first build, another PGlite version), a first start
 * runs initdb as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageDir } from '../paths.js';

export function pgliteTemplate(): string | undefined {
  try {
    // Its package.json is not exported: read it beside the entry point (dist/index.cjs).
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const { version } = JSON.parse(readFileSync(join(entry, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const file = join(packageDir('dist'), 'pglite', `template-${version}.tgz`);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
