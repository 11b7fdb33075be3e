/**
 * Prepared statements for the hot reads (issue 13). Postgres parses and plans every statement Kysely
 * sends, because pg sends it unnamed; for the one statement behind `/dojo stats` that was 2.9 ms of the
 * server's CPU for 0.4 ms of work (log_min_duration_statement: parse 0.5, bind 2.4, execute 0.4 ms).
 * A statement that starts with PREPARE is sent named instead (a hash of its text), so each connection
 * parses it once and Postgres may keep a generic plan for it (plan_cache_mode auto: after five custom
 * plans, when the generic one costs no more).
 *
 * Only for statements that run often and whose result columns cannot change with a migration (JSON
 * built from named columns, not `select *`): a table altered under a prepared `select *` fails it with
 * "cached plan must not change result type". Not through a transaction-mode pooler (PgBouncer before
 * 1.21 loses named statements between transactions): postgres.ts prepares only on a direct connection,
 * and if a pooler it did not recognise answers "prepared statement does not exist", it stops preparing
 * for good and runs the statement again unnamed (when no transaction was open, so nothing ran twice).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';

/** The mark at the start of a statement's text that asks for preparation. */
export const PREPARE = '/* prepared */ ';

/** The mark as a repository writes it, first in a statement's template: sql`${PREPARED}select ...`. */
export const PREPARED = sql.raw(PREPARE);

/** Distinct texts named at most (each connection holds a plan per name on the server). */
const MAX_NAMES = 100;

/** SQLSTATEs that say the server lost or refused a named statement (a pooler in between). */
const POOLER_LOST = new Set(['26000', '42P05']);
/** SQLSTATE of "cached plan must not change result type" (a migration changed a table under it). */
const RESULT_CHANGED = '0A000';

export class StatementNames {
  private readonly names = new Map<string, string>();
  private generation = 0;
  /** Set once a pooler in between lost a named statement: every statement goes unnamed from then on. */
  private off = false;

  /** The name to send `text` under, or undefined: send it unnamed. */
  nameOf(text: string): string | undefined {
    if (this.off || !text.startsWith(PREPARE)) return undefined;
    const known = this.names.get(text);
    if (known || this.names.size >= MAX_NAMES) return known;
    const name = `dojo_${this.generation}_${createHash('sha1').update(text).digest('base64url')}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * After a named statement failed: whether it may run again unnamed. A pooler's loss turns preparing
   * off; a changed result type gives the text a new name next time (parsed afresh).
   */
  failed(text: string, name: string, error: unknown): { tell?: string } | undefined {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string') return undefined;
    if (POOLER_LOST.has(code)) {
      // Several connections may meet it at once: said once.
      const first = !this.off;
      this.off = true;
      return first ? { tell: 'a pooler between the bot and Postgres lost a prepared statement: statements go unprepared from now on' } : {};
    }
    if (code === RESULT_CHANGED && /result type/.test((error as Error).message)) {
      // Renamed once per change: other connections that fail on the same old name find it renamed already.
      const first = this.names.get(text) === name;
      if (first) {
        this.names.delete(text);
        this.generation++;
      }
      return first ? { tell: 'a table changed under a prepared statement: it is prepared again' } : {};
    }
    return undefined;
  }
}
