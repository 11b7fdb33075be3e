/**
 * Transactions with work that must follow the commit (posting to chat happens only after the database
 * decided it, DESIGN.md). Effects queued by a transaction that rolls back never run.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { executor, type Handle } from './handle.js';
import type { Database, Executor } from './index.js';
import { closeUnit, closeWithRead, type ClosingOutbox, type Expect, type Receipt } from './repos/closing.js';
import type { OutboxRow } from './schema/outbox.js';

export type Effect = () => Promise<void> | void;

export interface TxContext {
  /** Queue work for after the commit; it runs in order, and a failing effect does not undo the commit. */
  afterCommit(effect: Effect): void;
  /** Set in a closing unit (`closingUnit`): outbox rows go into its closing statement, resolved once it ran. */
  readonly closing?: Closing;
}

export interface Closing {
  outbox(row: ClosingOutbox): Promise<OutboxRow>;
  /**
   * Runs the unit's last read (a select of one row, as JSON) as its closing statement, with the receipt and
   * the version check, when the unit queued no outbox row: one round trip for both. No write and no outbox
   * row may follow it; a plain read may (a board whose remembered prelude no longer held reads again), and
   * it reads no tenancy row the check covered. With outbox rows queued it is a plain read, and the unit
   * closes as usual.
   */
  read<R>(query: RawBuilder<R>): Promise<R | null>;
}

export interface TransactionOptions {
  /** Called for each failing after-commit effect (log it); the remaining effects still run. */
  onEffectError?: (error: unknown) => void;
}

/** Tries at BEGIN on a dead pooled connection: one more than the default pool size. */
const BEGIN_ATTEMPTS = 11;

export async function transaction<T>(
  db: Executor,
  fn: (trx: Transaction<Database>, ctx: TxContext) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db.isTransaction) throw new Error('transaction() was called inside a transaction; pass the transaction down instead');
  let effects: Effect[] = [];
  let began = false;
  const run = () =>
    db.transaction().execute((trx) => {
      began = true;
      effects = [];
      return fn(trx, { afterCommit: (effect) => effects.push(effect) });
    });
  let result: T;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await run();
      break;
    } catch (error) {
      // A pooled connection the server dropped while it sat idle fails at BEGIN, before any work: safe
      // to run again on another connection (the pool discards the dead one). After a restart several
      // idle connections may be dead at once, hence a few tries. Anything later may have committed,
      // so it is not retried.
      if (began || attempt >= BEGIN_ATTEMPTS || !isConnectionLost(error)) throw error;
    }
  }
  await runEffects(effects, options);
  return result;
}

async function runEffects(effects: Effect[], options: TransactionOptions): Promise<void> {
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      options.onEffectError?.(error);
    }
  }
}

/**
 * A unit of work for flows that read and then post (the board, issue 13): no transaction; its reads run
 * one statement each and its only writes, the event receipt and the outbox rows it queued, run at its end
 * in one atomic statement (repos/closing.ts), then the after-commit effects. `fresh` false: the delivery
 * was seen before, nothing was written and no effect runs; `current` false: `expect` (the tenancy_version
 * cached rows were read at) was out of date, nothing was written: run it again on rows read afresh.
 * Everything before the closing statement reads (or upserts idempotently), so a connection lost before it
 * runs the unit again, as a transaction's BEGIN does.
 */
export async function closingUnit<T>(
  db: Handle,
  close: { receipt?: Receipt; expect?: Expect },
  fn: (handle: Handle, ctx: TxContext) => Promise<T>,
  options: TransactionOptions = {},
): Promise<{ current: boolean; fresh: boolean; result: T }> {
  for (let attempt = 1; ; attempt++) {
    const effects: Effect[] = [];
    // Settled by the closing statement; left pending when the unit fails (no effect that waits on them runs then).
    const queued: { row: ClosingOutbox; resolve: (row: OutboxRow) => void }[] = [];
    // Set once a read began as the closing statement (closeWithRead); its verdicts once it ran.
    let closing = false;
    let closedBy: { current: boolean; fresh: boolean } | undefined;
    const ctx: TxContext = {
      afterCommit: (effect) => effects.push(effect),
      closing: {
        outbox: (row) => {
          if (closing) throw new Error('an outbox row was queued after the closing read');
          return new Promise((resolve) => queued.push({ row, resolve }));
        },
        read: async <R>(query: RawBuilder<R>): Promise<R | null> => {
          if (closing) throw new Error('a closing unit has one closing read');
          if (queued.length > 0) return plainRead(db)(query);
          closing = true;
          const r = await closeWithRead(db, close.receipt, close.expect, query);
          closedBy = { current: r.current, fresh: r.fresh };
          return r.row;
        },
      },
    };
    let result: T;
    try {
      result = await fn(db, ctx);
    } catch (error) {
      // A closing read lost with its connection may have committed its receipt: not run again.
      if (!closing && attempt < BEGIN_ATTEMPTS && isConnectionLost(error)) continue;
      throw error;
    }
    if (closing) {
      if (!closedBy) throw new Error('the closing read did not finish before the unit ended');
      if (closedBy.current && closedBy.fresh) await runEffects(effects, options);
      return { ...closedBy, result };
    }
    const closed = await closeUnit(db, close.receipt, queued.map((q) => q.row), close.expect);
    if (!closed.current || !closed.fresh) return { current: closed.current, fresh: closed.fresh, result };
    queued.forEach((q, i) => q.resolve(closed.outbox[i]!));
    await runEffects(effects, options);
    return { current: true, fresh: true, result };
  }
}

/**
 * Inside a transaction: outbox rows queued through the returned context are inserted together by
 * `flush` (one statement for a batch of due schedules, issue 13, instead of one a post), still in the
 * transaction, so they commit or roll back with the rounds they announce. Call `flush` before the
 * transaction ends; rows queued and never flushed are never written, and their sends never run.
 */
export function batchedOutbox(trx: Handle, ctx: TxContext): { ctx: TxContext; flush(): Promise<void> } {
  const queued: { row: ClosingOutbox; resolve: (row: OutboxRow) => void }[] = [];
  return {
    ctx: {
      afterCommit: (effect) => ctx.afterCommit(effect),
      closing: {
        outbox: (row) => new Promise((resolve) => queued.push({ row, resolve })),
        // Inside the batch's transaction a closing read is a plain read: the transaction closes the unit.
        read: plainRead(trx),
      },
    },
    flush: async () => {
      const batch = queued.splice(0);
      if (batch.length === 0) return;
      const closed = await closeUnit(trx, undefined, batch.map((q) => q.row));
      // Nothing to check (no receipt, no version): every row is written. Each send has an owner token of
      // its own, so rows go back to their sends by it, never by position (a row's key is its idempotency key).
      const byOwner = new Map(closed.outbox.map((row) => [row.owner, row]));
      const rows = batch.map((q) => byOwner.get(q.row.owner));
      if (byOwner.size !== batch.length || rows.some((row) => !row)) throw new Error(`outbox batch: ${closed.outbox.length} rows written of ${batch.length}, or an owner token used twice`);
      batch.forEach((q, i) => q.resolve(rows[i]!));
    },
  };
}

/** A closing read run as an ordinary read (one row, as JSON), where something else closes the unit. */
function plainRead(handle: Handle): Closing['read'] {
  return async <R>(query: RawBuilder<R>): Promise<R | null> => (await sql<{ row: R }>`select row_to_json(x) as row from (${query}) x`.execute(executor(handle))).rows[0]?.row ?? null;
}

/** The core's transaction: the same, handed over as an opaque Handle for repositories to use. */
export function unitOfWork<T>(db: Handle, fn: (trx: Handle, ctx: TxContext) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return transaction(executor(db), fn, options);
}

/** The connection is gone (terminated, server restarted, network reset), not a query's own error. */
export function isConnectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return /^(57P0[123]|08)/.test(code) || ['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(code) || (typeof e?.message === 'string' && /^Connection terminated/.test(e.message));
}

/** For code whose correctness needs the caller's transaction (locks, multi-row invariants). */
export function assertInTransaction(db: Executor): asserts db is Transaction<Database> {
  if (!db.isTransaction) throw new Error('this operation must run inside a transaction');
}
