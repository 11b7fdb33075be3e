/**
 * Prepared statements on embedded PGlite (prepared.ts says why; here it matters more: PGlite parses and
 * plans in WebAssembly, several times slower than a native server). PGlite's query() always sends an
 * unnamed statement, so a statement marked PREPARE is made a named one with SQL's own PREPARE, once, and
 * run with EXECUTE and its values as literals, each the text PGlite would have bound (its serializer for
 * the parameter's type) in single quotes, quotes doubled. standard_conforming_strings is on (PostgreSQL's
 * default, and set again here), so a backslash is an ordinary character and a doubled quote is the only
 * escape: no value can end its literal. A statement PREPARE refuses (a parameter whose type it cannot
 * infer) runs unnamed from then on.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import { PREPARE } from './prepared.js';

/** Statements prepared at most (each holds a plan in PGlite's memory). */
const MAX = 64;

interface Statement {
  name: string;
  /** The type OID of each parameter, for PGlite's serializer of that type. */
  types: number[];
}

export class PGlitePrepared {
  private readonly statements = new Map<string, Statement | null>();
  private ready = false;

  /** The result of a marked statement, run prepared; undefined: run it as usual. */
  async run(pg: PGlite, sql: string, params: readonly unknown[]): Promise<Results | undefined> {
    if (!sql.startsWith(PREPARE)) return undefined;
    let statement = this.statements.get(sql);
    if (statement === null) return undefined;
    if (!statement) {
      if (this.statements.size >= MAX) return undefined;
      statement = await this.prepare(pg, sql);
      if (statement === undefined) return undefined;
      this.statements.set(sql, statement);
      if (!statement) return undefined;
    }
    const values = params.map((value, i) => literal(pg, value, statement.types[i]));
    return pg.query(`execute ${statement.name}${values.length ? `(${values.join(', ')})` : ''}`);
  }

  /** The statement prepared; null: it cannot be (run it unnamed for good); undefined: not now (a failed transaction). */
  private async prepare(pg: PGlite, sql: string): Promise<Statement | null | undefined> {
    if (!this.ready) {
      await pg.query('set standard_conforming_strings = on');
      this.ready = true;
    }
    const name = `dojo_${this.statements.size}`;
    try {
      await pg.query(`prepare ${name} as ${sql}`);
      const r = await pg.query<{ types: number[] }>('select parameter_types::oid[] as types from pg_prepared_statements where name = $1', [name]);
      return { name, types: (r.rows[0]?.types ?? []).map(Number) };
    } catch (error) {
      // In a failed transaction nothing runs: try again another time. Otherwise it cannot be prepared.
      // Either way the unnamed statement runs and reports a real error itself.
      return (error as { code?: unknown }).code === '25P02' ? undefined : null;
    }
  }
}

function literal(pg: PGlite, value: unknown, type: number | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  const serialize = type === undefined ? undefined : pg.serializers[type];
  const text = serialize ? serialize(value) : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}
