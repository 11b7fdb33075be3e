/**
 * Transactions with work that must follow the commit (posting to chat happens only after the database
 * decided it, DESIGN.md). Effects queued by a transaction that rolls back never run.
 */
import type { Transaction } from 'kysely';
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

export async function transaction<T>(
  db: Executor,
  fn: (trx: Transaction<Database>, ctx: TxContext) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (db.isTransaction) throw new Error('transaction() was called inside a transaction; pass the transaction down instead');
  const effects: Effect[] = [];
  const result = await db.transaction().execute((trx) => fn(trx, { afterCommit: (effect) => effects.push(effect) }));
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      options.onEffectError?.(error);
    }
  }
  return result;
}

/** For code whose correctness needs the caller's transaction (locks, multi-row invariants). */
export function assertInTransaction(db: Executor): asserts db is Transaction<Database> {
  if (!db.isTransaction) throw new Error('this operation must run inside a transaction');
}
