/**
 * Current streaks, as the board shows them beside each name and the weekly recap counts them, against
 * the definition written out plainly: per channel, the 400 newest questions of the day (open ones
 * included), newest first; open ones count for nothing; closed ones answered on time (active, not late)
 * until the first one missed. The best channel's run. And `/dojo stats`'s best: the longest run ever.
 * Random histories (fast-check): rounds stored in any order, dates with gaps, practice rounds in the same
 * channels (which count for nothing), and channels around the window's 400.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentRun, currentStreaks, longestRun } from '../../src/core/streaks.js';
import { boardPage } from '../../src/db/repos/boards.js';
import { memberStats } from '../../src/db/repos/member-stats.js';
import { insertQuestion } from '../helpers/rows.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');
type Reply = 'none' | 'on-time' | 'late' | 'withdrawn';
interface Day {
  open: boolean;
  replies: Reply[]; // one per member
  /** Days since the channel's previous question (unscheduled days between). */
  gap: number;
}
interface Channel {
  days: Day[]; // oldest first
  /** Practice rounds in the same channel, answered on time by these members. */
  practice: Reply[][];
}

/** The definition, from the history as written. */
function expected(channels: Channel[], member: number): number {
  let best = 0;
  for (const { days } of channels) {
    let run = 0;
    for (const day of days.slice(-400).reverse()) {
      if (day.open) continue;
      if (day.replies[member] !== 'on-time') break;
      run++;
    }
    best = Math.max(best, run);
  }
  return best;
}

/** The longest run ever: closed days answered on time in a row, in any one channel. */
function best(channels: Channel[], member: number): number {
  let most = 0;
  for (const { days } of channels) {
    let run = 0;
    for (const day of days) {
      if (day.open) continue;
      run = day.replies[member] === 'on-time' ? run + 1 : 0;
      most = Math.max(most, run);
    }
  }
  return most;
}

/** A permutation of 0..n-1 from a seed (Fisher–Yates over mulberry32). */
function shuffled(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe(`current streaks on ${backend}`, () => {
  let t: TestDb;
  let questionId: number;
  let teams = 0;

  beforeAll(async () => {
    t = await testDb();
    questionId = await insertQuestion(t.db, 'streak-q');
  });
  afterAll(async () => t?.close());

  /**
   * A new team with these channels' histories and `members` members, each with a point this week so the
   * board lists them. The rounds go in, and are opened, in an order of their own (`seed`), not by date.
   */
  async function history(channels: Channel[], members: number, seed: number): Promise<{ team: string; ids: number[] }> {
    const team = `memory:streaks${++teams}`;
    await t.db.insertInto('team').values({ id: team, platform: 'memory', external_id: team, name: 'S', timezone: 'UTC', created_at: FROM }).execute();
    const ids: number[] = [];
    for (let m = 0; m < members; m++) {
      ids.push((await t.db.insertInto('member').values({ team_id: team, platform_user_id: `U${m}`, display_name: `m${m}`, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    await t.db.insertInto('point_event').values(ids.map((id) => ({ team_id: team, member_id: id, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `p:${id}`, created_at: new Date(FROM.getTime() + 3_600_000) }))).execute();
    for (const [c, channel] of channels.entries()) {
      const channelId = (await t.db.insertInto('channel').values({ team_id: team, platform_channel_id: `C${c}`, name: `c${c}` }).returning('id').executeTakeFirstOrThrow()).id;
      let day = Date.UTC(2025, 0, 1);
      const rows = [
        ...channel.days.map((d) => ({ kind: 'qotd' as const, local_date: new Date((day += d.gap * 86_400_000)).toISOString().slice(0, 10), open: d.open, replies: d.replies })),
        ...channel.practice.map((replies) => ({ kind: 'practice' as const, local_date: null, open: false, replies })),
      ];
      if (rows.length === 0) continue;
      const order = shuffled(rows.length, seed + c);
      const rounds = await t.db
        .insertInto('round')
        .values(order.map((i, k) => ({
          team_id: team, channel_id: channelId, kind: rows[i]!.kind, question_id: questionId, schedule_id: null, quiz_id: null, position: null,
          local_date: rows[i]!.local_date, blind: false, status: rows[i]!.open ? ('open' as const) : ('closed' as const),
          opened_at: new Date(FROM.getTime() - 86_400_000 * (1 + k)), closes_at: FROM, closed_at: rows[i]!.open ? null : FROM, message_ref: null, thread_ref: null,
        })))
        .returning('id')
        .execute();
      const answers = order.flatMap((i, k) =>
        rows[i]!.replies.flatMap((reply, m) =>
          reply === 'none' ? [] : [{ team_id: team, round_id: rounds[k]!.id, member_id: ids[m]!, body: 'x', choice_index: null, response_ms: null, status: reply === 'withdrawn' ? ('withdrawn' as const) : ('active' as const), late: reply === 'late', review_status: 'none' as const, claimed_by: null, claim_expires_at: null, reminded_at: null }],
        ),
      );
      if (answers.length > 0) await t.db.insertInto('answer').values(answers).execute();
    }
    return { team, ids };
  }

  /** What the board, the recap and `/dojo stats` (now and best) show for each member. */
  async function shown(team: string, ids: number[]): Promise<{ board: number[]; recap: number[]; stats: number[]; best: number[] }> {
    const page = await boardPage(t.db, team, { from: FROM, to: TO }, 10, undefined, { streaks: true });
    const byMember = new Map(page.top.map((r) => [r.member_id, r.streak]));
    const recap = await currentStreaks(t.db, team, ids);
    const stats = await Promise.all(ids.map((id) => memberStats(t.db, team, id, [], 10)));
    return {
      board: ids.map((id) => byMember.get(id) ?? -1),
      recap: ids.map((id) => recap.get(id) ?? -1),
      stats: stats.map((s) => currentRun(s.qotd)),
      best: stats.map((s) => longestRun(s.qotd)),
    };
  }

  const MEMBERS = 3;
  const reply = fc.constantFrom<Reply>('on-time', 'on-time', 'on-time', 'none', 'late', 'withdrawn');
  const replies = fc.array(reply, { minLength: MEMBERS, maxLength: MEMBERS });
  const day = (openOneIn: number) => fc.record({ open: fc.integer({ min: 0, max: openOneIn - 1 }).map((n) => n === 0), replies, gap: fc.integer({ min: 1, max: 3 }) });
  const channel = (days: fc.Arbitrary<Day[]>) => fc.record({ days, practice: fc.array(replies, { maxLength: 3 }) });
  const check = async (channels: Channel[], seed: number) => {
    const { team, ids } = await history(channels, MEMBERS, seed);
    const want = ids.map((_, m) => expected(channels, m));
    expect(await shown(team, ids)).toEqual({ board: want, recap: want, stats: want, best: ids.map((_, m) => best(channels, m)) });
  };

  it('shows on the board, in the recap and in stats what the definition gives, for any history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(channel(fc.array(day(6), { maxLength: 10 })), { maxLength: 3 }), fc.integer(), check),
      { numRuns: backend === 'postgres' ? 60 : 30 },
    );
  });

  it('counts a run no further back than the 400 newest questions of the day in a channel', async () => {
    // 395-410 days, mostly answered, a run of open ones at the newest end now and then, a miss anywhere.
    const long = fc
      .tuple(fc.integer({ min: 395, max: 410 }), fc.integer({ min: 0, max: 12 }), fc.array(fc.nat(409), { maxLength: 2 }), fc.array(fc.nat(409), { maxLength: 3 }))
      .map(([n, openAtEnd, misses, opens]) =>
        Array.from({ length: n }, (_, i): Day => ({
          open: i >= n - openAtEnd || opens.includes(i),
          replies: Array.from({ length: MEMBERS }, (_, m): Reply => (m === 1 && i === misses[0] ? 'late' : misses.includes(i) && m !== 2 ? 'none' : 'on-time')),
          gap: 1 + (i % 2),
        })),
      );
    await fc.assert(fc.asyncProperty(fc.array(channel(long), { minLength: 1, maxLength: 2 }), fc.integer(), check), { numRuns: backend === 'postgres' ? 8 : 5 });
    // And one written out: 405 days answered (the newest open), beside a short run a missed day ends.
    const all = (n: number, open: (i: number) => boolean): Day[] => Array.from({ length: n }, (_, i) => ({ open: open(i), replies: ['on-time', i === 0 ? 'none' : 'on-time', 'none'], gap: 1 }));
    const short: Day[] = [...all(5, () => false).map((d) => ({ ...d, replies: ['none', 'none', 'none'] as Reply[] })), ...all(3, () => false)];
    const channels: Channel[] = [{ days: all(405, (i) => i === 404), practice: [] }, { days: short, practice: [['on-time', 'on-time', 'on-time']] }];
    const { team, ids } = await history(channels, MEMBERS, 7);
    expect(await shown(team, ids)).toEqual({ board: [399, 399, 0], recap: [399, 399, 0], stats: [399, 399, 0], best: [404, 403, 0] });
  });
});
