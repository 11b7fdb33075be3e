import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // PGlite boots a WebAssembly Postgres per test file; two cores do not like many at once.
    maxWorkers: 2,
    // Generous: CI shares two cores with whatever else runs; no test sleeps, so this only catches hangs.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
