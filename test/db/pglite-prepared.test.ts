/**
 * Prepared statements on embedded PGlite (src/db/pglite-prepared.ts): a marked statement runs from its
 * prepared plan and answers exactly what the unnamed statement answers, whatever the values (quotes,
 * backslashes, any Unicode, arrays, dates, JSON, nulls): no value can leave its literal.
 */
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlitePrepared } from '../../src/db/pglite-prepared.js';
import { pgliteOptions } from '../../src/db/pglite-protocol.js';
import { PREPARE } from '../../src/db/prepared.js';

describe('prepared statements on PGlite', () => {
  let pg: PGlite;
  const prepared = new PGlitePrepared();
  beforeAll(async () => {
    pg = await PGlite.create(undefined, pgliteOptions(PGlite.defaultStartParams));
    await pg.exec(`create table note (id serial primary key, body text not null, tags text[] not null, at timestamptz not null, meta jsonb)`);
  });
  afterAll(async () => pg.close());

  const both = async (sql: string, params: unknown[]) => {
    const named = await prepared.run(pg, `${PREPARE}${sql}`, params);
    const plain = await pg.query(sql, params);
    return { named: named?.rows, plain: plain.rows };
  };

  it('prepares a marked statement once and answers as the unnamed one does', async () => {
    const sql = 'select $1::text as t, $2::int + 1 as n, $3::timestamptz as at, $4::text[] as tags, $5::jsonb as j, $6::boolean as b, $7::text as nothing';
    const params = ['it\'s a "test" \\ here', 41, new Date('2026-12-01T10:00:00Z'), ['a', "b'c", 'd\\e', 'f"g', ''], { k: "v'w", n: [1, 2] }, true, null];
    const { named, plain } = await both(sql, params);
    expect(named).toEqual(plain);
    expect(named).toEqual([{ t: 'it\'s a "test" \\ here', n: 42, at: new Date('2026-12-01T10:00:00Z'), tags: ['a', "b'c", 'd\\e', 'f"g', ''], j: { k: "v'w", n: [1, 2] }, b: true, nothing: null }]);
    await prepared.run(pg, `${PREPARE}${sql}`, params);
    const kept = await pg.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements where name like 'dojo_%'");
    expect(kept.rows[0]!.n).toBe(1);
  });

  it('keeps every string inside its literal, whatever it holds', async () => {
    const sql = 'select $1::text as v, $2::text[] as a';
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme' }), fc.array(fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')), { maxLength: 4 }), async (text, list) => {
        const value = text.replace(/\0/g, '');
        const { named } = await both(sql, [value, list]);
        expect(named).toEqual([{ v: value, a: list }]);
      }),
      { numRuns: 200 },
    );
    // A value written to end its literal and start a statement stays a value.
    const attack = "x'); drop table note; --";
    expect((await both('select $1::text as v', [attack])).named).toEqual([{ v: attack }]);
    expect((await pg.query("select to_regclass('note') is not null as there")).rows).toEqual([{ there: true }]);
  });

  it("reports the statement's own error when it cannot be prepared, in a transaction too, and prepares it once it can be", async () => {
    const sql = `${PREPARE}select v from later where v = $1`;
    await expect(prepared.run(pg, sql, ['x'])).rejects.toThrow(/relation "later" does not exist/);
    // In a transaction the error is the statement's, not "current transaction is aborted".
    await pg.query('begin');
    await expect(prepared.run(pg, sql, ['x'])).rejects.toThrow(/relation "later" does not exist/);
    await pg.query('rollback');
    await pg.exec(`create table later (v text); insert into later values ('x')`);
    expect((await prepared.run(pg, sql, ['x']))?.rows).toEqual([{ v: 'x' }]);
  });
});
