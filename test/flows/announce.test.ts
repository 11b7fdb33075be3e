/**
 * What a person hears about a post made for them: `/dojo question` says "Posted!" only when the card is
 * in the channel; a failure says what went wrong; announcements go to the channel through the outbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DojoUnavailable } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

describe(`posts made for a person on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  const cards = () => h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread);

  it('says Posted! once the practice question is in the channel', async () => {
    h = await harness();
    // An open question (a choice one says "Pick an answer on it"), so the person is told to use the thread.
    const out = await h.cmd(h.user('bob'), 'question databases kind:open');
    expect(out.reply).toEqual({ text: 'Posted! Answer it in its thread within the hour.', visibility: 'ephemeral' });
    expect(cards()).toHaveLength(1);
  });

  it('tells the person why the question could not be posted, and leaves no round waiting', async () => {
    h = await harness();
    h.chat.failNext('not_in_channel', 1, ['post']);
    const out = await h.cmd(h.user('bob'), 'question databases');
    expect(out.reply).toEqual({ text: "I couldn't post the question in this channel: I'm not in that channel. Add me to the channel (or pick one I'm in), then try again.", visibility: 'ephemeral' });
    expect(cards()).toHaveLength(0);
    expect(await h.t.db.selectFrom('round').select('status').execute()).toEqual([{ status: 'closed' }]);
    await h.advance(2 * HOUR);
    expect(h.chat.sent).toEqual([]);
  });

  it('says it keeps trying when the platform fails for now, and posts on the retry', async () => {
    h = await harness();
    h.chat.failNext('unavailable', 1, ['post']);
    const out = await h.cmd(h.user('bob'), 'question databases');
    expect(out.reply?.text).toBe("I couldn't post it in the channel just now; I'll keep trying for a few minutes.");
    await h.advance(1 * MIN);
    expect(cards()).toHaveLength(1);
  });

  it('posts a saved schedule in the channel, and tells the admin when it could not', async () => {
    h = await harness();
    const ada = h.user('ada', { isPlatformAdmin: true });
    expect((await h.cmd(ada, 'schedule set days:mon-fri time:09:00 tz:UTC')).reply).toBeUndefined();
    expect(h.chat.sent.map((s) => [s.kind, s.to, s.text.split('.')[0]])).toEqual([['post', 'C1', 'Saved']]);
    h.chat.failNext('not_in_channel', 1, ['post']);
    const out = await h.cmd(ada, 'schedule set days:mon-fri time:10:00 tz:UTC', 'C2');
    expect(out.reply?.text).toBe("Saved, but I couldn't post in this channel (I'm not in that channel), so its question of the day can't appear here either. Add me to the channel first.");
  });

  it('answers "unavailable" when the database is gone, so platforms that retry do', async () => {
    h = await harness();
    await h.cmd(h.user('bob'), 'help');
    await h.t.close();
    await expect(h.cmd(h.user('bob'), 'help')).rejects.toBeInstanceOf(DojoUnavailable);
  });
});
