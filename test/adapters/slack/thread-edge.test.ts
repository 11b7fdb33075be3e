/**
 * Thread answers taken at the edge, without Bolt's middleware (issue 13): which deliveries the edge
 * takes (the rest go to Bolt), and over signed HTTP against the fake Slack that it answers as Bolt
 * did: a retried delivery counted once with one ✅, a malformed one refused before the core sees it,
 * a workspace it does not know left to Bolt's 401, the core's failures answered so Slack retries.
 */
import { HTTPReceiver } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { edgeMessage } from '../../../adapters/slack/thread-edge.js';
import type { DojoCore } from '../../../src/core/dojo.js';
import { DojoUnavailable, type InboundEvent } from '../../../src/core/ports.js';
import { backend } from '../../helpers/db.js';
import type { Posted } from '../../fakes/slack/server.js';
import { world, type World } from './world.js';

const HOUR = 3_600_000;
const known = (teamId: string) => (teamId === 'T0001' ? { botUserId: 'UBOT1' } : undefined);
const envelope = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'event_callback', team_id: 'T0001', event_id: 'Ev1', event: { type: 'message', channel: 'C0001', user: 'UBOB', text: 'hi', ts: '2.1', thread_ts: '2.0', ...event }, ...extra });

describe('which deliveries the edge takes', () => {
  it('takes a person’s plain message in a thread of a workspace it knows, with the bot’s user id', () => {
    const body = envelope({});
    expect(edgeMessage(body, known)).toEqual({ envelope: body, event: body.event, botUserId: 'UBOT1' });
  });

  it("carries Slack's retry number (its last try is never shed for being busy), and ignores a malformed one", () => {
    const body = envelope({});
    expect(edgeMessage(body, known, '3')?.retryNum).toBe(3);
    for (const header of [undefined, '', 'three', '-1', '999', ['1', '2']]) expect(edgeMessage(body, known, header)?.retryNum, String(header)).toBeUndefined();
  });

  it('leaves everything else to Bolt', () => {
    const toBolt = [
      envelope({ ts: '2.0' }), // the thread's parent, or a top-level message
      envelope({ thread_ts: undefined }),
      envelope({ subtype: 'message_changed' }),
      envelope({ subtype: 'message_deleted' }),
      envelope({ subtype: 'thread_broadcast' }),
      envelope({ subtype: 'bot_message' }),
      envelope({ bot_id: 'B1' }),
      envelope({ hidden: true }),
      envelope({ user: undefined }),
      envelope({ type: 'app_mention' }),
      envelope({}, { team_id: 'T9999' }),
      envelope({}, { team_id: undefined }),
      envelope({}, { enterprise_id: 'E1' }),
      envelope({}, { is_ext_shared_channel: true }),
      envelope({}, { authorizations: [{ team_id: 'T0001', is_enterprise_install: true }] }),
      { ...envelope({}), type: 'url_verification' },
    ];
    for (const body of toBolt) expect(edgeMessage(body, known), JSON.stringify(body)).toBeUndefined();
  });
});

/** The core, remembering what reached it, and failing on demand as a database having a bad day would. */
function watched(dojo: DojoCore) {
  const seen: InboundEvent[] = [];
  let failures = 0;
  return {
    seen,
    failNext: () => void failures++,
    wrapped: {
      home: dojo.home,
      nameMember: dojo.nameMember,
      async handle(event: InboundEvent) {
        seen.push(event);
        if (failures > 0) {
          failures--;
          throw new DojoUnavailable({ cause: new Error('connection refused') });
        }
        return dojo.handle(event);
      },
    },
  };
}

describe(`thread answers at the edge on ${backend}`, () => {
  let w: World;
  let core: ReturnType<typeof watched>;
  let card: Posted;
  /** Requests Bolt's receiver handled (each receiver binds this method when it is made, so spy first). */
  let bolt: { mock: { calls: unknown[] } };
  beforeAll(async () => {
    bolt = vi.spyOn(HTTPReceiver.prototype as unknown as { unboundRequestListener: () => void }, 'unboundRequestListener');
    w = await world({ start: new Date('2026-11-23T07:00:00Z'), wrap: (dojo) => (core = watched(dojo)).wrapped });
    await w.driver.command('schedule set days:mon-fri time:08:00 tz:UTC window:2h kind:open', { user: 'UADA', userName: 'ada' });
    await w.advance(1 * HOUR);
    card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'))!;
    expect(card).toBeDefined();
  });
  afterAll(async () => w.close());

  const answers = () =>
    w.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.platform_user_id as user', 'answer.body']).orderBy('answer.id').execute();
  const reactionsOn = (ts: string) => w.fake.callsOf('reactions.add').filter((c) => c.args.timestamp === ts);
  /** The ✅ follows the commit on its own (the core does not hold the answer for it). */
  const reacted = (ts: string) => expect.poll(() => reactionsOn(ts).length, { timeout: 5_000 }).toBe(1);

  it('stores an answer and counts Slack’s retries of it once, with one ✅', async () => {
    const reply = { threadTs: card.ts, user: 'UALICE', ts: '1900000001.000100', text: 'Indexes trade writes for reads.' };
    const viaBolt = bolt.mock.calls.length;
    const first = await w.driver.threadReply(reply, { eventId: 'EvEDGE1' });
    const retried = await w.driver.threadReply(reply, { eventId: 'EvEDGE1', retryNum: 1 });
    const again = await w.driver.threadReply(reply, { eventId: 'EvEDGE1', retryNum: 2 });
    expect([first.status, retried.status, again.status]).toEqual([200, 200, 200]);
    expect(bolt.mock.calls.length).toBe(viaBolt); // taken at the edge, all three
    await w.settle();
    expect(await answers()).toEqual([{ user: 'UALICE', body: 'Indexes trade writes for reads.' }]);
    await reacted(reply.ts);
    expect(await w.t.db.selectFrom('processed_delivery').select('delivery_id').where('delivery_id', '=', 'EvEDGE1').execute()).toHaveLength(1);
  });

  it('refuses a malformed thread message with 400 before the core sees it, and takes the next one', async () => {
    const before = core.seen.length;
    const bad = [
      { thread_ts: 1900000000.0001 },
      { user: { id: 'UBOB' } },
      { text: 42 },
      { channel: undefined },
      { hidden: 'yes' },
    ];
    for (const [i, fields] of bad.entries()) {
      const event = { type: 'message', channel: 'C0001', user: 'UBOB', text: 'bad', ts: `1900000002.00010${i}`, thread_ts: card.ts, ...fields };
      const sent = await w.driver.event(event, { eventId: `EvBAD${i}` });
      expect(sent.status, JSON.stringify(fields)).toBe(400);
    }
    const noEventId = JSON.stringify({ type: 'event_callback', team_id: 'T0001', event: { type: 'message', channel: 'C0001', user: 'UBOB', text: 'bad', ts: '1900000002.000200', thread_ts: card.ts } });
    expect((await w.driver.post(noEventId, 'application/json')).status).toBe(400);
    expect(core.seen.length).toBe(before);

    const good = await w.driver.threadReply({ threadTs: card.ts, user: 'UBOB', ts: '1900000002.000300', text: 'Reads get faster.' });
    expect(good.status).toBe(200);
    await w.settle();
    expect(await answers()).toContainEqual({ user: 'UBOB', body: 'Reads get faster.' });
    await reacted(good.ts);
  });

  it('answers 500 when the core cannot store the answer, and the retry stores it once', async () => {
    core.failNext();
    const reply = { threadTs: card.ts, user: 'UCY', ts: '1900000003.000100', text: 'Writes get slower.' };
    const first = await w.driver.threadReply(reply, { eventId: 'EvEDGE3' });
    expect(first.status).toBe(500);
    expect(reactionsOn(reply.ts)).toHaveLength(0);
    const retried = await w.driver.threadReply(reply, { eventId: 'EvEDGE3', retryNum: 1 });
    expect(retried.status).toBe(200);
    await w.settle();
    expect((await answers()).filter((a) => a.user === 'UCY')).toEqual([{ user: 'UCY', body: 'Writes get slower.' }]);
    await reacted(reply.ts);
  });

  it('leaves a workspace it does not know to Bolt, which refuses it with 401', async () => {
    const before = core.seen.length;
    const viaBolt = bolt.mock.calls.length;
    const sent = await w.driver.threadReply({ team: 'T9999', threadTs: card.ts, user: 'UDAN', text: 'Not from here.' });
    expect(sent.status).toBe(401);
    expect(bolt.mock.calls.length).toBe(viaBolt + 1);
    expect(core.seen.length).toBe(before);
  });
});
