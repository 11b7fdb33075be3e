/**
 * What the main thread and the PGlite worker (pglite-worker.ts, pglite-thread.ts) say to each other,
 * and the options PGlite is created with on either side (the same type parsing as `pg`).
 */
import type { PGliteOptions } from '@electric-sql/pglite';

/** How the worker opens PGlite: a data directory (absent: in memory) and a schema to work in. */
export interface PGliteStart {
  dataDir?: string;
  schema?: string;
  /** Start from a dumped data directory (a tarball from dumpDataDir; the test snapshots), in memory. */
  snapshot?: string;
  /** An empty database to start a new data directory from instead of initdb (pglite-template.ts), unpacked before the thread starts. */
  template?: string;
  /** Only create the data directory (initdb) and stop: a first start does it in a thread of its own. */
  initOnly?: boolean;
}

export type Request = { type: 'query'; id: number; sql: string; params: unknown[] } | { type: 'close' };

export type Reply =
  | { type: 'ready' }
  | { type: 'failed'; error: Record<string, unknown> }
  | { type: 'result'; id: number; rows: unknown[]; affectedRows?: number }
  | { type: 'error'; id: number; error: Record<string, unknown> }
  | { type: 'closed' };

// Type OIDs, as in postgres.ts (not imported from there: the worker need not load `pg`).
const DATE = 1082;
const INT8 = 20;
const NUMERIC = 1700;

/** How PGlite turns column types into values, the same as `pg` does (test snapshots use it too). */
export const PGLITE_PARSERS = { [DATE]: (value: string) => value, [INT8]: Number, [NUMERIC]: Number };

/**
 * PGlite's own start parameters plus a smaller buffer cache: its default (160 MB of shared buffers in
 * the WebAssembly heap) was most of the resident memory once touched; 16 MB keeps a small team's working
 * set, and pages beyond it come back from the operating system's file cache.
 */
export function pgliteOptions(defaultStartParams: readonly string[]): PGliteOptions {
  return { parsers: PGLITE_PARSERS, startParams: [...defaultStartParams, '-c', 'shared_buffers=16MB'] };
}
