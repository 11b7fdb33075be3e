/**
 * The worker thread that owns embedded PGlite (src/db/pglite-thread.ts starts it). PGlite runs every
 * query synchronously on the thread that owns it, so here it blocks only this thread: the main thread
 * keeps acking while a query runs. Queries arrive one at a time in order ({ id, sql, params }) and each
 * answer carries rows and affected rows, or the error's fields (its SQLSTATE `code` included).
 */
import { openAsBlob } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, type PGliteStart, type Reply, type Request } from './pglite-protocol.js';
import { PGlitePrepared } from './pglite-prepared.js';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
const port = parentPort;

/**
 * PGlite's WebAssembly runs on V8's baseline compiler (Liftoff) alone. V8 would also optimise its hot
 * functions (TurboFan), and what that compiler allocates stays in the process's malloc arenas after it
 * is done: 60-80 MB of the idle bot (bench: 291 -> 209 MB idle after a restart, 316 -> 251 MB after a
 * first start), for queries within noise of the optimised code here (a query loop: ~10% more CPU). The
 * flag is process-wide, and PGlite is the process's only WebAssembly; it is read when PGlite's module is
 * compiled, just after.
 */
const PGLITE_V8_FLAGS = '--liftoff-only';

async function open(start: PGliteStart): Promise<PGlite> {
  setFlagsFromString(PGLITE_V8_FLAGS);
  const { PGlite } = await import('@electric-sql/pglite');
  if (start.dataDir) await mkdir(start.dataDir, { recursive: true });
  const options = pgliteOptions(PGlite.defaultStartParams);
  if (start.snapshot) options.loadDataDir = await openAsBlob(start.snapshot);
  const pg = await PGlite.create(start.dataDir, options);
  if (start.schema) await pg.exec(`create schema if not exists "${start.schema}"; set search_path to "${start.schema}"`);
  return pg;
}

/** An error as plain fields (structured cloning keeps only an Error's message and stack). */
function fields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || key === 'query' || key === 'params') continue;
    if (typeof value !== 'object' || value === null) out[key] = value;
  }
  return out;
}

const post = (reply: Reply) => port.postMessage(reply);

async function main(): Promise<void> {
  let pg: PGlite;
  const start = workerData as PGliteStart;
  try {
    pg = await open(start);
    if (start.initOnly) {
      await pg.close();
      post({ type: 'closed' });
      port.close();
      return;
    }
  } catch (error) {
    post({ type: 'failed', error: fields(error) });
    port.close();
    return;
  }
  const statements = new PGlitePrepared();
  port.on('message', async (request: Request) => {
    if (request.type === 'close') {
      await pg.close().catch(() => {});
      post({ type: 'closed' });
      port.close();
      return;
    }
    try {
      const result = await (statements.run(pg, request.sql, request.params) ?? pg.query(request.sql, request.params));
      post({ type: 'result', id: request.id, rows: result.rows as unknown[], affectedRows: result.affectedRows });
    } catch (error) {
      post({ type: 'error', id: request.id, error: fields(error) });
    }
  });
  post({ type: 'ready' });
}

void main();
