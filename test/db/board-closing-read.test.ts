/**
 * The board as its unit's closing read (boards.ts `closing`, tx.ts): when the board is the command's
 * answer in the channel, its statement also records the delivery's receipt, so a remembered board is one
 * round trip in all. Its rows are the plain board's, for every shape (a league, all time, a short top, no
 * streaks); a remembered league that no longer holds is read afresh after the receipt; a replay is told apart.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardPage, type BoardRange } from '../../src/db/repos/boards.js';
import { closingUnit } from '../../src/db/tx.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const TEAM = 'memory:closing-board';
const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');
type Options = { streaks?: boolean; autoLeague?: boolean };

describe(`the board as a closing read on ${backend}`, () => {
  let t: TestDb;
  const ids: number[] = [];
  let seasonId = 0;
  beforeAll(async () => {
    t = await testDb();
    await t.db.insertInto('team').values({ id: TEAM, platform: 'memory', external_id: 'closing-board', name: 'C', timezone: 'UTC', created_at: FROM }).execute();
    for (const [i, name] of ['eve', 'fay', 'gus', 'hal', 'ivy', 'jo'].entries()) {
      ids.push((await t.db.insertInto('member').values({ team_id: TEAM, platform_user_id: `C${i}`, display_name: name, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    // eve 6, fay 5, ... jo 1 point this week.
    const events = ids.flatMap((m, i) => Array.from({ length: 6 - i }, (_, k) => ({ team_id: TEAM, member_id: m, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `c:${m}:${k}`, created_at: new Date(FROM.getTime() + 3_600_000 * (k + 1)) })));
    await t.db.insertInto('point_event').values(events).execute();
    seasonId = (await t.db.insertInto('season').values({ team_id: TEAM, channel_id: null, name: 'Autumn', status: 'active', starts_at: FROM, ends_at: new Date('2027-01-01T00:00:00Z'), ended_at: null }).returning('id').executeTakeFirstOrThrow()).id;
    // Two leagues: eve, fay and gus in tier 1; hal, ivy and jo in tier 0.
    await t.db.insertInto('league_placement').values(ids.map((m, i) => ({ season_id: seasonId, member_id: m, team_id: TEAM, tier: i < 3 ? 1 : 0, final_rank: null, final_points: null, next_tier: null }))).execute();
  });
  afterAll(async () => t?.close());

  let statements = 0;
  let delivery = 0;
  const counted = () => t.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result });
  const closed = async (range: BoardRange, limit: number, member: number, options: Options, deliveryId = `board-${++delivery}`) => {
    statements = 0;
    const unit = await closingUnit(counted(), { receipt: { platform: 'memory', deliveryId, now: new Date() } }, (handle, tx) =>
      boardPage(handle, TEAM, range, limit, member, { ...options, closing: tx.closing! }),
    );
    return { ...unit, statements };
  };
  const plain = (range: BoardRange, limit: number, member: number, options: Options) => boardPage(t.db, TEAM, range, limit, member, options);
  const receipts = async (deliveryId: string) => (await sql<{ n: number }>`select count(*)::int as n from processed_delivery where delivery_id = ${deliveryId}`.execute(t.db)).rows[0]!.n;

  it("reads the plain board's rows, in one statement once its prelude is remembered", async () => {
    const cases: [string, BoardRange, number, number, Options][] = [
      ["hal's league this week", { from: FROM, to: TO }, 10, ids[3]!, { streaks: true, autoLeague: true }],
      ['a top of one, the caller below it', { from: FROM, to: TO }, 1, ids[4]!, { streaks: true, autoLeague: true }],
      ["jo's league, all time", {}, 2, ids[5]!, { streaks: true, autoLeague: true }],
      ['the whole team, all time', {}, 2, ids[5]!, { streaks: true }],
      ['no streaks', { from: FROM, to: TO }, 2, ids[5]!, {}],
    ];
    for (const [name, range, limit, member, options] of cases) {
      const want = await plain(range, limit, member, options);
      const first = await closed(range, limit, member, options);
      expect(first.result, name).toEqual(want);
      expect(first.fresh && first.current, name).toBe(true);
      const again = await closed(range, limit, member, options);
      expect(again.result, name).toEqual(want);
      // The week's boards have a remembered prelude: the board's statement is the unit's only one.
      if (range.from) expect(again.statements, name).toBe(1);
    }
    expect((await closed({ from: FROM, to: TO }, 10, ids[3]!, { streaks: true, autoLeague: true })).result.top.map((r) => r.display_name)).toEqual(['hal', 'ivy', 'jo']);
  });

  it('reads a remembered league afresh after the receipt when it no longer holds, and tells a replay apart', async () => {
    const week = { from: FROM, to: TO };
    const auto = { streaks: true, autoLeague: true };
    await closed(week, 10, ids[4]!, auto); // ivy's league remembered
    await t.db.updateTable('league_placement').set({ tier: 1 }).where('season_id', '=', seasonId).where('member_id', '=', ids[4]!).execute();
    const moved = await closed(week, 10, ids[4]!, auto, 'moved-1');
    // The closing read found the memo stale; a prelude and a plain read followed it.
    expect(moved.statements).toBe(3);
    expect(moved.result).toEqual(await plain(week, 10, ids[4]!, auto));
    expect(moved.result.top.map((r) => r.display_name)).toEqual(['eve', 'fay', 'gus', 'ivy']);
    expect(moved.fresh).toBe(true);
    expect(await receipts('moved-1')).toBe(1);
    const replay = await closed(week, 10, ids[4]!, auto, 'moved-1');
    expect(replay.fresh).toBe(false);
    expect(await receipts('moved-1')).toBe(1);
  });
});
