#!/usr/bin/env node
// The `dojo` command runs the compiled JavaScript in dist/ (the bundle in dist/bundle: see bin/build.js).
// From a checkout it first brings dist/ up to date with the sources (bin/build.js: esbuild, a few seconds,
// and only when a source changed), so `npm install && npm start` needs no separate build step; a
// production install (the Docker image: compiled dist/ and production dependencies only, no sources) runs
// dist/ as it is.
import { ensureBuilt } from './build.js';

await ensureBuilt();
// A start never makes the embedded database's template (see build.js): on a fresh clone that would cost
// more than the initdb it saves once. `node bin/build.js` (the Docker image, the bench, the tests) makes it.
await import('../dist/bundle/main.js');
