/**
 * The board as a closing unit (issue 13): it reads, then writes its receipt and its post in one statement
 * at the end, with no transaction, and on cached team, member and channel rows checks their version in
 * that statement. What a member notices stays the same: one post per command, even when the delivery
 * comes twice at once; a board made from rows another instance changed meanwhile is made again from
 * the new ones; the post is marked sent once it is out, so nothing is posted again by the tick.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

describe(`the board's closing unit on ${backend}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') });
  });
  afterAll(async () => h.close());

  const boardEvent = (user: string, deliveryId: string, channel = { id: 'C1', name: 'c1' }): InboundEvent => ({
    type: 'command', text: 'leaderboard all channel', deliveryId, team: h.team, user: h.user(user), channel,
  });
  const posts = (mark: number, channel = 'C1') => h.chat.since(mark).filter((s) => s.kind === 'post' && s.to === channel);

  it('posts the board once when the same command is delivered several times at once', async () => {
    await h.cmd(h.user('ann'), 'help'); // the member is known (cached rows from here on)
    const mark = h.chat.sent.length;
    const outs = await Promise.all(Array.from({ length: 6 }, () => h.send(boardEvent('ann', 'replayed-1'))));
    expect(posts(mark)).toHaveLength(1);
    expect(outs.filter((o) => o.duplicate)).toHaveLength(5);
    // And once more later: still a replay.
    expect((await h.send(boardEvent('ann', 'replayed-1'))).duplicate).toBe(true);
    expect(posts(mark)).toHaveLength(1);
  });

  it('makes the board again from the rows as they are now when another instance changed them meanwhile', async () => {
    await h.seen(h.user('ann'), 'leaderboard all channel', 'C9');
    // Another instance renames the channel (the trigger bumps the team's tenancy_version); this event names no channel.
    await sql`update channel set name = 'renamed' where platform_channel_id = 'C9'`.execute(h.t.db);
    const mark = h.chat.sent.length;
    await h.send(boardEvent('ann', 'after-rename', { id: 'C9', name: '' }));
    const [post] = posts(mark, 'C9');
    expect(post?.text).toMatch(/^Leaderboard · All time in #renamed\n/);
    expect(posts(mark, 'C9')).toHaveLength(1);
  });

  it('marks every board sent once it is out, so the tick posts none of them again', async () => {
    const users = ['bo', 'cy', 'di', 'ed', 'flo', 'gus'].map((n) => h.user(n));
    for (const u of users) await h.cmd(u, 'help');
    const mark = h.chat.sent.length;
    // Posted at once, so their marks run together.
    await Promise.all(users.map((u, i) => h.send(boardEvent(u.name, `many-${i}`))));
    expect(posts(mark)).toHaveLength(users.length);
    const pending = await sql<{ n: number }>`select count(*)::int as n from outbox where status <> 'sent'`.execute(h.t.db);
    expect(pending.rows[0]!.n).toBe(0);
    await h.advance(5 * 60_000);
    expect(posts(mark)).toHaveLength(users.length);
  });

  it("tells the member privately when the board could not be posted, and leaves nothing to post later", async () => {
    h.chat.failNext('not_in_channel', 1, ['post']);
    const out = await h.send(boardEvent('ann', 'not-in-channel'));
    expect(out.reply?.text).toMatch(/^I couldn't post the board in this channel/);
    const mark = h.chat.sent.length;
    await h.advance(10 * 60_000);
    expect(posts(mark)).toHaveLength(0);
  });
});
