/**
 * Current streaks, as the board shows them beside each name and the weekly recap counts them, against
 * the definition written out plainly: per channel, the 400 newest questions of the day (open ones
 * included), newest first; open ones count for nothing; closed ones answered on time (active, not late)
 * until the first one missed. The best channel's run. And `/dojo stats`'s best: the longest run ever.
 * Random histories (fast-check), and one channel longer than the window.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentRun, currentStreaks, longestRun } from '../../src/core/streaks.js';
import { boardPage } from '../../src/db/repos/boards.js';
import { memberStats } from '../../src/db/repos/member-stats.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const FROM = new Date('2026-11-23T00:00:00Z');
const TO = new Date('2026-11-30T00:00:00Z');
type Reply = 'none' | 'on-time' | 'late' | 'withdrawn';
interface Day {
  open: boolean;
  replies: Reply[]; // one per member
}

/** The longest run ever: closed days answered on time in a row, in any one channel. */
function best(channels: Day[][], member: number): number {
  let most = 0;
  for (const days of channels) {
    let run = 0;
    for (const day of days) {
      if (day.open) continue;
      run = day.replies[member] === 'on-time' ? run + 1 : 0;
      most = Math.max(most, run);
    }
  }
  return most;
}

/** The definition, from the history as written (each channel's days oldest first). */
function expected(channels: Day[][], member: number): number {
  let best = 0;
  for (const days of channels) {
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

describe(`current streaks on ${backend}`, () => {
  let t: TestDb;
  let questionId: number;
  let teams = 0;

  beforeAll(async () => {
    t = await testDb();
    questionId = (
      await t.db
        .insertInto('question')
        .values({ team_id: null, external_id: 'streak-q', pack: 'databases', kind: 'open', category: 'technical', difficulty: 'beginner', topics: ['databases'], prompt: 'What is an index?', key_points: '[]', reference_answer: 'A sorted structure.', star_guide: null, options: null, explanation: null, status: 'active', source: 'builtin', content_hash: 'h', created_by: null, decided_by: null, retired_at: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t?.close());

  /** A new team with these channels' histories and `members` members, each with a point this week so the board lists them. */
  async function history(channels: Day[][], members: number): Promise<{ team: string; ids: number[] }> {
    const team = `memory:streaks${++teams}`;
    await t.db.insertInto('team').values({ id: team, platform: 'memory', external_id: team, name: 'S', timezone: 'UTC', created_at: FROM }).execute();
    const ids: number[] = [];
    for (let m = 0; m < members; m++) {
      ids.push((await t.db.insertInto('member').values({ team_id: team, platform_user_id: `U${m}`, display_name: `m${m}`, role: 'member', platform_admin: false, forgotten_at: null }).returning('id').executeTakeFirstOrThrow()).id);
    }
    await t.db.insertInto('point_event').values(ids.map((id) => ({ team_id: team, member_id: id, channel_id: null, round_id: null, answer_id: null, kind: 'correct' as const, points: 1, event_key: `p:${id}`, created_at: new Date(FROM.getTime() + 3_600_000) }))).execute();
    for (const [c, days] of channels.entries()) {
      const channel = (await t.db.insertInto('channel').values({ team_id: team, platform_channel_id: `C${c}`, name: `c${c}` }).returning('id').executeTakeFirstOrThrow()).id;
      if (days.length === 0) continue;
      const rounds = await t.db
        .insertInto('round')
        .values(days.map((d, i) => ({
          team_id: team, channel_id: channel, kind: 'qotd' as const, question_id: questionId, schedule_id: null, quiz_id: null, position: null,
          local_date: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), blind: false, status: d.open ? ('open' as const) : ('closed' as const),
          closes_at: FROM, closed_at: d.open ? null : FROM, message_ref: null, thread_ref: null,
        })))
        .returning('id')
        .execute();
      const answers = days.flatMap((d, i) =>
        d.replies.flatMap((reply, m) =>
          reply === 'none' ? [] : [{ team_id: team, round_id: rounds[i]!.id, member_id: ids[m]!, body: 'x', choice_index: null, response_ms: null, status: reply === 'withdrawn' ? ('withdrawn' as const) : ('active' as const), late: reply === 'late', review_status: 'none' as const, claimed_by: null, claim_expires_at: null, reminded_at: null }],
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

  it('shows on the board and in the recap what the definition gives, for any history', async () => {
    const MEMBERS = 3;
    const reply = fc.constantFrom<Reply>('on-time', 'on-time', 'on-time', 'none', 'late', 'withdrawn');
    const day = fc.record({ open: fc.integer({ min: 0, max: 5 }).map((n) => n === 0), replies: fc.array(reply, { minLength: MEMBERS, maxLength: MEMBERS }) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(day, { maxLength: 10 }), { maxLength: 3 }), async (channels) => {
        const { team, ids } = await history(channels, MEMBERS);
        const want = ids.map((_, m) => expected(channels, m));
        expect(await shown(team, ids)).toEqual({ board: want, recap: want, stats: want, best: ids.map((_, m) => best(channels, m)) });
      }),
      { numRuns: backend === 'postgres' ? 60 : 30 },
    );
  });

  it('counts a run no further back than the 400 newest questions of the day in a channel', async () => {
    const allAnswered = (n: number, open: (i: number) => boolean): Day[] => Array.from({ length: n }, (_, i) => ({ open: open(i), replies: ['on-time', i === 0 ? 'none' : 'on-time'] }));
    // 405 days answered (the newest open); another channel with a short run that a missed day ends.
    const long = allAnswered(405, (i) => i === 404);
    const short: Day[] = [...allAnswered(5, () => false).map((d) => ({ ...d, replies: ['none', 'none'] as Reply[] })), ...allAnswered(3, () => false)];
    const { team, ids } = await history([long, short], 2);
    const want = [expected([long, short], 0), expected([long, short], 1)];
    expect(want).toEqual([399, 399]);
    expect(await shown(team, ids)).toEqual({ board: want, recap: want, stats: want, best: [404, 403] });
  });
});
