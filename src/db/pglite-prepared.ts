/**
 * Prepared statements on embedded PGlite (prepared.ts says why; here it matters more: PGlite parses and
 * plans in WebAssembly, several times slower than a native server). PGlite's query() always sends an
 * unnamed statement, so a statement marked PREPARE is made a named one with SQL's own PREPARE, once, and
 * run with EXECUTE and its values as literals, each the text PGlite would have bound (its serializer for
 * the parameter's type) in single quotes, quotes doubled. standard_conforming_strings is on (PostgreSQL's
 * default, and set again here), so a backslash is an ordinary character and a doubled quote is the only
 * escape: no value can end its literal. PREPARE analyses a statement as an unnamed Parse does, so a
 * statement it refuses is refused with the same error, which is the one reported.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import { PREPARE } from './prepared.js';

/** Statements prepared at most (each holds a plan in PGlite's memory); past it, the rest run unnamed. */
const MAX = 64;

interface Statement {
  name: string;
  /** The type OID of each parameter, for PGlite's serializer of that type. */
  types: number[];
}

/** What of PGlite this needs: its queries and its serializers (the worker's PGlite, or one in this thread). */
export type PGliteSession = Pick<PGlite, 'query' | 'serializers'>;

export class PGlitePrepared {
  /** By statement text: prepared, or being prepared. */
  private readonly statements = new Map<string, Promise<Statement>>();
  private made = 0;
  private ready = false;

  /**
   * A marked statement's result, run prepared; undefined (decided at once, so the statements that are
   * not marked cost nothing here): run it as usual.
   */
  run(pg: PGliteSession, sql: string, params: readonly unknown[]): Promise<Results> | undefined {
    if (!sql.startsWith(PREPARE)) return undefined;
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX) return undefined;
      statement = this.prepare(pg, sql);
      this.statements.set(sql, statement);
      // Not kept when it failed: the error is the statement's own (reported to the caller), and a
      // later call tries again (a table a migration has since made, a transaction no longer failed).
      statement.catch(() => this.statements.delete(sql));
    }
    return statement.then(({ name, types }) => {
      const values = params.map((value, i) => literal(pg, value, types[i]));
      return pg.query(`execute ${name}${values.length ? `(${values.join(', ')})` : ''}`);
    });
  }

  private async prepare(pg: PGliteSession, sql: string): Promise<Statement> {
    if (!this.ready) {
      await pg.query('set standard_conforming_strings = on');
      this.ready = true;
    }
    // Never a name used before, even by a statement whose preparation failed.
    const name = `dojo_${++this.made}`;
    await pg.query(`prepare ${name} as ${sql}`);
    const r = await pg.query<{ types: number[] }>('select parameter_types::oid[] as types from pg_prepared_statements where name = $1', [name]);
    return { name, types: (r.rows[0]?.types ?? []).map(Number) };
  }
}

function literal(pg: PGliteSession, value: unknown, type: number | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  const serialize = type === undefined ? undefined : pg.serializers[type];
  const text = serialize ? serialize(value) : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}
