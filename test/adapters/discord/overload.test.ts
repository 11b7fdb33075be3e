/**
 * Overload on Discord (issue 13): the core's work behind interactions is admitted within bounds, as on
 * Slack. Past them a person hears "I'm busy right now" privately in the interaction's callback itself
 * (nothing queued, never deferred, never left unanswered), nobody gets an outage apology, and normal
 * answers come back by themselves once the load drops. Real discord.js against the fake Discord, the
 * real core and database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../../src/core/ports.js';
import { CALLBACK, type Sent } from '../../fakes/discord/interactions.js';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { member, shown } from './harness.js';

const busy = /busy right now, try again in a moment/;
const apology = /can't reach my database|something went wrong/i;
const WAIT_MS = 60_000;

describe(`overload on Discord, ${backend}`, () => {
  describe('at the bounds exactly', () => {
    let h: CoreHarness;
    let open: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    let held = 0;
    beforeAll(async () => {
      h = await startWithCore({
        adapter: { admission: { maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 }, answerBudgetMs: 30 },
        // The core waits at a gate the test opens: exactly one unit of work in flight, one queued.
        wrap: (dojo) => ({
          handle: async (event: InboundEvent) => {
            held++;
            await gate;
            return dojo.handle(event);
          },
        }),
      });
    });
    afterAll(async () => {
      open();
      await h?.stop();
    });

    it('an interaction past the bounds is told busy in its callback; the admitted ones are answered when the work is done', async () => {
      gate = new Promise<void>((resolve) => (open = resolve));
      const first = h.fake.play.slash(member('alice'), ['stats']);
      await expect.poll(() => held).toBe(1);
      const second = h.fake.play.slash(member('bob'), ['stats']);
      await expect.poll(() => h.adapter.load().queued).toBe(1);
      const third = h.fake.play.slash(member('cy'), ['stats']);

      // The third is answered at once, privately, in the callback: no deferral, no work queued.
      const callback = await h.fake.play.callbackOf(third);
      expect(callback.body).toMatchObject({ type: CALLBACK.reply, data: { flags: 64 } });
      expect(shown(callback.body.data)).toMatch(busy);
      expect(h.adapter.load()).toEqual({ inFlight: 1, queued: 1, shed: 1 });
      expect(held).toBe(1);
      // The admitted ones outlast the budget: deferred, then their answers are edited in.
      for (const sent of [first, second]) expect((await h.fake.play.callbackOf(sent)).body).toEqual({ type: CALLBACK.defer, data: { flags: 64 } });
      open();
      for (const sent of [first, second]) {
        const content = shown((await h.fake.play.editOf(sent, WAIT_MS)).body);
        expect(content).toMatch(/^Stats for /);
        expect(content).not.toMatch(apology);
      }
      await expect.poll(() => h.adapter.load()).toEqual({ inFlight: 0, queued: 0, shed: 1 });
      expect(h.fake.play.callbacksOf(third)).toHaveLength(1);
    });
  });

  describe('far above capacity', () => {
    let h: CoreHarness;
    // The work is held until every interaction has had its callback, so the burst is above capacity
    // however fast the machine runs the work.
    let open: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    beforeAll(async () => {
      h = await startWithCore({
        adapter: { admission: { maxInFlight: 2, maxQueued: 4, maxWaitMs: 30_000 } },
        wrap: (dojo) => ({ handle: async (event: InboundEvent) => (await gate, dojo.handle(event)) }),
      });
    });
    afterAll(async () => {
      open();
      await h?.stop();
    });

    /** What the person saw as the interaction's answer: the reply in its callback, or the edit of its deferral. */
    const answerOf = async (sent: Sent) => shown((await h.fake.play.editOf(sent, WAIT_MS)).body);

    it('sheds with busy replies in the callback, never apologies; every interaction answered once; normal answers again afterwards', async () => {
      gate = new Promise<void>((resolve) => (open = resolve));
      const sent = Array.from({ length: 40 }, (_, i) => h.fake.play.slash(member(`load${i % 20}`), ['stats']));
      await expect.poll(() => sent.every((s) => h.fake.play.callbacksOf(s).length === 1), { timeout: WAIT_MS }).toBe(true);
      open();
      const said = await Promise.all(sent.map(answerOf));
      // Everyone heard something, exactly once, and no interaction was left to expire.
      expect(said.every((text) => text !== '')).toBe(true);
      for (const s of sent) expect(h.fake.play.callbacksOf(s)).toHaveLength(1);
      expect(said.filter((text) => apology.test(text))).toEqual([]);
      const shed = sent.filter((_, i) => busy.test(said[i]!));
      // Two at work and four waiting were admitted (a person's second interaction waits behind their first,
      // outside the bounds, so up to six more are answered normally); the rest heard "busy".
      expect(shed.length).toBeGreaterThanOrEqual(40 - 12);
      expect(shed.length).toBeLessThanOrEqual(40 - 6);
      // Busy is said in the callback itself (a reply), never after a deferral.
      for (const s of shed) expect(h.fake.play.callbacksOf(s)[0]!.body).toMatchObject({ type: CALLBACK.reply, data: { flags: 64 } });
      await expect.poll(() => h.adapter.load()).toEqual({ inFlight: 0, queued: 0, shed: shed.length });
      // The load is gone: the next interactions are answered normally.
      for (let i = 0; i < 3; i++) {
        const text = await answerOf(h.fake.play.slash(member(`load${i}`), ['stats']));
        expect(text).toMatch(/^Stats for /);
      }
    });
  });
});
