/**
 * `/dojo help` on Discord from memory (issue 13): once the bot knows a member, their help is the
 * interaction's callback itself with no database work, so it comes even while the bot is at capacity;
 * and it still shows what the member may do right after an admin changes their role. Real discord.js
 * against the fake Discord, the real core and database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../../src/core/ports.js';
import { CALLBACK, type Sent } from '../../fakes/discord/interactions.js';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { member, shown } from './harness.js';

const REVIEW = /\/dojo review/;

describe(`/dojo help from memory on Discord, ${backend}`, () => {
  let h: CoreHarness;
  let open: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  let handled = 0;
  beforeAll(async () => {
    h = await startWithCore({
      // One unit of work at a time and none queued; the core waits at a gate the test may close.
      adapter: { admission: { maxInFlight: 1, maxQueued: 0, maxWaitMs: 60_000 } },
      wrap: (dojo) => ({
        handle: async (event: InboundEvent) => {
          handled++;
          await gate;
          return dojo.handle(event);
        },
        answerNow: (event) => dojo.answerNow?.(event),
      }),
    });
  });
  afterAll(async () => {
    open();
    await h?.stop();
  });

  /** What the person saw first: the reply in the callback (help is never deferred here). */
  const helpOf = async (sent: Sent) => {
    const callback = await h.fake.play.callbackOf(sent);
    expect(callback.body).toMatchObject({ type: CALLBACK.reply, data: { flags: 64 } });
    return shown(callback.body.data);
  };

  it('answers a known member at once while the bot is at capacity; a member it has not met yet hears busy', async () => {
    const bob = member('bob');
    expect(await helpOf(h.fake.play.slash(bob, ['help']))).toMatch(/^Interview Dojo\n• \/dojo quiz/);
    const before = handled;
    gate = new Promise<void>((resolve) => (open = resolve));
    const stats = h.fake.play.slash(member('alice'), ['stats']);
    await expect.poll(() => h.adapter.load().inFlight).toBe(1);

    const again = h.fake.play.slash(bob, ['help']);
    expect(await helpOf(again)).toMatch(/^Interview Dojo\n• \/dojo quiz/);
    expect(h.fake.play.callbacksOf(again)).toHaveLength(1);
    // Only alice's stats reached the core.
    expect(handled).toBe(before + 1);
    expect(await helpOf(h.fake.play.slash(member('cy'), ['help']))).toMatch(/busy right now/);

    open();
    expect(shown((await h.fake.play.editOf(stats, 30_000)).body)).toMatch(/^Stats for /);
  });

  it('shows the mentor lines right after an admin makes the member a mentor', async () => {
    const ada = member('ada', { manageGuild: true });
    const dan = member('dan');
    await helpOf(h.fake.play.slash(ada, ['help']));
    expect(await helpOf(h.fake.play.slash(dan, ['help']))).not.toMatch(REVIEW);
    // From memory now: the same lines again.
    expect(await helpOf(h.fake.play.slash(dan, ['help']))).not.toMatch(REVIEW);
    const add = h.fake.play.slash(ada, ['mentor', 'add'], { member: { user: dan }, role: 'mentor' });
    await h.fake.play.editOf(add);
    expect(await helpOf(h.fake.play.slash(dan, ['help']))).toMatch(REVIEW);
  });
});
