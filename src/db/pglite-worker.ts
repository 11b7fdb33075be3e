/**
 * The worker thread that owns embedded PGlite (src/db/pglite-thread.ts starts it). PGlite runs every
 * query synchronously on the thread that owns it, so here it blocks only this thread: the main thread
 * keeps acking while a query runs. Queries arrive one at a time in order ({ id, sql, params }) and each
 * answer carries rows and affected rows, or the error's fields (its SQLSTATE `code` included).
 */
import { openAsBlob } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, type PGliteStart, type Reply, type Request } from './pglite-protocol.js';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
const port = parentPort;

async function open(start: PGliteStart): Promise<PGlite> {
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
  port.on('message', async (request: Request) => {
    if (request.type === 'close') {
      await pg.close().catch(() => {});
      post({ type: 'closed' });
      port.close();
      return;
    }
    try {
      const result = await pg.query(request.sql, request.params);
      post({ type: 'result', id: request.id, rows: result.rows as unknown[], affectedRows: result.affectedRows });
    } catch (error) {
      post({ type: 'error', id: request.id, error: fields(error) });
    }
  });
  post({ type: 'ready' });
}

void main();
