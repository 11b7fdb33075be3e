import { defineConfig } from 'vitest/config';
import SlowFirst from './test/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The slowest files start first, so neither worker is left with one alone at the end.
    sequence: { sequencer: SlowFirst },
    // Worker threads rather than child processes: the same isolation per file, and a clean run took
    // 172 s instead of 190-206 s here. PGlite boots a WebAssembly Postgres per test file; two cores do
    // not like many at once.
    pool: 'threads',
    maxWorkers: 2,
    // Generous: CI shares two cores with whatever else runs; no test sleeps, so this only catches hangs.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
