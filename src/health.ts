/**
 * Liveness and readiness, as /healthz and /readyz answer them. Readiness asks every check (the
 * database, each platform connection) with a deadline, so a hanging dependency answers 503 in
 * seconds instead of never. Shutting down turns both off first, so the platform routes traffic away
 * before the drain begins.
 */
import { sql } from 'kysely';
import type { Db } from './db/index.js';

/** A check returns undefined when fine, or a short reason it is not. */
export type Check = () => Promise<string | undefined> | string | undefined;

export class Health {
  private stopping = false;
  private readonly checks = new Map<string, Check>();

  constructor(private readonly deadlineMs = 2_000) {}

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** From now on both endpoints answer 503. */
  markShuttingDown(): void {
    this.stopping = true;
  }

  add(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  /** Reasons the process is not ready, one per failing check; empty means ready. */
  async problems(): Promise<string[]> {
    if (this.stopping) return ['shutting down'];
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no answer in time'), this.deadlineMs)));
        try {
          const problem = await Promise.race([Promise.resolve().then(check), late]);
          return problem ? `${name} ${problem}` : undefined;
        } catch {
          return `${name} unavailable`;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return results.filter((r): r is string => r !== undefined);
  }
}

/** The database answers a trivial query. */
export function databaseCheck(db: Db): Check {
  return async () => {
    await sql`select 1`.execute(db);
    return undefined;
  };
}
