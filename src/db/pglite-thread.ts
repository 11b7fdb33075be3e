/**
 * Embedded PGlite on a worker thread of its own (pglite-worker.ts), seen from the main thread: queries
 * go over as messages and come back as rows, or as an Error carrying PGlite's fields (the SQLSTATE
 * `code` that unit-of-work.ts classifies, `detail`, `constraint`...). The dialect (pglite-dialect.ts)
 * hands out this one connection to one user at a time, so a transaction stays on it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PGliteStart, Reply, Request } from './pglite-protocol.js';
import { unpackDataDir } from './pglite-unpack.js';

/** What the dialect needs of PGlite; both PGlite itself (in this thread, tests) and PGliteThread have it. */
export interface PGliteLike {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  close(): Promise<void>;
}

interface Pending {
  resolve(value: { rows: never[]; affectedRows?: number }): void;
  reject(error: Error): void;
}

/** Rebuilds an error the worker sent as fields, with this thread's stack (where the query was made). */
function rebuild(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message ?? 'PGlite failed'));
  Object.assign(error, fields);
  return error;
}

/**
 * The worker's entry: compiled next to this file, or else the TypeScript source through tsx. Node 20
 * does not apply ESM loader hooks (`--import tsx`) to worker threads, so the source is required through
 * tsx's CommonJS hook instead (which is why pglite-worker.ts has no top-level await).
 */
function startWorker(start: PGliteStart): Worker {
  const compiled = new URL('./pglite-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.js') && existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: start });
  const source = fileURLToPath(new URL('./pglite-worker.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(source)})`, { eval: true, workerData: start, execArgv: ['--require', tsx] });
}

/**
 * Opens PGlite on a worker thread. A first start (no data directory yet) unpacks the template (an empty
 * database made once, pglite-template.ts) into the directory, here and without PGlite; with no template
 * it runs initdb in a thread of its own first: initdb is a second PGlite instance whose JavaScript heap
 * goes with its thread (its native memory stays: a template is what keeps a first start light).
 */
export async function openPGliteThread(start: PGliteStart): Promise<PGliteThread> {
  if (start.dataDir && !existsSync(join(start.dataDir, 'PG_VERSION'))) {
    if (start.template) await unpackDataDir(start.template, start.dataDir);
    else {
      const init = new PGliteThread({ dataDir: start.dataDir, initOnly: true });
      await init.waitReady;
      await init.exited;
    }
  }
  const thread = new PGliteThread({ ...start, template: undefined });
  await thread.waitReady;
  return thread;
}

export class PGliteThread implements PGliteLike {
  readonly waitReady: Promise<void>;
  /** Resolves when the thread has ended (after close, or on its own when it fails). */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private state: 'starting' | 'open' | 'closing' | 'closed' = 'starting';
  private stopped: Error | undefined;

  constructor(start: PGliteStart) {
    // Referenced while it starts (a short-lived command waits for it), unreferenced while idle after.
    this.worker = startWorker(start);
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (reply: Reply) => {
        if (reply.type === 'ready') {
          this.state = 'open';
          this.worker.unref();
          resolve();
        } else if (reply.type === 'failed') reject(rebuild(reply.error));
        else if (reply.type === 'closed') resolve();
        else this.settle(reply);
      });
      this.worker.on('error', (error) => this.stop(error, reject));
      this.worker.on('exit', (code) => this.stop(new Error(`the embedded database stopped (exit code ${code})`), reject));
    });
  }

  get closed(): boolean {
    return this.state === 'closed' || this.state === 'closing';
  }

  query<R>(sql: string, params: unknown[] = []): Promise<{ rows: R[]; affectedRows?: number }> {
    if (this.stopped || this.closed) return Promise.reject(this.stopped ?? new Error('PGlite is closed'));
    const id = this.nextId++;
    // Keep the process alive while an answer is awaited, and only then (an idle database does not).
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'query', id, sql, params } satisfies Request);
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    if (this.stopped) {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies Request);
    await this.exited;
    this.state = 'closed';
  }

  private settle(reply: Extract<Reply, { id: number }>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.type === 'error') waiting.reject(rebuild(reply.error));
    else waiting.resolve({ rows: reply.rows as never[], affectedRows: reply.affectedRows });
  }

  /** The worker died (or exited): every waiting query fails as "unavailable" (57P01, admin shutdown). */
  private stop(cause: Error, rejectStart: (error: Error) => void): void {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.stopped = Object.assign(new Error(`PGlite is closed: ${cause.message}`, { cause }), { code: '57P01' });
    rejectStart(this.stopped);
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
  }
}
