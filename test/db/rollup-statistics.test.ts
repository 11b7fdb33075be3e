/**
 * The boards' plans depend on how many rollup rows the planner expects a team's period to have. A team's
 * all-time rows are one per member among many more day rows; without statistics on grain and bucket
 * together, the planner multiplied their frequencies and expected a few dozen where there are a thousand,
 * and a league board then read every member's all-time row to find its ten (migration
 * 20261201T120000Z-rollup-statistics). The estimate must be near the truth after an ANALYZE.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const TEAM = 'memory:stats';
const MEMBERS = 1000;
const DAYS = 60;

describe(`rollup statistics on ${backend}`, () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await testDb();
    await t.db.insertInto('team').values({ id: TEAM, platform: 'memory', external_id: 'stats', name: 'S', timezone: 'UTC', created_at: new Date('2026-01-01T00:00:00Z') }).execute();
    await sql`insert into member (team_id, platform_user_id, display_name) select ${TEAM}, 'U' || g, 'member ' || g from generate_series(1, ${MEMBERS}::int) g`.execute(t.db);
    // What the triggers leave after two months: a row per member and day, per month, and one all-time row each.
    await sql`insert into ledger_rollup (team_id, member_id, grain, bucket, points, answers, events)
      select ${TEAM}, m.id, 'day', date '2026-01-01' + d, 1, 1, 1 from member m, generate_series(0, ${DAYS - 1}::int) d where m.team_id = ${TEAM}
      union all select ${TEAM}, m.id, 'month', b, 30, 30, 30 from member m, (values (date '2026-01-01'), (date '2026-02-01')) v(b) where m.team_id = ${TEAM}
      union all select ${TEAM}, m.id, 'all', date '1970-01-01', 60, 60, 60 from member m where m.team_id = ${TEAM}`.execute(t.db);
    // As autovacuum would.
    await sql`analyze ledger_rollup`.execute(t.db);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function expected(where: ReturnType<typeof sql>): Promise<number> {
    const r = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`explain (format json) select * from ledger_rollup r where r.team_id = ${TEAM} and ${where}`.execute(t.db);
    return r.rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'];
  }

  it("expects a team's all-time rows at about one per member", async () => {
    const rows = await expected(sql`r.grain = 'all' and r.bucket = date '1970-01-01'`);
    expect(rows).toBeGreaterThan(MEMBERS / 2);
    expect(rows).toBeLessThan(MEMBERS * 2);
  });

  it("expects a month's rows at about one per member", async () => {
    const rows = await expected(sql`r.grain = 'month' and r.bucket = date '2026-02-01'`);
    expect(rows).toBeGreaterThan(MEMBERS / 2);
    expect(rows).toBeLessThan(MEMBERS * 2);
  });
});
