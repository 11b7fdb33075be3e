/**
 * Leagues with hand-computed expectations: 12 members placed by recent score into two leagues of 6, the
 * league board a member sees by default, a mid-season joiner in the lowest league, and the moves at the
 * season's end with ties at both lines, carried into the next season. A correct one-question choice
 * answered at once scores 12, a wrong one 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/core/ports.js';
import { formLeagues, movesFor, settleLeague } from '../../src/core/leagues.js';
import { placementsOf } from '../../src/db/repos/leagues.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz, harness, HOUR, type Harness, type Seen } from '../helpers/dojo.js';

const names = (out: Seen | undefined) => {
  const t = out?.blocks?.find((b) => b.type === 'table');
  return t && t.type === 'table' ? t.rows.map((r) => `${r[1]} ${r[2]}`) : [];
};

describe('league rules', () => {
  it('cuts members into leagues of at most 10, as even as possible, the best on top', () => {
    const tiers = (n: number) => formLeagues(Array.from({ length: n }, (_, i) => i)).map((p) => p.tier);
    expect(tiers(3)).toEqual([0, 0, 0]);
    expect(tiers(12)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(tiers(21).filter((t) => t === 2)).toHaveLength(7);
    expect([2, 3, 6, 10, 30].map(movesFor)).toEqual([0, 1, 2, 3, 3]);
  });

  it('moves everyone tied at the promotion line up and nobody tied at the relegation line down', () => {
    const row = (name: string, points: number, i: number) => ({ member_id: i, display_name: name, points });
    const middle = [['a', 30], ['b', 20], ['c', 20], ['d', 20], ['e', 5], ['f', 5]].map(([n, p], i) => row(String(n), Number(p), i));
    // Middle league of 3 (tier 1 of 0-2), 6 members: 2 move. Ranks 1, 2, 2, 2, 5, 5.
    expect(settleLeague(middle, 1, 2).map((m) => `${m.display_name}${m.rank}:${m.next_tier}`)).toEqual(['a1:2', 'b2:2', 'c2:2', 'd2:2', 'e5:0', 'f5:0']);
    const tied = [['a', 30], ['b', 20], ['c', 10], ['d', 5], ['e', 5], ['f', 5]].map(([n, p], i) => row(String(n), Number(p), i));
    // Ranks 1, 2, 3, 4, 4, 4: the relegation line (rank > 4) falls inside a tie, so nobody goes down.
    expect(settleLeague(tied, 1, 2).map((m) => m.next_tier)).toEqual([2, 2, 1, 1, 1, 1]);
    // The top league promotes nobody; the bottom relegates nobody.
    expect(settleLeague(tied, 2, 2).map((m) => m.next_tier)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(settleLeague(middle, 0, 2).map((m) => m.next_tier)).toEqual([1, 1, 1, 1, 0, 0]);
  });
});

describe(`leagues in a season on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  let m: UserRef[];
  let nia: UserRef;
  const right = (...us: UserRef[]) => us.map((u): [UserRef, boolean] => [u, true]);
  const wrong = (...us: UserRef[]) => us.map((u): [UserRef, boolean] => [u, false]);
  const seasonIds = () => h.t.db.selectFrom('season').select('id').orderBy('id').execute();
  const placed = async (i: number) => (await placementsOf(h.t.db, (await seasonIds())[i]!.id)).map((p) => `${p.display_name}:${p.tier}${p.next_tier === null ? '' : `>${p.next_tier}`}`);

  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
    ada = h.user('ada', { isPlatformAdmin: true });
    m = Array.from({ length: 12 }, (_, i) => h.user(`m${String(i + 1).padStart(2, '0')}`));
    nia = h.user('nia');
  });
  afterAll(async () => h.close());

  it('places members by recent score in leagues of 6 and 6 when a season starts', async () => {
    // m01-m06 right (12 each), m07-m12 wrong (2 each).
    await choiceQuiz(h, ada, [...right(...m.slice(0, 6)), ...wrong(...m.slice(6))]);
    await h.advance(60_000);
    const start = await h.said(ada, 'season start Cup until:2026-12-31');
    expect(start).toBe('Season "Cup" has started! It runs until Fri 1 Jan, 00:00 UTC. /dojo leaderboard season shows the race. Everyone who scored lately is placed in one of 2 leagues (Silver is the top): /dojo leaderboard shows yours.');
    expect(await placed(0)).toEqual(['m01:1', 'm02:1', 'm03:1', 'm04:1', 'm05:1', 'm06:1', 'm07:0', 'm08:0', 'm09:0', 'm10:0', 'm11:0', 'm12:0']);
  });

  it('shows each member their league’s board by default, and everyone with board:all', async () => {
    await h.advance(HOUR);
    // Silver: m01 24, m02-m04 12, m05-m06 2. Bronze: nia (new) 24, m07-m09 12, m10-m11 2; m12 sits out.
    await choiceQuiz(h, ada, [...right(m[0]!, m[1]!, m[2]!, m[3]!, nia, m[6]!, m[7]!, m[8]!), ...wrong(m[4]!, m[5]!, m[9]!, m[10]!)]);
    await choiceQuiz(h, ada, right(m[0]!, nia));
    const bronze = await h.seen(m[9]!, 'leaderboard season');
    expect(bronze?.text.split('\n')[0]).toBe('Leaderboard · Cup · Bronze league');
    expect(names(bronze)).toEqual(['nia 24', 'm07 12', 'm08 12', 'm09 12', 'm10 2', 'm11 2']);
    expect(bronze?.text).toContain('Bronze league (1 of 2). When Cup ends, the top third of each league (up to 3) moves up and the bottom third moves down. /dojo leaderboard board:all shows everyone.');
    expect(names(await h.seen(m[9]!, 'leaderboard season board:league'))).toEqual(names(bronze));
    const silver = await h.seen(m[4]!, 'leaderboard season');
    expect(names(silver)).toEqual(['m01 24', 'm02 12', 'm03 12', 'm04 12', 'm05 2', 'm06 2']);
    expect(names(await h.seen(m[4]!, 'leaderboard season board:all'))).toHaveLength(10);
    // A channel's board is the channel's, whatever the league.
    expect((await h.seen(m[4]!, 'leaderboard season channel'))?.text.split('\n')[0]).toBe('Leaderboard · Cup in #c1');
    // The usual board (no period or league asked for) and all time are the caller's league too.
    const week = await h.seen(m[9]!, 'leaderboard');
    expect(week?.text.split('\n')[0]).toBe('Leaderboard · This week · Bronze league');
    expect(names(week)).toEqual(['nia 24', 'm07 14', 'm08 14', 'm09 14', 'm10 4', 'm11 4', 'm12 2']);
    expect(week?.text).toContain('Bronze league (1 of 2). When Cup ends');
    expect(names(await h.seen(m[4]!, 'leaderboard all'))).toEqual(['m01 36', 'm02 24', 'm03 24', 'm04 24', 'm05 14', 'm06 14']);
    expect(names(await h.seen(m[4]!, 'leaderboard all board:all'))).toHaveLength(10);
  });

  it('moves the top of each league up and the bottom down at the season’s end, ties going the members’ way', async () => {
    await h.advance(60_000);
    const mark = h.chat.sent.length;
    await h.cmd(ada, 'season end');
    // Silver, 6 who scored: 2 move; ranks 1, 2, 2, 2, 5, 5: m05 and m06 go down.
    // Bronze, 6 who scored (m12 scored nothing and earns no league): 2 move; ranks 1, 2, 2, 2, 5, 5:
    // nia and the three tied at the line go up.
    const post = h.chat.since(mark).find((s) => s.kind === 'post')!;
    expect(post.text).toContain('League moves for the next season:\n• Silver · down to Bronze: m05, m06\n• Bronze · up to Silver: nia, m07, m08, m09');
    expect(await placed(0)).toEqual(['m01:1>1', 'm02:1>1', 'm03:1>1', 'm04:1>1', 'm05:1>0', 'm06:1>0', 'm07:0>1', 'm08:0>1', 'm09:0>1', 'm10:0>0', 'm11:0>0', 'm12:0', 'nia:0>1']);

    // The next season keeps the earned leagues (8 in Silver); m12, who scored lately, joins the lowest.
    await h.advance(HOUR);
    await h.cmd(ada, 'season start Cup2 until:2027-01-31');
    expect(await placed(1)).toEqual(['m01:1', 'm02:1', 'm03:1', 'm04:1', 'm07:1', 'm08:1', 'm09:1', 'nia:1', 'm05:0', 'm06:0', 'm10:0', 'm11:0', 'm12:0']);
  });
});
