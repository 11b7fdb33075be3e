#!/usr/bin/env node
// The `dojo` command runs the compiled JavaScript in dist/ (the bundle in dist/bundle: see bin/build.js).
// From a checkout it first brings dist/ up to date with the sources (bin/build.js: esbuild, a few seconds,
// and only when a source changed), so `npm install && npm start` needs no separate build step; a
// production install (the Docker image: compiled dist/ and production dependencies only, no sources) runs
// dist/ as it is.
import { ensureBuilt, ensurePgliteTemplate } from './build.js';

await ensureBuilt();
// The embedded database's first start loads an empty database made once (see build.js) instead of initdb.
if (!process.env.DATABASE_URL) ensurePgliteTemplate();
await import('../dist/bundle/main.js');
