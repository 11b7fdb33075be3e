/**
 * The boards read per-member sums kept by triggers beside the ledger (ledger_rollup). Property: for any
 * ledger events (single and bulk inserts, deleted events, forgotten members), every board (all time, any
 * [from, to) including local midnights and mid-day season starts, channel boards) and every member's rank
 * equal a direct SUM over the ledger, whether the board reads the rollups or a board set (built before
 * the events and kept by the triggers, or built after them).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBoardSet } from '../../src/db/repos/board-sets.js';
import { segments } from '../../src/db/repos/board-segments.js';
import { boardPage, boardRank, boardTop, type BoardRange } from '../../src/db/repos/boards.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const TEAM = 'memory:rollup';
const KINDS = ['participation', 'correct', 'speed', 'streak', 'review', 'best_answer', 'best_answer_reversed'] as const;
const T0 = Date.parse('2026-10-25T00:00:00Z');
const SPAN = 70 * 86_400_000;

/** The boards' definition, straight from the ledger. */
async function direct(t: TestDb, range: BoardRange) {
  const r = await sql<{ member_id: number; points: number; answers: number }>`
    select p.member_id, sum(p.points)::int as points, (count(distinct p.answer_id) filter (where p.kind = 'participation'))::int as answers
    from point_event p join member m on m.id = p.member_id and m.forgotten_at is null
    where p.team_id = ${TEAM} ${range.from ? sql`and p.created_at >= ${range.from}` : sql``} ${range.to ? sql`and p.created_at < ${range.to}` : sql``}
      ${range.channelId !== undefined ? sql`and p.channel_id = ${range.channelId}` : sql``}
    group by p.member_id, m.display_name order by points desc, answers desc, m.display_name, p.member_id`.execute(t.db);
  return r.rows;
}

describe(`board sums kept beside the ledger on ${backend}`, () => {
  let t: TestDb;
  let members: number[];
  let channels: number[];
  let answers: number[];

  beforeAll(async () => {
    t = await testDb();
    await t.db.insertInto('team').values({ id: TEAM, platform: 'memory', external_id: 'rollup', name: 'R', timezone: 'UTC', created_at: new Date(T0) }).execute();
    channels = [];
    for (const c of ['C1', 'C2']) channels.push((await t.db.insertInto('channel').values({ team_id: TEAM, platform_channel_id: c, name: c }).returning('id').executeTakeFirstOrThrow()).id);
    members = [];
    // Names with ties and a case difference, so the name order is exercised as well.
    for (const [i, name] of ['ann', 'bob', 'bob', 'Cy', 'dan', 'eve'].entries()) {
      members.push((await t.db.insertInto('member').values({ team_id: TEAM, platform_user_id: `U${i}`, display_name: name, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    const question = await t.db
      .insertInto('question')
      .values({ team_id: null, external_id: 'rollup-q', pack: 'databases', kind: 'open', category: 'technical', difficulty: 'beginner', topics: ['databases'], prompt: 'Why?', key_points: '[]', reference_answer: 'Because.', star_guide: null, options: null, explanation: null, status: 'active', source: 'builtin', content_hash: 'h', created_by: null, decided_by: null, retired_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    answers = [];
    for (let r = 0; r < 4; r++) {
      const round = await t.db
        .insertInto('round')
        .values({ team_id: TEAM, channel_id: channels[0]!, kind: 'practice', question_id: question.id, schedule_id: null, quiz_id: null, position: null, local_date: null, blind: false, status: 'closed', closes_at: new Date(T0), closed_at: new Date(T0), message_ref: null, thread_ref: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const m of members) {
        const a = { team_id: TEAM, round_id: round.id, member_id: m, body: 'x', choice_index: null, response_ms: null, status: 'active' as const, late: false, review_status: 'pending' as const, claimed_by: null, claim_expires_at: null, reminded_at: null };
        answers.push((await t.db.insertInto('answer').values(a).returning('id').executeTakeFirstOrThrow()).id);
      }
    }
  });
  afterAll(async () => t.close());

  // An instant in the span: often a UTC midnight or a month start, or a local midnight of a zone off UTC.
  const instant = fc.oneof(
    fc.integer({ min: 0, max: SPAN }).map((ms) => new Date(T0 + ms)),
    fc.integer({ min: 0, max: 70 }).map((d) => new Date(T0 + d * 86_400_000)),
    fc.tuple(fc.integer({ min: 0, max: 70 }), fc.constantFrom(-5.5, -1, 2, 9, 13.75)).map(([d, h]) => new Date(T0 + d * 86_400_000 - h * 3_600_000)),
    fc.constantFrom(new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), new Date('2026-11-30T22:00:00Z')),
  );
  const event = fc.record({ member: fc.nat(5), kind: fc.constantFrom(...KINDS), points: fc.integer({ min: -6, max: 12 }), at: instant, channel: fc.nat(2), answered: fc.boolean() });
  const range = fc.record({ from: fc.option(instant, { nil: undefined }), to: fc.option(instant, { nil: undefined }), channel: fc.option(fc.nat(1), { nil: undefined }) });
  const scenario = fc.record({
    batches: fc.array(fc.array(event, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
    deleteEvery: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }),
    forget: fc.option(fc.nat(5), { nil: undefined }),
    // A forgotten member whose rows stay (an event that landed after their forget-me): still off every board.
    keepForgottenRows: fc.boolean(),
    ranges: fc.array(range, { minLength: 3, maxLength: 6 }),
  });

  it('gives every board and every rank the same as a direct sum over the ledger', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run++;
        await t.db.deleteFrom('point_event').where('team_id', '=', TEAM).execute();
        await t.db.deleteFrom('board_set').where('team_id', '=', TEAM).execute();
        // Board sets of the team's ranges: half built before the events (the triggers keep them), half after (built from the rollups).
        const periods = s.ranges.filter((x) => x.from && x.channel === undefined);
        const build = async (half: number) => {
          for (const [i, x] of periods.entries()) if (i % 2 === half) await buildBoardSet(t.db, TEAM, x.from!, x.to);
        };
        await build(0);
        await t.db.updateTable('member').set({ forgotten_at: null }).where('team_id', '=', TEAM).execute();
        expect(await t.db.selectFrom('ledger_rollup').select('member_id').where('team_id', '=', TEAM).execute()).toEqual([]);
        const free = [...answers];
        let n = 0;
        for (const batch of s.batches) {
          // One statement per batch: the triggers see several events (and members) at once.
          const rows = batch.map((e) => {
            const member = members[e.member]!;
            const answer = e.kind === 'participation' && e.answered ? free.shift() : undefined;
            return { team_id: TEAM, member_id: member, channel_id: e.channel < 2 ? channels[e.channel]! : null, round_id: null, answer_id: answer ?? null, kind: e.kind, points: e.points, event_key: `r${run}:${n++}`, created_at: e.at };
          });
          await t.db.insertInto('point_event').values(rows).execute();
        }
        if (s.deleteEvery) await sql`delete from point_event where team_id = ${TEAM} and id % ${s.deleteEvery} = 0`.execute(t.db);
        if (s.forget !== undefined) {
          // What forget-me does: the member is marked forgotten and their ledger rows are deleted.
          await t.db.updateTable('member').set({ forgotten_at: new Date() }).where('id', '=', members[s.forget]!).execute();
          if (!s.keepForgottenRows) {
            await t.db.deleteFrom('point_event').where('member_id', '=', members[s.forget]!).execute();
            expect(await t.db.selectFrom('ledger_rollup').select('grain').where('member_id', '=', members[s.forget]!).execute()).toEqual([]);
          }
        }
        await build(1);
        for (const r of [{}, ...s.ranges.map((x) => ({ ...(x.from ? { from: x.from } : {}), ...(x.to ? { to: x.to } : {}), ...(x.channel !== undefined ? { channelId: channels[x.channel]! } : {}) }))] as BoardRange[]) {
          const want = await direct(t, r);
          const got = await boardTop(t.db, TEAM, r);
          expect(got.map((g) => ({ member_id: g.member_id, points: g.points, answers: g.answers }))).toEqual(want);
          expect(await boardTop(t.db, TEAM, r, 3)).toEqual(got.slice(0, 3));
          for (const m of members) {
            const i = want.findIndex((w) => w.member_id === m);
            const rank = await boardRank(t.db, TEAM, r, m);
            if (i < 0) expect(rank).toBeUndefined();
            else expect(rank).toEqual({ rank: want.findIndex((w) => w.points === want[i]!.points) + 1, of: want.length, points: want[i]!.points, answers: want[i]!.answers });
            // A board's page: the top 3, and the member's place only when they are below it.
            expect(await boardPage(t.db, TEAM, r, 3, m)).toEqual(i >= 3 ? { top: got.slice(0, 3), me: rank } : { top: got.slice(0, 3) });
          }
        }
      }),
      { seed: 1_301_130, numRuns: 60 },
    );
  }, 240_000);

  it('splits a range into raw edges, whole days and whole months, taking away the smaller part of a month', () => {
    const at = (s: string) => new Date(s);
    expect(segments()).toEqual([{ sign: 1, grain: 'all' }]);
    expect(segments(at('2026-11-30T22:00:00Z'))).toEqual([{ sign: 1, grain: 'raw', from: at('2026-11-30T22:00:00Z'), to: at('2026-12-01T00:00:00Z') }, { sign: 1, grain: 'month', from: '2026-12-01' }]);
    expect(segments(at('2026-09-03T10:00:00Z'), at('2026-12-02T00:00:00Z'))).toEqual([
      { sign: 1, grain: 'month', from: '2026-09-01', to: '2026-10-01' },
      { sign: -1, grain: 'day', from: '2026-09-01', to: '2026-09-03' },
      { sign: -1, grain: 'raw', from: at('2026-09-03T00:00:00Z'), to: at('2026-09-03T10:00:00Z') },
      { sign: 1, grain: 'month', from: '2026-10-01', to: '2026-12-01' },
      { sign: 1, grain: 'day', from: '2026-12-01', to: '2026-12-02' },
    ]);
    expect(segments(at('2026-09-27T10:00:00Z'), at('2026-10-30T12:00:00Z'))).toEqual([
      { sign: 1, grain: 'raw', from: at('2026-09-27T10:00:00Z'), to: at('2026-09-28T00:00:00Z') },
      { sign: 1, grain: 'day', from: '2026-09-28', to: '2026-10-01' },
      { sign: 1, grain: 'month', from: '2026-10-01', to: '2026-11-01' },
      { sign: -1, grain: 'raw', from: at('2026-10-30T12:00:00Z'), to: at('2026-10-31T00:00:00Z') },
      { sign: -1, grain: 'day', from: '2026-10-31', to: '2026-11-01' },
    ]);
    expect(segments(at('2026-11-30T10:00:00Z'), at('2026-11-30T12:00:00Z'))).toEqual([{ sign: 1, grain: 'raw', from: at('2026-11-30T10:00:00Z'), to: at('2026-11-30T12:00:00Z') }]);
  });
});
