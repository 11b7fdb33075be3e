/**
 * Overload (issue 13): the work behind acks and events is admitted within bounds. Past them a command
 * gets "I'm busy right now" (in its ack, nothing queued) and an Events API delivery a 503 so Slack
 * delivers it again; every ack is answered, nobody gets an outage apology, and normal answers come back
 * by themselves once the load drops. Real Bolt against the fake Web API, the real core and database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DojoCore } from '../../../src/core/dojo.js';
import type { InboundEvent } from '../../../src/core/ports.js';
import { backend } from '../../helpers/db.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { FakeSocketMode } from '../../fakes/slack/socket.js';
import { world, type World } from './world.js';

const busy = /busy right now, try again in a moment/;
const apology = /can't reach my database|something went wrong/i;

/** The core waits at a gate the test opens; it counts the work that reached it and keeps the thread messages it took, in order. */
class Gate {
  held = 0;
  readonly taken: string[] = [];
  open: () => void = () => {};
  private gate: Promise<void> = Promise.resolve();
  close() {
    this.gate = new Promise<void>((resolve) => (this.open = resolve));
  }
  readonly wrap = (dojo: DojoCore) => ({
    ...dojo,
    handle: async (event: InboundEvent) => {
      this.held++;
      await this.gate;
      if (event.type === 'message') this.taken.push(event.text);
      return dojo.handle(event);
    },
  });
}

describe(`overload on Slack, ${backend}`, () => {
  describe('at the bounds exactly', () => {
    let w: World;
    // Exactly one unit of work in flight, one queued.
    const gate = new Gate();
    beforeAll(async () => {
      w = await world({ adapter: { admission: { maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 } }, wrap: gate.wrap });
    });
    afterAll(async () => w.close());

    it('a command past the bounds is told busy in its ack; the admitted ones are answered when the work is done', async () => {
      gate.close();
      const first = await w.driver.command('stats', { user: 'UALICE', userName: 'alice' });
      const second = await w.driver.command('stats', { user: 'UBOB', userName: 'bob' });
      const third = await w.driver.command('stats', { user: 'UCY', userName: 'cy' });
      expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
      expect(first.text).toBe('');
      expect(second.text).toBe('');
      expect(JSON.parse(third.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(busy) });
      await expect.poll(() => gate.held).toBe(1);
      gate.open();
      await w.settle();
      for (const sent of [first, second]) {
        const reply = w.fake.responses.find((r) => r.id === sent.responseId)?.body;
        expect(String(reply?.text)).not.toMatch(busy);
        expect(String(reply?.text)).not.toMatch(apology);
      }
      // The busy reply was its ack, and nothing followed it.
      expect(w.fake.responses.filter((r) => r.id === third.responseId).map((r) => r.via)).toEqual(['ack']);
    });

    it('an event past the bounds is answered 503 so Slack retries it, and gate.taken when it comes again', async () => {
      gate.close();
      gate.held = 0;
      const a = w.driver.threadReply({ threadTs: '1700000000.000100', text: 'one' });
      await expect.poll(() => gate.held).toBe(1);
      const b = w.driver.threadReply({ threadTs: '1700000000.000100', text: 'two' });
      await expect.poll(() => w.adapter.load().queued).toBe(1);
      const c = await w.driver.threadReply({ threadTs: '1700000000.000100', text: 'three' });
      expect(c.status).toBe(503);
      gate.open();
      expect((await a).status).toBe(200);
      expect((await b).status).toBe(200);
      const again = await w.driver.threadReply({ threadTs: '1700000000.000100', text: 'three', ts: c.ts }, { eventId: c.eventId, retryNum: 1 });
      expect(again.status).toBe(200);
    });

    it("takes Slack's last try of an event even past the bounds, first when a slot frees, so the answer is not lost", async () => {
      gate.close();
      gate.held = 0;
      gate.taken.length = 0;
      const a = w.driver.threadReply({ threadTs: '1700000000.000200', text: 'four' });
      await expect.poll(() => gate.held).toBe(1);
      const b = w.driver.threadReply({ threadTs: '1700000000.000200', text: 'five' });
      await expect.poll(() => w.adapter.load().queued).toBe(1);
      const c = await w.driver.threadReply({ threadTs: '1700000000.000200', text: 'six' });
      expect(c.status).toBe(503);
      // Its second try is still told busy: Slack sends it again.
      const second = await w.driver.threadReply({ threadTs: '1700000000.000200', text: 'six', ts: c.ts }, { eventId: c.eventId, retryNum: 2 });
      expect(second.status).toBe(503);
      // Its last try waits for a slot instead, ahead of the work queued before it.
      const last = w.driver.threadReply({ threadTs: '1700000000.000200', text: 'six', ts: c.ts }, { eventId: c.eventId, retryNum: 3 });
      await expect.poll(() => w.adapter.load().queued).toBe(2);
      gate.open();
      expect([(await a).status, (await b).status, (await last).status]).toEqual([200, 200, 200]);
      expect(gate.taken).toEqual(['four', 'six', 'five']);
    });
  });

  describe('in Socket Mode', () => {
    const APP_TOKEN = 'xapp-1-A0DOJO-1-abc';
    let w: World;
    let socket: FakeSocketMode;
    const gate = new Gate();
    beforeAll(async () => {
      const fake = await FakeSlack.start();
      socket = await FakeSocketMode.start(fake, APP_TOKEN);
      w = await world({ fake, adapter: { appToken: APP_TOKEN, signingSecret: undefined, admission: { maxInFlight: 1, maxQueued: 1, maxWaitMs: 60_000 } }, wrap: gate.wrap });
    });
    afterAll(async () => {
      await w.close();
      await socket.stop();
    });
    const envelope = (n: number, text: string) => ({
      team_id: 'T0001',
      api_app_id: 'A0DOJO',
      type: 'event_callback',
      event_id: `EvBUSY${n}`,
      event: { type: 'message', channel: 'C0001', user: 'UBOB', text, ts: `1900000100.00000${n}`, thread_ts: '1900000000.000001', event_ts: `1900000100.00000${n}` },
    });

    it('leaves an event it is too busy for unacknowledged, so Slack sends it again, and takes the last try', async () => {
      gate.close();
      const a = socket.send('events_api', envelope(1, 'one'), { waitMs: 20_000 });
      await expect.poll(() => gate.held).toBe(1);
      const b = socket.send('events_api', envelope(2, 'two'), { waitMs: 20_000 });
      await expect.poll(() => w.adapter.load().queued).toBe(1);
      // Acked, Slack would never send it again: the answer would be lost.
      expect(await socket.send('events_api', envelope(3, 'three'), { waitMs: 500 })).toBeUndefined();
      const last = socket.send('events_api', envelope(3, 'three'), { retryAttempt: 3, waitMs: 20_000 });
      await expect.poll(() => w.adapter.load().queued).toBe(2);
      gate.open();
      for (const ack of [a, b, last]) expect(await ack).toBeDefined();
      expect(gate.taken).toEqual(['one', 'three', 'two']);
    });
  });

  describe('far above capacity', () => {
    let w: World;
    // The work is held until all 120 commands are acked, so the burst is above capacity however fast
    // the machine runs the work (stats no longer waits for its chart, and a quick machine kept up).
    let open: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    beforeAll(async () => {
      w = await world({
        adapter: { admission: { maxInFlight: 2, maxQueued: 4, maxWaitMs: 5_000 } },
        wrap: (dojo) => ({ ...dojo, handle: async (event: InboundEvent) => (await gate, dojo.handle(event)) }),
      });
      for (let i = 0; i < 40; i++) w.fake.addUser(`UL${i}`, { name: `load${i}` });
    });
    afterAll(async () => w.close());

    it('sheds with busy replies, never apologies; every ack answered; normal answers again afterwards', async () => {
      gate = new Promise<void>((resolve) => (open = resolve));
      const sent = await Promise.all(Array.from({ length: 120 }, (_, i) => w.driver.command('stats', { user: `UL${i % 40}`, userName: `load${i % 40}` })));
      expect(sent.every((s) => s.status === 200)).toBe(true);
      open();
      await w.settle();
      const said = sent.map((s) => String(w.fake.responses.find((r) => r.id === s.responseId)?.body.text ?? ''));
      // Everyone heard something, exactly once.
      expect(said.every((text) => text !== '')).toBe(true);
      expect(said.filter((text) => apology.test(text))).toEqual([]);
      const shed = said.filter((text) => busy.test(text)).length;
      // Two at work and four waiting were admitted; the rest heard "busy" in their ack.
      expect(shed).toBe(120 - 6);
      expect(w.adapter.load()).toEqual({ inFlight: 0, queued: 0, shed });
      // The load is gone: the next commands are answered normally.
      for (let i = 0; i < 3; i++) {
        const after = await w.driver.command('stats', { user: `UL${i}`, userName: `load${i}` });
        await w.settle();
        const text = String(w.fake.responses.find((r) => r.id === after.responseId)?.body.text ?? '');
        expect(text).not.toMatch(busy);
        expect(text).not.toBe('');
      }
    });
  });
});
