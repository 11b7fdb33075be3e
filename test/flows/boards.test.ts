/**
 * Leaderboards and stats as members see them: periods in the team's time zone, channel and team
 * scopes, the top 10 with the caller's own rank, personal stats, and question-of-the-day streaks.
 * Several teams share one database here, each with its own clock and time zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz, harness, HOUR, type Harness, type Seen } from '../helpers/dojo.js';

/** The board's table as [member, points] pairs. */
function board(out: Seen | undefined): [string, number][] {
  const table = out?.blocks?.find((b) => b.type === 'table');
  return table && table.type === 'table' ? table.rows.map((r) => [r[1]!, Number(r[2])]) : [];
}

/** A one-question choice quiz: each listed member picks the right or a wrong option; then it closes. */

const advanceTo = (h: Harness, at: string) => h.advance(new Date(at).getTime() - h.clock.now().getTime());

describe(`leaderboards and stats on ${backend}`, () => {
  let h: Harness;
  let bob: UserRef;
  let cy: UserRef;
  let dan: UserRef;
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') }); // Monday, UTC team
    bob = h.user('bob');
    cy = h.user('cy');
    dan = h.user('dan');
  });
  afterAll(async () => h.close());

  it('counts points in this week, month or all time, team-wide or in one channel', async () => {
    await choiceQuiz(h, bob, [[bob, true]], { topic: 'databases' }); // Mon 23 Nov, C1: 2 + 5 + 5
    await advanceTo(h, '2026-11-30T07:00:00Z'); // the next Monday
    await choiceQuiz(h, cy, [[cy, true], [dan, false]], { channel: 'C2' });

    const week = await h.seen(cy, 'leaderboard', 'C2');
    expect(week?.where).toBe('channel');
    expect(week?.text).toMatch(/^Leaderboard · This week\n/);
    expect(board(week)).toEqual([['cy', 12], ['dan', 2]]);
    expect(board(await h.seen(cy, 'leaderboard week team', 'C1'))).toEqual([['cy', 12], ['dan', 2]]);
    expect(board(await h.seen(cy, 'leaderboard month'))).toEqual([['bob', 12], ['cy', 12], ['dan', 2]]);
    expect(board(await h.seen(cy, 'leaderboard all'))).toEqual([['bob', 12], ['cy', 12], ['dan', 2]]);

    const inC1 = await h.seen(cy, 'leaderboard all channel', 'C1');
    expect(inC1?.text).toMatch(/^Leaderboard · All time in #c1\n/);
    expect(board(inC1)).toEqual([['bob', 12]]);
    expect(board(await h.seen(cy, 'leaderboard channel all', 'C2'))).toEqual([['cy', 12], ['dan', 2]]);
    expect(board(await h.seen(cy, 'leaderboard channel', 'C1'))).toEqual([]);
    expect((await h.said(cy, 'leaderboard channel', 'C1'))).toBe('Leaderboard · This week in #c1\nNo points yet. Answer a question to get on the board!');
    expect((await h.said(cy, 'leaderboard season'))).toMatch(/^No season is running\./);
    expect((await h.said(cy, 'leaderboard forever'))).toMatch(/^"forever" is not a period/);
  });

  it('shows answers, average review, strongest and weakest topic, streak and rank in stats', async () => {
    const mo = h.user('mo');
    await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'mentor add <@U_mo>');
    // An open security question that bob answers and a mentor scores 2/4 on each criterion.
    await h.cmd(bob, 'quiz kind:open topic:security count:1 seconds:60');
    const thread = h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread).at(-1)!.ref;
    await h.reply(bob, thread, 'Hash passwords with a slow, salted hash.');
    await h.advance(60_000);
    const modal = (await h.cmd(mo, 'review')).modal!;
    const values: Record<string, string> = { feedback: 'Name the algorithm next time.' };
    for (const f of modal.fields) if (f.type === 'select') values[f.id] = '2';
    await h.submit(mo, modal.id, values);

    const out = await h.cmd(cy, 'stats <@U_bob>');
    expect(out.reply?.visibility).toBe('ephemeral');
    // A correct choice (100%) against a 6/12 review (50%), in two areas (a question's first topic).
    const bobs = await areas('bob');
    expect(bobs.choice).not.toBe(bobs.open);
    expect(out.reply?.text).toMatch(
      new RegExp(
        [
          'Stats for bob',
          'Answers: 2 · Points: 20 · Rank: #1 of 3 · Average review: 6\\.0/12 \\(1\\) · Streak: 0 now, best 0',
          `Strongest: ${bobs.choice} · Weakest: ${bobs.open}`,
          // Beside the scores, how much of each topic's practice they would recall now (both were just reviewed).
          'Topic +Scored +Recall now',
          `${bobs.choice} +100% \\(1\\) +\\d+% \\(1\\)`,
          `${bobs.open} +50% \\(1\\) +\\d+% \\(1\\)`,
          // The chart follows the words as its own private delivery.
          'Your chart follows in a moment\\.$',
        ].join('\n'),
      ),
    );
    const own = await h.cmd(dan, 'stats');
    expect(own.reply?.text).toMatch(new RegExp(`^${['Stats for dan', 'Answers: 1 · Points: 2 · Rank: #3 of 3 · Average review: no reviews yet · Streak: 0 now, best 0', `Scored so far in: ${(await areas('dan')).choice}`].join('\n')}\nTopic`));
    expect((await h.cmd(dan, 'stats <@U_nobody>')).reply?.text).toBe('I have no stats for them yet.');
  });

  /** The area (first topic) of the questions a member of Team One answered, by kind. */
  async function areas(name: string): Promise<Record<string, string>> {
    const rows = await h.t.db
      .selectFrom('answer')
      .innerJoin('member', 'member.id', 'answer.member_id')
      .innerJoin('round', 'round.id', 'answer.round_id')
      .innerJoin('question', 'question.id', 'round.question_id')
      .select(['question.kind', 'question.topics'])
      .where('member.display_name', '=', name)
      .where('answer.team_id', '=', 'memory:T1')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.kind, r.topics[0]!]));
  }

  it('starts the week at Monday 00:00 in the team’s time zone, not in UTC', async () => {
    // Sunday 29 Nov, 23:59 in New York is already Monday 04:59 in UTC.
    const ny = await harness({ db: h.t, team: { platform: 'memory', id: 'NY', name: 'New York' }, timezone: 'America/New_York', start: new Date('2026-11-30T04:59:00Z') });
    const [ann, ben] = [ny.user('ann'), ny.user('ben')];
    await choiceQuiz(ny, ann, [[ann, true]]); // closes Sun 23:59:10 local
    await advanceTo(ny, '2026-11-30T05:00:30Z'); // Mon 00:00:30 local
    await choiceQuiz(ny, ben, [[ben, false]]); // closes Mon 00:00:40 local
    expect(board(await ny.seen(ben, 'leaderboard week'))).toEqual([['ben', 2]]);
    expect(board(await ny.seen(ben, 'leaderboard all'))).toEqual([['ann', 12], ['ben', 2]]);
    // Tuesday 1 Dec, 04:30 UTC is still Monday 30 Nov in New York: still November's board.
    await advanceTo(ny, '2026-12-01T04:30:00Z');
    expect(board(await ny.seen(ben, 'leaderboard month'))).toEqual([['ann', 12], ['ben', 2]]);
    expect(board(await ny.seen(ben, 'leaderboard week'))).toEqual([['ben', 2]]);
    await advanceTo(ny, '2026-12-01T05:00:00Z'); // December in New York
    expect(board(await ny.seen(ben, 'leaderboard month'))).toEqual([]);
  });

  it('shows the top 10 and, to someone further down, their own rank and points', async () => {
    const top = await harness({ db: h.t, team: { platform: 'memory', id: 'TOP', name: 'Twelve' }, start: new Date('2026-12-02T10:00:00Z') });
    const members = Array.from({ length: 11 }, (_, i) => top.user(`m${String(i + 1).padStart(2, '0')}`));
    const zed = top.user('zed');
    await choiceQuiz(top, zed, [...members.map((m): [UserRef, boolean] => [m, true]), [zed, false]]);

    const mine = await top.seen(zed, 'leaderboard');
    expect(board(mine)).toEqual(members.slice(0, 10).map((m) => [m.name, 12]));
    expect(mine?.text).toMatch(/\nYou: #12 with 2 points\.$/);
    // Tied with the ten shown, m11 shares their rank.
    expect((await top.said(members[10]!, 'leaderboard'))).toMatch(/\nYou: #1 with 12 points\.$/);
    expect((await top.said(members[0]!, 'leaderboard'))).not.toContain('You:');
    expect(await top.said(top.user('amy'), 'leaderboard')).toMatch(/\nYou are not on this board yet\.$/);
  });

  it('counts consecutive scheduled days answered as a streak; unscheduled days do not break it', async () => {
    const s = await harness({ db: h.t, team: { platform: 'memory', id: 'STREAK', name: 'Streakers' }, start: new Date('2026-11-23T07:00:00Z') });
    const admin = s.user('ada', { isPlatformAdmin: true });
    const [ava, cal, dex] = [s.user('ava'), s.user('cal'), s.user('dex')];
    const set = await s.said(admin, 'schedule set days:mon,wed,fri time:09:00 tz:UTC window:2h kind:open');
    expect(set).toMatch(/^Saved\. Question of the day: Mon, Wed, Fri at 09:00 UTC/);
    const days: [string, UserRef[]][] = [
      ['2026-11-23', [ava, cal, dex]], // Mon
      ['2026-11-25', [ava, dex]], // Wed: cal misses it
      ['2026-11-27', [ava, cal]], // Fri: dex misses it
      ['2026-11-30', [ava, cal, dex]], // Mon, after a weekend without questions
    ];
    for (const [day, who] of days) {
      await advanceTo(s, `${day}T09:00:00Z`);
      const card = s.chat.sent.filter((m) => m.kind === 'post' && m.text.startsWith('Question of the day')).at(-1)!;
      expect(card.text).toMatch(/Closes: \w{3} \d+ \w{3}, 11:00 UTC/);
      for (const u of who) await s.reply(u, card.ref, `${u.name}'s answer on ${day}`);
      await s.advance(2 * HOUR);
    }
    const streak = async (u: UserRef) => /Streak: ([^·\n]+)/.exec((await s.cmd(u, 'stats')).reply?.text ?? '')?.[1]?.trim();
    expect(await streak(ava)).toBe('4 now, best 4');
    expect(await streak(cal)).toBe('2 now, best 2');
    expect(await streak(dex)).toBe('1 now, best 2');

    // The streak bonus: one point per consecutive scheduled day before this one.
    const bonus = await h.t.db
      .selectFrom('point_event')
      .innerJoin('member', 'member.id', 'point_event.member_id')
      .select(['member.display_name', 'point_event.points'])
      .where('point_event.team_id', '=', 'memory:STREAK')
      .where('point_event.kind', '=', 'streak')
      .orderBy('point_event.id')
      .execute();
    expect(bonus).toEqual([
      { display_name: 'ava', points: 1 },
      { display_name: 'dex', points: 1 },
      { display_name: 'ava', points: 2 },
      { display_name: 'ava', points: 3 },
      { display_name: 'cal', points: 1 },
    ]);
    const out = await s.seen(ava, 'leaderboard all');
    const table = out?.blocks?.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => [r[1], r[4]])).toEqual([['ava', '4'], ['cal', '2'], ['dex', '1']]);

    // Today's question, still open and not yet answered, does not break it; missing it does.
    await advanceTo(s, '2026-12-02T09:30:00Z');
    expect(await streak(ava)).toBe('4 now, best 4');
    await advanceTo(s, '2026-12-02T11:00:00Z');
    expect(await streak(ava)).toBe('0 now, best 4');
    await s.cmd(admin, 'schedule off');
  });
});
