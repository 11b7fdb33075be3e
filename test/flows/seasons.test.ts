/**
 * Seasons: an admin starts one until a date; its board counts only points since the start; at the end
 * the tick posts the final board with the winners in the season's channel, once, and keeps an archive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz as play, DAY, harness, HOUR, type Harness, type Seen } from '../helpers/dojo.js';

function board(out: Seen | undefined): [string, number][] {
  const table = out?.blocks?.find((b) => b.type === 'table');
  return table && table.type === 'table' ? table.rows.map((r) => [r[1]!, Number(r[2])]) : [];
}

describe(`seasons on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  let bob: UserRef;
  let cy: UserRef;
  let dan: UserRef;

  const choiceQuiz = (starter: UserRef, picks: [UserRef, boolean][], channel = 'C1') => play(h, starter, picks, { channel });

  const seasonRows = () => h.t.db.selectFrom('season').select(['name', 'status', 'ends_at']).orderBy('id').execute();

  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z'), timezone: 'Europe/Berlin' });
    ada = h.user('ada', { isPlatformAdmin: true });
    bob = h.user('bob');
    cy = h.user('cy');
    dan = h.user('dan');
  });
  afterAll(async () => h.close());

  it('refuses a season that ends in the past', async () => {
    for (const until of ['2026-11-01', '2026-11-22']) {
      expect((await h.cmd(ada, `season start Old until:${until}`)).reply).toEqual({ text: 'That date has passed; pick a day in the future.', visibility: 'ephemeral' });
    }
    expect((await h.said(ada, 'season start Old until:next-week'))).toMatch(/^until must be a date like 2027-03-01\.\nUsage: \/dojo season start/);
    expect(await seasonRows()).toEqual([]);
    expect((await h.cmd(bob, 'season show')).reply?.text).toBe('No season yet. An admin can start one: /dojo season start NAME until:YYYY-MM-DD');
  });

  it('starts a season until the end of a day in the team’s zone and refuses a second one while it runs', async () => {
    await choiceQuiz(bob, [[bob, true]]); // before the season: not in its board
    await h.advance(60_000);
    const start = await h.seen(ada, 'season start "Winter Cup" until:2026-11-29', 'C9');
    expect(start).toMatchObject({ text: 'Season "Winter Cup" has started! It runs until Mon 30 Nov, 00:00 CET. /dojo leaderboard season shows the race.', where: 'channel' });
    expect(await seasonRows()).toEqual([{ name: 'Winter Cup', status: 'active', ends_at: new Date('2026-11-29T23:00:00Z') }]);

    const second = await h.cmd(ada, 'season start Spring until:2027-03-01');
    expect(second.reply).toEqual({ text: '"Winter Cup" is running until Mon 30 Nov, 00:00 CET. End it first with /dojo season end.', visibility: 'ephemeral' });
    expect(await seasonRows()).toHaveLength(1);
  });

  it('shows only points since the start on the season board', async () => {
    await h.advance(HOUR);
    await choiceQuiz(cy, [[cy, true], [dan, false], [bob, false]]);
    await h.advance(DAY);
    await choiceQuiz(dan, [[dan, true]], 'C2');

    const season = await h.seen(bob, 'leaderboard season');
    expect(season?.text).toMatch(/^Leaderboard · Winter Cup\n/);
    expect(board(season)).toEqual([['dan', 14], ['cy', 12], ['bob', 2]]);
    expect(board(await h.seen(bob, 'leaderboard all'))).toEqual([['bob', 14], ['dan', 14], ['cy', 12]]);
    const show = await h.seen(bob, 'season show');
    expect(show?.text).toMatch(/^Leaderboard · Winter Cup \(until Mon 30 Nov, 00:00 CET\)\n/);
    expect(show?.where).toBe('private');
    expect(board(show)).toEqual(board(season));
  });

  it('posts the final board with the winners in the season’s channel once at the end, then keeps the archive', async () => {
    const mark = h.chat.sent.length;
    await h.advance(new Date('2026-11-29T22:59:00Z').getTime() - h.clock.now().getTime());
    expect(h.chat.since(mark).filter((s) => s.kind === 'post')).toEqual([]);
    await h.advance(60_000); // midnight in Berlin
    const posts = h.chat.since(mark).filter((s) => s.kind === 'post');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.to).toBe('C9');
    expect(posts[0]!.text).toBe(
      ['Final board · Winter Cup', '#  Member  Points  Answers', '1  dan     14      2', '2  cy      12      1', '3  bob     2       1', 'Congratulations 🥇 dan (14), 🥈 cy (12), 🥉 bob (2)!'].join('\n'),
    );
    await h.advance(2 * DAY);
    expect(h.chat.since(mark).filter((s) => s.kind === 'post')).toHaveLength(1);
    expect(await seasonRows()).toEqual([expect.objectContaining({ status: 'ended' })]);

    const archive = await h.cmd(cy, 'season show');
    expect(archive.reply?.text).toBe(['Final board · Winter Cup', '#  Member  Points  Answers', '1  dan     14      2', '2  cy      12      1', '3  bob     2       1'].join('\n'));
    expect((await h.said(cy, 'leaderboard season'))).toMatch(/^No season is running\./);
    expect((await h.cmd(ada, 'season end')).reply?.text).toBe('No season is running.');
    // Points after the end do not change the archive; a new season can start.
    await choiceQuiz(bob, [[bob, true]]);
    expect((await h.cmd(cy, 'season show')).reply?.text).toBe(archive.reply?.text);
    await h.advance(60_000);
    expect((await h.said(ada, 'season start Spring until:2027-03-01'))).toMatch(/^Season "Spring" has started!/);
  });

  it('ends a season early with season end, posting the board that far', async () => {
    const mark = h.chat.sent.length;
    await choiceQuiz(cy, [[cy, false]]);
    await h.advance(60_000);
    const out = await h.cmd(ada, 'season end');
    expect(out.reply).toEqual({ text: '"Spring" has ended; the final board is posted.', visibility: 'ephemeral' });
    const posts = h.chat.since(mark).filter((s) => s.kind === 'post' && s.text.startsWith('Final board'));
    expect(posts.map((p) => p.text)).toEqual([['Final board · Spring', '#  Member  Points  Answers', '1  cy      2       1', 'Congratulations 🥇 cy (2)!'].join('\n')]);
    await h.advance(120 * DAY);
    expect(h.chat.since(mark).filter((s) => s.kind === 'post' && s.text.startsWith('Final board'))).toHaveLength(1);
  });
});
