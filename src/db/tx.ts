/**
 * Transactions with work that must follow the commit (posting to chat happens only after the database
 * decided it, DESIGN.md). Effects queued by a transaction that rolls back never run.
 */
import type { Transaction } from 'kysely';
import { executor, type Handle } from './handle.js';
import type { Database, Executor } from './index.js';

export type Effect = () => Promise<void> | void;

export interface TxContext {
  /** Queue work for after the commit; it runs in order, and a failing effect does not undo the commit. */
  afterCommit(effect: Effect): void;
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
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      options.onEffectError?.(error);
    }
  }
  return result;
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
