import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { harness, HOUR, type Harness } from '../helpers/dojo.js';

describe(`question of the day on ${backend}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-23T07:00:00Z') }); // a Monday
  });
  afterAll(async () => h.close());

  it('posts on schedule, takes thread answers, closes with the key points and pings mentors', async () => {
    const admin = h.user('ada', { isPlatformAdmin: true });
    const bob = h.user('bob');
    await h.cmd(admin, 'mentor add <@U_cy>');
    const set = await h.said(admin, 'schedule set days:mon-fri time:09:00 tz:Europe/Berlin window:2h difficulty:rotating kind:open');
    expect(set).toMatch(/^Saved\. Question of the day: Mon–Fri at 09:00 Europe\/Berlin · difficulty rotating · all topics · open questions · answers shown in the thread · open for 2h\. Next: Mon 23 Nov, 09:00 CET\./);
    await h.advance(2 * HOUR); // 09:00 Berlin = 08:00Z
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread);
    expect(card?.text).toMatch(/^Question of the day\n/);
    expect(card?.text).toMatch(/Difficulty: beginner/);
    const thread = card!.ref;
    await h.reply(bob, thread, 'An index is a sorted copy of some columns.');
    await h.reply(bob, thread, 'It speeds up reads but slows writes.');
    const mark = h.chat.sent.length;
    await h.advance(2 * HOUR);
    const closing = h.chat.since(mark).filter((s) => s.kind === 'reply' && s.to === thread);
    expect(closing[0]?.text).toMatch(/Time's up/);
    expect(closing[0]?.text).toMatch(/1 answer from bob/);
    expect(closing[1]?.message.blocks[0]).toEqual({ type: 'mention', userIds: ['U_cy'], text: '1 answer waiting for review.' });
  });
});
