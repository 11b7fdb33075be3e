/**
 * The board and /dojo stats as closing units (issue 13): it reads, then writes its receipt and its post in one statement
 * at the end, with no transaction, and on cached team, member and channel rows checks their version in
 * that statement. What a member notices stays the same: one post per command, even when the delivery
 * comes twice at once; a board made from rows another instance changed meanwhile is made again from
 * the new ones; the post is marked sent once it is out, so nothing is posted again by the tick. Stats
 * replies once per delivery, with the points the ledger has at that moment and the member as they are now.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/ports.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';
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

  const statsEvent = (user: string, deliveryId: string, name?: string): InboundEvent => ({
    type: 'command', text: 'stats', deliveryId, team: h.team, user: { ...h.user(user), ...(name !== undefined ? { name } : {}) }, channel: { id: 'C1', name: 'c1' },
  });

  it('answers stats once when the same delivery comes several times at once, and never again after', async () => {
    await h.cmd(h.user('hal'), 'help');
    const outs = await Promise.all(Array.from({ length: 6 }, () => h.send(statsEvent('hal', 'stats-replayed'))));
    expect(outs.filter((o) => o.duplicate)).toHaveLength(5);
    expect(outs.filter((o) => o.reply?.text.startsWith('Stats for hal\n'))).toHaveLength(1);
    expect((await h.send(statsEvent('hal', 'stats-replayed'))).duplicate).toBe(true);
    const receipts = await sql<{ n: number }>`select count(*)::int as n from processed_delivery where delivery_id = 'stats-replayed'`.execute(h.t.db);
    expect(receipts.rows[0]!.n).toBe(1);
  });

  it('answers stats of a member seen for the first time, and records their delivery', async () => {
    const out = await h.send(statsEvent('ivy', 'stats-first-sight'));
    expect(out.reply?.text).toMatch(/^Stats for ivy\nAnswers: 0 · Points: 0 · Rank: — /);
    expect((await h.send(statsEvent('ivy', 'stats-first-sight'))).duplicate).toBe(true);
  });

  it('shows points another instance wrote to the ledger between two stats, and a name it changed meanwhile', async () => {
    const jo = h.user('jo');
    await h.cmd(jo, 'help');
    const line = async (id: string) => (await h.send(statsEvent('jo', id, ''))).reply?.text.split('\n').slice(0, 2).join('\n');
    expect(await line('stats-jo-1')).toMatch(/^Stats for jo\nAnswers: 0 · Points: 0 · /);
    // Another instance scores jo (a ledger event of its own) and renames them (the member trigger moves the team's version).
    await sql`insert into point_event (team_id, member_id, kind, points, created_at, event_key)
      select m.team_id, m.id, 'review', 7, now(), 'other-instance-jo' from member m where m.platform_user_id = ${jo.id}`.execute(h.t.db);
    await sql`update member set display_name = 'Jo Renamed' where platform_user_id = ${jo.id}`.execute(h.t.db);
    expect(await line('stats-jo-2')).toMatch(/^Stats for Jo Renamed\nAnswers: 0 · Points: 7 · Rank: #\d+ of \d+/);
  });
});

describe(`the board as the command's answer in the channel (Slack, Discord) on ${backend}`, () => {
  let h: Harness;
  let t: TestDb;
  /** Statements the bot sent to the database. */
  let statements = 0;
  beforeAll(async () => {
    t = await testDb({ bank: true });
    const db = t.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result });
    h = await harness({ start: new Date('2026-11-23T07:00:00Z'), chat: { publicAnswers: true }, db: { ...t, db } });
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const boardEvent = (user: string, deliveryId: string, channel = { id: 'C1', name: 'c1' }): InboundEvent => ({
    type: 'command', text: 'leaderboard all channel', deliveryId, team: h.team, user: h.user(user), channel,
  });

  it('answers once when the same command is delivered several times at once, and never again after', async () => {
    await h.cmd(h.user('ann'), 'help'); // the member is known (cached rows from here on)
    const outs = await Promise.all(Array.from({ length: 6 }, () => h.send(boardEvent('ann', 'in-channel-1'))));
    expect(outs.filter((o) => o.inChannel)).toHaveLength(1);
    expect(outs.filter((o) => o.duplicate)).toHaveLength(5);
    expect((await h.send(boardEvent('ann', 'in-channel-1'))).duplicate).toBe(true);
    // Nothing is posted: the answer is the command's own.
    expect(h.chat.sent.filter((s) => s.kind === 'post')).toHaveLength(0);
  });

  it('makes the board again from the rows as they are now when another instance changed them meanwhile', async () => {
    expect((await h.send(boardEvent('ann', 'in-channel-2', { id: 'C9', name: 'c9' }))).inChannel?.text).toMatch(/^Leaderboard · All time in #c9\n/);
    // Another instance renames the channel (the trigger bumps the team's tenancy_version); this event names no channel.
    await sql`update channel set name = 'renamed' where platform_channel_id = 'C9'`.execute(h.t.db);
    const out = await h.send(boardEvent('ann', 'in-channel-3', { id: 'C9', name: '' }));
    expect(out.inChannel?.text).toMatch(/^Leaderboard · All time in #renamed\n/);
  });

  it("costs one statement in all once the board's prelude is remembered: the board's, with the receipt", async () => {
    const week = (id: string) => h.send({ type: 'command', text: 'leaderboard week team', deliveryId: id, team: h.team, user: h.user('ann'), channel: { id: 'C1', name: 'c1' } });
    expect((await week('week-1')).inChannel?.text).toMatch(/^Leaderboard · This week\n/);
    statements = 0;
    expect((await week('week-2')).inChannel?.text).toMatch(/^Leaderboard · This week\n/);
    expect(statements).toBe(1);
    expect((await week('week-2')).duplicate).toBe(true);
  });
});
