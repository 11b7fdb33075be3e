import { defineConfig } from 'vitest/config';
import SlowFirst from './test/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The slowest files start first, so neither worker is left with one alone at the end.
    sequence: { sequencer: SlowFirst },
    // PGlite boots a WebAssembly Postgres per test file; two cores do not like many at once.
    maxWorkers: 2,
    // Generous: CI shares two cores with whatever else runs; no test sleeps, so this only catches hangs.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
