/**
 * The boards beside the points board, with hand-computed expectations: most improved (a newcomer tops it),
 * personal bests, and channels by points per active member. A correct one-question choice answered at
 * once scores 12 (2 + 5 + 5 for speed), a wrong one 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz, harness, type Harness, type Seen } from '../helpers/dojo.js';

const table = (out: Seen | undefined) => {
  const t = out?.blocks?.find((b) => b.type === 'table');
  return t && t.type === 'table' ? [t.columns, ...t.rows] : [];
};
const advanceTo = (h: Harness, at: string) => h.advance(new Date(at).getTime() - h.clock.now().getTime());

describe(`most improved, personal bests and channels on ${backend}`, () => {
  let h: Harness;
  let [bob, cy, dan, eve]: UserRef[] = [];
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z'), timezone: 'Europe/Berlin' }); // Monday
    [bob, cy, dan, eve] = ['bob', 'cy', 'dan', 'eve'].map((n) => h.user(n));
  });
  afterAll(async () => h.close());

  it('ranks improvement over the member’s own previous week; a newcomer compares with 0 and can top it', async () => {
    // Week of 23 Nov: bob 12, cy 12, dan 2.
    await choiceQuiz(h, bob, [[bob, true], [cy, true], [dan, false]]);
    // Week of 30 Nov (Berlin): bob 2, cy 12, dan 12, eve (new) 12 + 12 = 24.
    await advanceTo(h, '2026-11-30T08:00:00Z');
    await choiceQuiz(h, bob, [[bob, false], [cy, true], [dan, true], [eve, true]]);
    await choiceQuiz(h, eve, [[eve, true]]);

    const out = await h.seen(bob, 'leaderboard board:improved');
    expect(out?.text.split('\n')[0]).toBe('Most improved · This week');
    // eve +24 (against 0), dan +10 (12 against 2); cy (+0) and bob (−10) did not improve.
    expect(table(out)).toEqual([
      ['#', 'Member', 'This week', 'Last week', 'Change'],
      ['1', 'eve', '24', '0', '+24'],
      ['2', 'dan', '12', '2', '+10'],
    ]);
    // November against October (nothing): everyone who scored improved by all of it.
    expect(table(await h.seen(bob, 'leaderboard month board:improved')).slice(1).map((r) => [r[1], r[4]])).toEqual([['cy', '+24'], ['eve', '+24'], ['bob', '+14'], ['dan', '+14']]);
    expect(await h.said(bob, 'leaderboard all board:improved')).toMatch(/^board:improved compares weeks or months: say week or month\./);
  });

  it('compares this week with each member’s best earlier week', async () => {
    // Week of 7 Dec: bob 12 (his best is 12), dan 12 + 12 = 24 (best 12), eve 2 (best 24).
    await advanceTo(h, '2026-12-07T08:00:00Z');
    await choiceQuiz(h, bob, [[bob, true], [dan, true], [eve, false]]);
    await choiceQuiz(h, dan, [[dan, true]]);
    expect(table(await h.seen(cy, 'leaderboard board:best'))).toEqual([
      ['#', 'Member', 'This week', 'Best week', 'Against best'],
      ['1', 'dan', '24', '12', '+12 new best!'],
      ['2', 'bob', '12', '12', 'equals best'],
      ['3', 'eve', '2', '24', '22 to go'],
    ]);
  });

  it('ranks channels by points per active member, so a big channel with many idle members does not win by size', async () => {
    await advanceTo(h, '2026-12-14T08:00:00Z');
    const crowd = Array.from({ length: 6 }, (_, i) => h.user(`c${i + 1}`));
    const idle = Array.from({ length: 8 }, (_, i) => h.user(`idle${i + 1}`));
    // #c1: 6 answer (2 right: 24, 4 wrong: 8): 32 points over 6 active = 5.3. Its 8 idle members only look at boards.
    await choiceQuiz(h, crowd[0]!, crowd.map((u, i): [UserRef, boolean] => [u, i < 2]));
    for (const u of idle) await h.cmd(u, 'leaderboard', 'C1');
    // #c2: 2 answer, both right: 24 points over 2 active = 12.0.
    await choiceQuiz(h, cy, [[cy, true], [bob, true]], { channel: 'C2' });
    expect(table(await h.seen(bob, 'leaderboard board:channels'))).toEqual([
      ['#', 'Channel', 'Per member', 'Active', 'Points'],
      ['1', '#c2', '12.0', '2', '24'],
      ['2', '#c1', '5.3', '6', '32'],
    ]);
    // All time, #c1 also has the three earlier weeks (26 + 50 + 38): 146 points over 10 active = 14.6, ahead of #c2.
    expect(table(await h.seen(bob, 'leaderboard all board:channels')).slice(1)).toEqual([
      ['1', '#c1', '14.6', '10', '146'],
      ['2', '#c2', '12.0', '2', '24'],
    ]);
  });
});
