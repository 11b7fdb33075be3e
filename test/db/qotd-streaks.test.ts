/**
 * Current streaks kept beside the rounds and answers (migration 20261201T160000Z-qotd-streaks): whatever
 * happens to a team's questions of the day afterwards (closed, opened, removed; answers added to closed
 * ones, withdrawn, restored, made late, removed), the board's streaks stay what the core counts from the
 * rounds and answers themselves (currentStreaks, which board-streaks.test.ts holds to the definition).
 * The migration's backfill gives the same; and on real Postgres two transactions closing questions of
 * one channel at once leave the run that counts both.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261201T160000Z-qotd-streaks.js';
import { currentStreaks } from '../../src/core/streaks.js';
import type { Connected } from '../../src/db/index.js';
import { boardPage } from '../../src/db/repos/boards.js';
import { answerRow, heldOpen, insertQuestion } from '../helpers/rows.js';
import { backend, TEST_DATABASE_URL, testDb, type TestDb } from '../helpers/db.js';

const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');
const MEMBERS = 3;

type Op =
  | { kind: 'open'; channel: number }
  | { kind: 'close'; channel: number }
  | { kind: 'answer'; channel: number; member: number; closed: boolean; pick: number }
  | { kind: 'withdraw' | 'restore' | 'late' | 'remove'; pick: number }
  | { kind: 'removeRound'; channel: number };

describe(`streaks kept beside the rounds and answers, on ${backend}`, () => {
  let t: TestDb;
  let questionId: number;
  let teams = 0;

  beforeAll(async () => {
    t = await testDb();
    questionId = await insertQuestion(t.db, 'kept-streak-q');
  });
  afterAll(async () => t?.close());

  /** A team with two channels and three members, each with a point this week so the board lists them all. */
  async function team(): Promise<{ team: string; members: number[]; channels: number[] }> {
    const id = `memory:kept${++teams}`;
    await t.db.insertInto('team').values({ id, platform: 'memory', external_id: id, name: 'K', timezone: 'UTC', created_at: FROM }).execute();
    const members: number[] = [];
    for (let m = 0; m < MEMBERS; m++) {
      members.push((await t.db.insertInto('member').values({ team_id: id, platform_user_id: `U${m}`, display_name: `m${m}`, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    await t.db.insertInto('point_event').values(members.map((m) => ({ team_id: id, member_id: m, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `k:${m}`, created_at: new Date(FROM.getTime() + 3_600_000) }))).execute();
    const channels: number[] = [];
    for (let c = 0; c < 2; c++) channels.push((await t.db.insertInto('channel').values({ team_id: id, platform_channel_id: `C${c}`, name: `c${c}` }).returning('id').executeTakeFirstOrThrow()).id);
    return { team: id, members, channels };
  }

  /** A question of the day in the channel, the day after its newest. */
  async function open(teamId: string, channelId: number, status: 'open' | 'closed' = 'open') {
    const newest = await t.db.selectFrom('round').select(sql<string | null>`max(local_date)::text`.as('d')).where('channel_id', '=', channelId).where('kind', '=', 'qotd').executeTakeFirst();
    const day = newest?.d ? new Date(Date.parse(`${newest.d}T00:00:00Z`) + 86_400_000) : new Date('2026-01-01T00:00:00Z');
    return (
      await t.db
        .insertInto('round')
        .values({ team_id: teamId, channel_id: channelId, kind: 'qotd', question_id: questionId, schedule_id: null, quiz_id: null, position: null, local_date: day.toISOString().slice(0, 10), blind: false, status, opened_at: day, closes_at: day, closed_at: status === 'closed' ? day : null, message_ref: null, thread_ref: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  /** What the board shows for each member, beside what the core counts afresh. */
  async function shown(teamId: string, members: number[]) {
    const page = await boardPage(t.db, teamId, { from: FROM, to: TO }, 10, undefined, { streaks: true });
    const board = new Map(page.top.map((r) => [r.member_id, r.streak]));
    const counted = await currentStreaks(t.db, teamId, members);
    return { board: members.map((m) => board.get(m)), counted: members.map((m) => counted.get(m)) };
  }

  async function apply(teamId: string, members: number[], channels: number[], op: Op) {
    const answersOf = () => t.db.selectFrom('answer').innerJoin('round', 'round.id', 'answer.round_id').select(['answer.id', 'answer.status', 'answer.late']).where('answer.team_id', '=', teamId).where('round.kind', '=', 'qotd').orderBy('answer.id').execute();
    const roundsOf = (channel: number, status: 'open' | 'closed') => t.db.selectFrom('round').select('id').where('channel_id', '=', channels[channel]!).where('kind', '=', 'qotd').where('status', '=', status).orderBy('local_date').execute();
    switch (op.kind) {
      case 'open':
        await open(teamId, channels[op.channel]!);
        return;
      case 'close': {
        const oldest = (await roundsOf(op.channel, 'open'))[0];
        if (oldest) await t.db.updateTable('round').set({ status: 'closed', closed_at: TO }).where('id', '=', oldest.id).execute();
        return;
      }
      case 'answer': {
        const rounds = await roundsOf(op.channel, op.closed ? 'closed' : 'open');
        const round = rounds[op.pick % Math.max(1, rounds.length)];
        if (round) {
          await t.db
            .insertInto('answer')
            .values(answerRow(teamId, round.id, members[op.member]!))
            .onConflict((c) => c.doNothing())
            .execute();
        }
        return;
      }
      case 'removeRound': {
        const rounds = await t.db.selectFrom('round').select('id').where('channel_id', '=', channels[op.channel]!).where('kind', '=', 'qotd').orderBy('local_date', 'desc').limit(1).execute();
        if (rounds[0]) await t.db.deleteFrom('round').where('id', '=', rounds[0].id).execute();
        return;
      }
      default: {
        const answers = await answersOf();
        const answer = answers[op.pick % Math.max(1, answers.length)];
        if (!answer) return;
        const target = t.db.updateTable('answer').where('id', '=', answer.id);
        if (op.kind === 'withdraw') await target.set({ status: 'withdrawn' }).execute();
        else if (op.kind === 'restore') await target.set({ status: 'active', late: false }).execute();
        else if (op.kind === 'late') await target.set({ late: true }).execute();
        else await t.db.deleteFrom('answer').where('id', '=', answer.id).execute();
      }
    }
  }

  const channel = fc.integer({ min: 0, max: 1 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('open' as const), channel }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('close' as const), channel }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('answer' as const), channel, member: fc.integer({ min: 0, max: MEMBERS - 1 }), closed: fc.boolean(), pick: fc.nat(50) }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constantFrom('withdraw' as const, 'restore' as const, 'late' as const, 'remove' as const), pick: fc.nat(50) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('removeRound' as const), channel }), weight: 1 },
  );

  it('shows on the board the streaks the core counts afresh, after any sequence of changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const { team: id, members, channels } = await team();
        // A start: three closed days each channel answered by everyone, the fourth open.
        for (const c of channels) {
          for (let d = 0; d < 3; d++) {
            const round = await open(id, c, 'closed');
            await t.db.insertInto('answer').values(members.map((m) => answerRow(id, round, m))).execute();
          }
          await open(id, c);
        }
        for (const o of ops) {
          await apply(id, members, channels, o);
          const { board, counted } = await shown(id, members);
          expect(board, JSON.stringify(o)).toEqual(counted);
        }
      }),
      { numRuns: backend === 'postgres' ? 30 : 15 },
    );
  });

  it("counts a run down when a new question pushes the oldest out of a full window of 400", async () => {
    const { team: id, members, channels } = await team();
    const c = channels[0]!;
    const days = Array.from({ length: 400 }, (_, i) => new Date(Date.parse('2025-01-01T00:00:00Z') + i * 86_400_000));
    const rounds = await t.db
      .insertInto('round')
      .values(days.map((day) => ({ team_id: id, channel_id: c, kind: 'qotd' as const, question_id: questionId, schedule_id: null, quiz_id: null, position: null, local_date: day.toISOString().slice(0, 10), blind: false, status: 'closed' as const, opened_at: day, closes_at: day, closed_at: day, message_ref: null, thread_ref: null })))
      .returning('id')
      .execute();
    await t.db.insertInto('answer').values(rounds.map((r) => answerRow(id, r.id, members[0]!))).execute();
    expect((await shown(id, members)).board).toEqual([400, 0, 0]);
    // Today's question, open: 399 closed ones are left in the window.
    const today = await open(id, c);
    expect(await shown(id, members)).toEqual({ board: [399, 0, 0], counted: [399, 0, 0] });
    await t.db.insertInto('answer').values(answerRow(id, today, members[0]!)).execute();
    await t.db.updateTable('round').set({ status: 'closed', closed_at: TO }).where('id', '=', today).execute();
    expect(await shown(id, members)).toEqual({ board: [400, 0, 0], counted: [400, 0, 0] });
  });

  it("gives the same runs from the migration's backfill as from the triggers", async () => {
    // A history of its own beside the other tests' teams: runs of 4, 2 and 0 in one channel, 1 in the other.
    const { team: id, members, channels } = await team();
    const answer = (round: number, member: number, late = false) =>
      t.db.insertInto('answer').values(answerRow(id, round, members[member]!, { late })).execute();
    for (let d = 0; d < 4; d++) {
      const round = await open(id, channels[0]!, 'closed');
      await answer(round, 0);
      if (d !== 1) await answer(round, 1);
      await answer(round, 2, d === 3);
    }
    await answer(await open(id, channels[1]!, 'closed'), 2);
    await open(id, channels[0]!);
    expect((await shown(id, members)).board).toEqual([4, 2, 1]);
    const kept = await sql<{ team_id: string; member_id: number; channel_id: number; run: number }>`select team_id, member_id, channel_id, run from qotd_streak order by 1, 2, 3`.execute(t.db);
    expect(kept.rows.length).toBeGreaterThan(0);
    // As the migrator runs it: in a transaction.
    await t.db.transaction().execute(async (trx) => {
      await down(trx);
      await up(trx);
    });
    const backfilled = await sql<{ team_id: string; member_id: number; channel_id: number; run: number }>`select team_id, member_id, channel_id, run from qotd_streak order by 1, 2, 3`.execute(t.db);
    expect(backfilled.rows).toEqual(kept.rows);
  });

  describe.skipIf(!TEST_DATABASE_URL)('two transactions at once (real Postgres)', () => {
    let other: Connected;
    beforeAll(async () => {
      other = await t.another();
    });
    afterAll(async () => other?.close());

    /** Waits until a transaction waits for the channel's streak lock (a close behind an answer writer, or the reverse). */
    const waitingOn = (channel: number) =>
      expect
        .poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
          and database = (select oid from pg_database where datname = current_database()) and objsubid = 2 and objid = ${channel}::oid`.execute(t.db)).rows[0]!.n, { timeout: 10_000 })
        .toBe(1);

    it('never counts an answer removed while its question was being closed', async () => {
      const { team: id, members, channels } = await team();
      const c = channels[0]!;
      const round = await open(id, c);
      await t.db.insertInto('answer').values(answerRow(id, round, members[1]!)).execute();
      // The member's answer is removed (as "forget me" does, without a lock on the question) and the
      // transaction stays open while another closes the question.
      const remove = heldOpen(t.db, (trx) => trx.deleteFrom('answer').where('round_id', '=', round).where('member_id', '=', members[1]!).execute());
      await remove.written;
      const close = other.db.updateTable('round').set({ status: 'closed', closed_at: TO }).where('id', '=', round).execute();
      await waitingOn(c);
      remove.release();
      await Promise.all([remove.done, close]);
      expect(await shown(id, members)).toEqual({ board: [0, 0, 0], counted: [0, 0, 0] });
    });

    it('counts both questions when two transactions close questions of one channel at once', async () => {
      const { team: id, members, channels } = await team();
      const c = channels[0]!;
      const rounds: number[] = [];
      for (let d = 0; d < 5; d++) {
        const round = await open(id, c, d < 3 ? 'closed' : 'open');
        rounds.push(round);
        await t.db.insertInto('answer').values(answerRow(id, round, members[0]!)).execute();
      }
      // The first closes day 4 and holds its transaction open; the second closes day 5 meanwhile.
      const first = heldOpen(t.db, (trx) => trx.updateTable('round').set({ status: 'closed', closed_at: TO }).where('id', '=', rounds[3]!).execute());
      await first.written;
      const second = other.db.updateTable('round').set({ status: 'closed', closed_at: TO }).where('id', '=', rounds[4]!).execute();
      // The second waits for the first's channel lock (without it, each would count without the other's question).
      await waitingOn(c);
      first.release();
      await Promise.all([first.done, second]);
      const { board, counted } = await shown(id, members);
      expect(counted[0]).toBe(5);
      expect(board).toEqual(counted);
    });
  });
});
