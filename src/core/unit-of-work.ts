/**
 * The unit of work's failures, told apart: a lost database is an outage (the person is asked to try
 * again, and platforms that retry deliveries do), and so is a statement held up past the lock or
 * statement timeout; a conflict with a concurrent delivery (a unique key taken a moment ago, a
 * serialisation failure, a deadlock) is retried once; anything else is a bug, logged with its code and
 * a reference the person can quote, never dressed up as an outage.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import { DojoError } from './errors.js';
import { DojoUnavailable } from './ports.js';

export type FailureKind = 'unavailable' | 'conflict' | 'bug';

// SQLSTATE classes 08 (connection), 57P (shutdown), 53 (resources, e.g. too many connections), and the
// database's own timeouts: 55P03 (lock_timeout) and 57014 (statement_timeout): busy now, fine again soon.
const UNAVAILABLE_STATE = /^(08|57P|53|55P03$|57014$)/;
const CONFLICT_STATES = new Set(['23505', '40001', '40P01']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const UNAVAILABLE_TEXT = /connection terminated|timeout exceeded when trying to connect|connection error|not queryable|driver has already been destroyed|pglite is closed|cannot use a pool after calling end/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What kind of failure an error from the unit of work is (looking through `cause`s). */
export function classify(error: unknown): FailureKind {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = codeOf(e);
    if (code && CONFLICT_STATES.has(code)) return 'conflict';
    if (code && (UNAVAILABLE_STATE.test(code) || NETWORK_CODES.has(code))) return 'unavailable';
    if (e instanceof AggregateError && e.errors.some((x) => classify(x) === 'unavailable')) return 'unavailable';
    if (e instanceof Error && UNAVAILABLE_TEXT.test(e.message)) return 'unavailable';
  }
  return 'bug';
}

/** A bug met while handling an event: the person sees `userMessage`, the log has `ref` with the cause. */
export class DojoBug extends DojoError {
  readonly code = 'dojo_bug';
  readonly ref: string;
  override readonly userMessage: string;
  constructor(options: { cause?: unknown }) {
    super('the dojo failed to handle the event', options);
    this.name = 'DojoBug';
    this.ref = randomBytes(3).toString('hex').toUpperCase();
    this.userMessage = `Something went wrong on my side (ref ${this.ref}). Please try again; if it keeps happening, tell your admin the ref.`;
  }
}

/** Runs a unit of work; a conflict runs it once more, then failures become DojoUnavailable or DojoBug. */
export async function runUnit<T>(log: Logger, run: () => Promise<T>, context: Record<string, unknown> = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const kind = classify(error);
      if (kind === 'conflict' && attempt === 1) {
        log.info({ ...context, code: codeOf(error) }, 'a concurrent delivery got there first; trying again');
        continue;
      }
      if (kind === 'unavailable') {
        log.error({ ...context, err: error, code: codeOf(error) }, 'the database is unavailable');
        throw new DojoUnavailable({ cause: error });
      }
      const bug = new DojoBug({ cause: error });
      log.error({ ...context, err: error, code: codeOf(error) ?? (error as Error)?.name, ref: bug.ref }, 'handling failed');
      throw bug;
    }
  }
}
