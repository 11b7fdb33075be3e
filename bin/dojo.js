#!/usr/bin/env node
// The `dojo` command. From a checkout (sources and tsx present) it runs the TypeScript through tsx, so
// `npm install && npm start` needs no build step; a production install (the Docker image: compiled
// dist/ and production dependencies only, no tsx) runs the compiled JavaScript.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
let register;
if (existsSync(sources)) {
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    // No tsx (production dependencies only): fall through to the compiled build.
  }
}
if (register) {
  register();
  await import(sources.href);
} else {
  await import('../dist/src/cli/main.js');
}
