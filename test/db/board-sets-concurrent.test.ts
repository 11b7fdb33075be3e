/**
 * Board sets under concurrent writes (real Postgres only): while several connections score and delete
 * ledger events in their own transactions, sets of the team's periods are built and dropped again and
 * again (as the tick does). Afterwards every set equals a direct sum over the ledger: no event is
 * missed by a build that raced it, none is counted twice.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connected } from '../../src/db/index.js';
import { buildBoardSet, dropBoardSet } from '../../src/db/repos/board-sets.js';
import { transaction } from '../../src/db/tx.js';
import { TEST_DATABASE_URL, testDb, type TestDb } from '../helpers/db.js';

const TEAM = 'memory:sets';
const T0 = Date.parse('2026-10-01T00:00:00Z');
const DAY = 86_400_000;
/** Periods like a week, a month and a season: from an instant, open or to an instant. */
const PERIODS: { from: Date; to?: Date }[] = [
  { from: new Date(T0 + 20 * DAY) },
  { from: new Date(T0 + 3 * DAY) },
  { from: new Date(T0 + 1.5 * DAY), to: new Date(T0 + 40 * DAY) },
];

describe.skipIf(!TEST_DATABASE_URL)('board sets under concurrent ledger writes on postgres', () => {
  let t: TestDb;
  let writers: Connected[];
  let members: number[];

  beforeAll(async () => {
    t = await testDb();
    writers = await Promise.all([t.another(), t.another(), t.another()]);
    await t.db.insertInto('team').values({ id: TEAM, platform: 'memory', external_id: 'sets', name: 'S', timezone: 'UTC', created_at: new Date(T0) }).execute();
    members = [];
    for (let i = 0; i < 8; i++) {
      members.push((await t.db.insertInto('member').values({ team_id: TEAM, platform_user_id: `U${i}`, display_name: `m${i}`, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
  });
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()));
    await t.close();
  });

  // A deadlock between two writers (an insert's rollup upserts against a delete's) aborts one of them,
  // as Postgres does; the bot's unit of work retries it (src/core/unit-of-work.ts), and so do these writers.
  const retryingDeadlocks = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
      }
    }
  };

  it('keeps every set equal to the ledger while sets are built and dropped during the writes', async () => {
    let key = 0;
    let stop = false;
    const done = writers.map(() => 0);
    // Each writer: transactions of a few events over 45 days (some before every period), now and then deleting some.
    const write = async (w: Connected, seed: number) => {
      let n = 0;
      while (!stop) {
        await retryingDeadlocks(() => transaction(w.db, async (trx) => {
          const rows = Array.from({ length: 1 + ((seed + n) % 4) }, (_, i) => ({
            team_id: TEAM,
            member_id: members[(seed * 7 + n + i) % members.length]!,
            channel_id: null,
            round_id: null,
            answer_id: null,
            kind: 'review' as const,
            points: ((seed + n + i) % 9) - 2,
            event_key: `w${seed}:${key++}`,
            created_at: new Date(T0 + (((seed * 7919 + n * 104_729 + i * 31) % 45) * DAY) + ((n * 3_600_000) % DAY)),
          }));
          await trx.insertInto('point_event').values(rows).execute();
        }));
        // One statement a transaction, as the rollups' own ordering expects (two statements may deadlock with another writer).
        if (n % 5 === 4) await retryingDeadlocks(() => sql`delete from point_event where team_id = ${TEAM} and event_key like ${`w${seed}:%`} and id % 3 = 0`.execute(w.db));
        n++;
        done[seed - 1] = n;
      }
      return n;
    };
    const running = writers.map((w, i) => write(w, i + 1));
    let builds = 0;
    for (let round = 0; round < 15; round++) {
      for (const p of PERIODS) if (await buildBoardSet(t.db, TEAM, p.from, p.to)) builds++;
      if (round < 14) for (const s of await t.db.selectFrom('board_set').select('id').where('team_id', '=', TEAM).execute()) await dropBoardSet(t.db, TEAM, s.id);
    }
    // The last round's build may not have got the team's lock while the writers kept it busy: try until one is in place.
    for (let tries = 0; tries < 50 && (await t.db.selectFrom('board_set').select('id').where('team_id', '=', TEAM).execute()).length === 0; tries++) {
      if (await buildBoardSet(t.db, TEAM, PERIODS[0]!.from, PERIODS[0]!.to)) builds++;
    }
    // Writes go on with the last round's sets in place: a few more transactions from every writer.
    const live = (await t.db.selectFrom('board_set').select('id').where('team_id', '=', TEAM).execute()).length;
    const mark = [...done];
    while (done.some((d, i) => d < mark[i]! + 3)) await t.db.selectFrom('board_set').select('id').limit(1).execute();
    stop = true;
    const written = await Promise.all(running);
    // A build that never got the lock (writers always busy) would test nothing.
    expect(builds).toBeGreaterThan(5);
    expect(live).toBeGreaterThan(0);
    expect(written.reduce((a, b) => a + b, 0)).toBeGreaterThan(20);
    // The sets built in the last round were kept by the triggers through the writes still running then.
    for (const p of PERIODS) await buildBoardSet(t.db, TEAM, p.from, p.to);
    const sets = await t.db.selectFrom('board_set').selectAll().where('team_id', '=', TEAM).execute();
    expect(sets).toHaveLength(PERIODS.length);
    for (const s of sets) {
      const kept = await sql<{ member_id: number; points: string; events: number }>`
        select member_id, points, events from board_set_total where set_id = ${s.id} order by member_id`.execute(t.db);
      const direct = await sql<{ member_id: number; points: string; events: number }>`
        select member_id, sum(points)::bigint as points, count(*)::int as events from point_event
        where team_id = ${TEAM} and created_at >= ${s.starts_at} ${s.ends_at ? sql`and created_at < ${s.ends_at}` : sql``}
        group by member_id order by member_id`.execute(t.db);
      expect(kept.rows).toEqual(direct.rows);
    }
  }, 120_000);
});
