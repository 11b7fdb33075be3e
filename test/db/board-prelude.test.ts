/**
 * A board remembers what its prelude found for a team's period (the board set, or none, and no league)
 * and reads in one statement after that. What the prelude would find can change under it, by this
 * instance or another: a set built or rebuilt under a new id, a season whose leagues begin. The board
 * stays the ledger's exact sums and narrows to the member's league as soon as there is one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBoardSet } from '../../src/db/repos/board-sets.js';
import { boardPage } from '../../src/db/repos/boards.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const TEAM = 'memory:prelude';
const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');

describe(`a board's remembered prelude on ${backend}`, () => {
  let t: TestDb;
  let members: number[];

  beforeAll(async () => {
    t = await testDb();
    await t.db.insertInto('team').values({ id: TEAM, platform: 'memory', external_id: 'prelude', name: 'P', timezone: 'UTC', created_at: FROM }).execute();
    members = [];
    for (const [i, name] of ['ann', 'bob', 'cy', 'dan'].entries()) {
      members.push((await t.db.insertInto('member').values({ team_id: TEAM, platform_user_id: `U${i}`, display_name: name, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    // ann 4, bob 3, cy 2, dan 1 point this week.
    const events = members.flatMap((m, i) => Array.from({ length: 4 - i }, (_, k) => ({ team_id: TEAM, member_id: m, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `p:${m}:${k}`, created_at: new Date(FROM.getTime() + 3_600_000 * (k + 1)) })));
    await t.db.insertInto('point_event').values(events).execute();
  });
  afterAll(async () => t?.close());

  const week = () => boardPage(t.db, TEAM, { from: FROM, to: TO }, 10, members[3], { streaks: true, autoLeague: true });
  const names = (page: Awaited<ReturnType<typeof week>>) => page.top.map((r) => `${r.display_name} ${r.points}`);

  it('reads the same board when a set is built, dropped and built again under a new id, and narrows to a league once one begins', async () => {
    const want = ['ann 4', 'bob 3', 'cy 2', 'dan 1'];
    expect(names(await week())).toEqual(want); // no set: remembered as none
    expect(names(await week())).toEqual(want);
    await buildBoardSet(t.db, TEAM, FROM, TO);
    expect(names(await week())).toEqual(want); // a set now: the remembered "none" no longer holds
    expect(names(await week())).toEqual(want); // remembered: the set
    // Another instance's tick drops the set and builds it again: the remembered id is gone.
    await t.db.deleteFrom('board_set').where('team_id', '=', TEAM).execute();
    await buildBoardSet(t.db, TEAM, FROM, TO);
    expect(names(await week())).toEqual(want);

    // A season with two leagues begins: dan's board is his league's (cy and dan in the lower one).
    const season = await t.db.insertInto('season').values({ team_id: TEAM, channel_id: null, name: 'S1', status: 'active', starts_at: FROM, ends_at: new Date('2027-01-01T00:00:00Z'), ended_at: null }).returning('id').executeTakeFirstOrThrow();
    await t.db
      .insertInto('league_placement')
      .values(members.map((m, i) => ({ season_id: season.id, member_id: m, team_id: TEAM, tier: i < 2 ? 1 : 0, final_rank: null, final_points: null, next_tier: null })))
      .execute();
    const narrowed = await week();
    expect(names(narrowed)).toEqual(['cy 2', 'dan 1']);
    expect(narrowed.league).toMatchObject({ seasonId: season.id, tier: 0, count: 2 });
  });

  it('reads a set built after a board remembered that there was none (the set, not the rollups, once it exists)', async () => {
    const RANGE = { from: new Date('2026-11-16T00:00:00Z'), to: FROM };
    const last = () => boardPage(t.db, TEAM, RANGE, 10, members[0], { streaks: true });
    expect((await last()).top).toEqual([]); // no events that week, no set: remembered as none
    expect(await buildBoardSet(t.db, TEAM, RANGE.from, RANGE.to)).toBe(true);
    const set = await t.db.selectFrom('board_set').select('id').where('team_id', '=', TEAM).where('starts_at', '=', RANGE.from).executeTakeFirstOrThrow();
    // A probe, not a state the triggers make: points only the set has, so the board shows which it read.
    await t.db.insertInto('board_set_total').values({ set_id: set.id, member_id: members[2]!, points: '7', answers: 0, events: 1 }).execute();
    expect(names(await last())).toEqual(['cy 7']);
  });

  it("remembers a member's league (one statement a board) and reads afresh once it moves, the season is renamed or ends, or the leagues change", async () => {
    const TEAM2 = 'memory:prelude-league';
    await t.db.insertInto('team').values({ id: TEAM2, platform: 'memory', external_id: 'prelude-league', name: 'L', timezone: 'UTC', created_at: FROM }).execute();
    const ids: number[] = [];
    for (const [i, name] of ['eve', 'fay', 'gus', 'hal', 'ivy', 'jo'].entries()) {
      ids.push((await t.db.insertInto('member').values({ team_id: TEAM2, platform_user_id: `L${i}`, display_name: name, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    // eve 6, fay 5, ... jo 1 point this week.
    const events = ids.flatMap((m, i) => Array.from({ length: 6 - i }, (_, k) => ({ team_id: TEAM2, member_id: m, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `l:${m}:${k}`, created_at: new Date(FROM.getTime() + 3_600_000 * (k + 1)) })));
    await t.db.insertInto('point_event').values(events).execute();
    const season = await t.db.insertInto('season').values({ team_id: TEAM2, channel_id: null, name: 'Autumn', status: 'active', starts_at: FROM, ends_at: new Date('2027-01-01T00:00:00Z'), ended_at: null }).returning('id').executeTakeFirstOrThrow();
    // Two leagues: eve, fay and gus in tier 1; hal, ivy and jo in tier 0.
    await t.db.insertInto('league_placement').values(ids.map((m, i) => ({ season_id: season.id, member_id: m, team_id: TEAM2, tier: i < 3 ? 1 : 0, final_rank: null, final_points: null, next_tier: null }))).execute();

    let statements = 0;
    const counted = t.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result });
    const board = async (member: number) => {
      statements = 0;
      const page = await boardPage(counted, TEAM2, { from: FROM, to: TO }, 10, member, { streaks: true, autoLeague: true });
      return { names: names(page), league: page.league && `${page.league.seasonName} ${page.league.tier}/${page.league.count}`, statements };
    };
    const hal = ids[3]!;
    expect(await board(hal)).toEqual({ names: ['hal 3', 'ivy 2', 'jo 1'], league: 'Autumn 0/2', statements: 2 });
    expect(await board(hal)).toEqual({ names: ['hal 3', 'ivy 2', 'jo 1'], league: 'Autumn 0/2', statements: 1 });

    // hal is promoted (another instance's season tick): his board is the upper league's at once.
    await t.db.updateTable('league_placement').set({ tier: 1 }).where('season_id', '=', season.id).where('member_id', '=', hal).execute();
    expect(await board(hal)).toMatchObject({ names: ['eve 6', 'fay 5', 'gus 4', 'hal 3'], league: 'Autumn 1/2' });
    expect(await board(hal)).toMatchObject({ league: 'Autumn 1/2', statements: 1 });

    // A third league (jo alone in tier 2), then the season renamed: the count and the name are the new ones.
    await t.db.updateTable('league_placement').set({ tier: 2 }).where('season_id', '=', season.id).where('member_id', '=', ids[5]!).execute();
    expect(await board(hal)).toMatchObject({ names: ['eve 6', 'fay 5', 'gus 4', 'hal 3'], league: 'Autumn 1/3' });
    await t.db.updateTable('season').set({ name: 'Fall' }).where('id', '=', season.id).execute();
    expect(await board(hal)).toMatchObject({ league: 'Fall 1/3' });

    // The season ends: the whole team's board, and that is remembered for everyone.
    await t.db.updateTable('season').set({ status: 'ended', ended_at: TO }).where('id', '=', season.id).execute();
    const whole = ['eve 6', 'fay 5', 'gus 4', 'hal 3', 'ivy 2', 'jo 1'];
    expect(await board(hal)).toEqual({ names: whole, league: undefined, statements: 3 });
    expect(await board(ids[0]!)).toEqual({ names: whole, league: undefined, statements: 1 });

    // A new season like the last (the same name, leagues and tiers): boards name it, not the ended one.
    const next = await t.db.insertInto('season').values({ team_id: TEAM2, channel_id: null, name: 'Fall', status: 'active', starts_at: TO, ends_at: new Date('2027-02-01T00:00:00Z'), ended_at: null }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('league_placement').values(ids.map((m, i) => ({ season_id: next.id, member_id: m, team_id: TEAM2, tier: i < 4 ? 1 : i === 5 ? 2 : 0, final_rank: null, final_points: null, next_tier: null }))).execute();
    const seasonOf = async (member: number) => (await boardPage(t.db, TEAM2, { from: FROM, to: TO }, 10, member, { streaks: true, autoLeague: true })).league?.seasonId;
    expect(await seasonOf(hal)).toBe(next.id);
    await t.db.updateTable('season').set({ status: 'ended', ended_at: TO }).where('id', '=', next.id).execute();
    const third = await t.db.insertInto('season').values({ team_id: TEAM2, channel_id: null, name: 'Fall', status: 'active', starts_at: TO, ends_at: new Date('2027-03-01T00:00:00Z'), ended_at: null }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('league_placement').values(ids.map((m, i) => ({ season_id: third.id, member_id: m, team_id: TEAM2, tier: i < 4 ? 1 : i === 5 ? 2 : 0, final_rank: null, final_points: null, next_tier: null }))).execute();
    expect(await seasonOf(hal)).toBe(third.id);
  });
});

