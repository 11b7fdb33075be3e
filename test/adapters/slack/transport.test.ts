/**
 * The HTTP contract with Slack: signatures, the 3-second ack whatever the core is doing, non-2xx for an
 * event that could not be stored (and its retry counted once), 503 before start.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../adapters/slack/index.js';
import type { DojoCore } from '../../../src/core/dojo.js';
import { DojoUnavailable, type InboundEvent } from '../../../src/core/ports.js';
import { answersOfRound } from '../../../src/db/repos/answers.js';
import { backend } from '../../helpers/db.js';
import { SIGNING_SECRET, SlackDriver, sign } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { FAST_CLIENT, testLog, world, type World } from './world.js';

const HOUR = 3_600_000;

/** The core behind a gate the test opens, and able to fail on demand: a database having a bad day. */
function gated(dojo: DojoCore) {
  let open: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const failures: InboundEvent['type'][] = [];
  const seen: InboundEvent[] = [];
  return {
    close() {
      gate = new Promise((resolve) => (open = resolve));
    },
    open: () => open(),
    failNext: (type: InboundEvent['type']) => failures.push(type),
    seen,
    wrapped: {
      home: dojo.home,
      async handle(event: InboundEvent) {
        seen.push(event);
        await gate;
        const i = failures.indexOf(event.type);
        if (i >= 0) {
          failures.splice(i, 1);
          throw new DojoUnavailable({ cause: new Error('connection refused') });
        }
        return dojo.handle(event);
      },
    },
  };
}

describe(`Slack HTTP transport on ${backend}`, () => {
  let w: World;
  let g: ReturnType<typeof gated>;
  beforeAll(async () => {
    w = await world({ wrap: (dojo) => (g = gated(dojo)).wrapped });
  });
  afterAll(async () => w.close());
  afterEach(async () => {
    g.open();
    await w.settle();
  });

  it('rejects a bad signature and a stale timestamp with 401, and the core never sees them', async () => {
    const body = new URLSearchParams({ team_id: 'T0001', channel_id: 'C0001', user_id: 'UALICE', command: '/dojo', text: 'help', response_url: w.fake.responseUrl('x'), trigger_id: 't' }).toString();
    const before = g.seen.length;
    const forged = await w.driver.post(body, 'application/x-www-form-urlencoded', { signature: sign('0'.repeat(32), Math.floor(Date.now() / 1000), body) });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const old = await w.driver.post(body, 'application/x-www-form-urlencoded', { timestamp: stale, signature: sign(SIGNING_SECRET, stale, body) });
    expect(old.status).toBe(401);
    const tampered = await w.driver.post(body.replace('help', 'export'), 'application/x-www-form-urlencoded', { signature: sign(SIGNING_SECRET, Math.floor(Date.now() / 1000), body) });
    expect(tampered.status).toBe(401);
    await w.settle();
    expect(g.seen.length).toBe(before);
    expect(w.fake.responses.find((r) => r.id === 'x')).toBeUndefined();
  });

  it("answers Slack's url_verification challenge", async () => {
    const sent = await w.driver.post(JSON.stringify({ type: 'url_verification', token: 't', challenge: 'abc123' }), 'application/json');
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('abc123');
  });

  it('acks a command within Slack’s 3 seconds while the core is stuck, and the answer follows through the response_url', async () => {
    g.close();
    const started = Date.now();
    const sent = await w.driver.command('help');
    expect(sent.status).toBe(200);
    // The ack waits for the answer only as long as the answer budget (250 ms), then goes out empty.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sent.text).toBe('');
    expect(w.fake.responses.find((r) => r.id === sent.responseId)).toBeUndefined();
    g.open();
    await w.settle();
    const reply = w.fake.responses.find((r) => r.id === sent.responseId);
    expect(reply?.body.response_type).toBe('ephemeral');
    expect(String(reply?.body.text)).toMatch(/Here is what you can do/);
  });

  it('a board that misses the answer budget follows through the response_url, still in the channel', async () => {
    g.close();
    const sent = await w.driver.command('leaderboard week');
    expect(sent.status).toBe(200);
    expect(sent.text).toBe('');
    g.open();
    await w.settle();
    const shown = w.fake.responses.filter((r) => r.id === sent.responseId);
    expect(shown.map((r) => [r.via, r.body.response_type])).toEqual([[undefined, 'in_channel']]);
    expect(String(shown[0]?.body.text)).toMatch(/Leaderboard · This week/);
  });

  it('acks a click at once and a modal submission within Slack’s 3 seconds while the core is stuck', async () => {
    g.close();
    const started = Date.now();
    const click = await w.driver.click('forget:cancel');
    expect(Date.now() - started).toBeLessThan(1000);
    // A submission waits a little for the core, which may keep the form open with an error on a field.
    const submit = await w.driver.submit({ callback_id: 'add-question', private_metadata: JSON.stringify({ c: 'C0001' }) }, { prompt: 'x' });
    expect([click.status, submit.status]).toEqual([200, 200]);
    expect(Date.now() - started).toBeLessThan(2800);
    g.open();
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === click.responseId)?.body.text).toBe('Nothing was deleted.');
  });

  it('sends a private answer by DM where the bot cannot post (a modal submitted from a channel it is not in)', async () => {
    w.fake.once('chat.postEphemeral', () => ({ ok: false, error: 'not_in_channel' }));
    const sent = await w.driver.submit({ callback_id: 'answer:999999', private_metadata: JSON.stringify({ c: 'CNOTIN' }) }, { body: 'An answer to a round that is gone' });
    expect(sent.status).toBe(200);
    await w.settle();
    expect(w.fake.callsOf('chat.postEphemeral').at(-1)?.args.channel).toBe('CNOTIN');
    expect(w.fake.posted({ channel: 'DALICE' }).at(-1)?.text).toMatch(/^That question is no longer here/);
  });

  it('tells the person when the database is down instead of leaving them waiting', async () => {
    g.failNext('command');
    const sent = await w.driver.command('stats');
    expect(sent.status).toBe(200);
    await w.settle();
    const reply = w.fake.responses.find((r) => r.id === sent.responseId);
    expect(reply?.body).toMatchObject({ response_type: 'ephemeral', text: new DojoUnavailable().userMessage });
  });

  it('answers 500 for an event that could not be stored, and counts the retries of it once', async () => {
    await w.driver.command('schedule set days:mon-fri time:09:00 tz:UTC window:2h kind:open', { user: 'UADA', userName: 'ada' });
    await w.advance(2 * HOUR);
    const card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'));
    expect(card).toBeDefined();

    g.failNext('message');
    const reply = { threadTs: card!.ts, text: 'An index trades write speed for read speed.', user: 'UBOB', ts: '1900000100.000100' };
    const first = await w.driver.threadReply(reply, { eventId: 'EvRETRY1' });
    expect(first.status).toBe(500);
    const second = await w.driver.threadReply(reply, { eventId: 'EvRETRY1', retryNum: 1 });
    expect(second.status).toBe(200);
    const third = await w.driver.threadReply(reply, { eventId: 'EvRETRY1', retryNum: 2 });
    expect(third.status).toBe(200);

    const rounds = await w.t.db.selectFrom('round').select('id').where('kind', '=', 'qotd').execute();
    const answers = await answersOfRound(w.t.db, rounds[0]!.id);
    expect(answers.map((a) => [a.display_name, a.body])).toEqual([['bob', 'An index trades write speed for read speed.']]);
    const deliveries = await w.t.db.selectFrom('processed_delivery').select('delivery_id').where('delivery_id', '=', 'EvRETRY1').execute();
    expect(deliveries).toHaveLength(1);
  });
});

describe('Slack adapter before start', () => {
  it('refuses to start with a bot token Slack does not accept, saying which', async () => {
    const fake = await FakeSlack.start();
    const adapter = createSlackAdapter({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-revoked', apiUrl: fake.apiUrl, log: testLog(), client: FAST_CLIENT });
    try {
      await expect(adapter.start({ handle: async () => ({}) })).rejects.toThrow(/^Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\)/);
    } finally {
      await fake.stop();
    }
  });

  it('answers 503 so Slack retries, until the core is there', async () => {
    const fake = await FakeSlack.start();
    const adapter = createSlackAdapter({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-acme', apiUrl: fake.apiUrl, log: testLog(), client: FAST_CLIENT });
    const driver = await SlackDriver.start(adapter, fake);
    try {
      const sent = await driver.event({ type: 'message', channel: 'C0001', user: 'UBOB', text: 'hi', ts: '1.1', thread_ts: '1.0' });
      expect(sent.status).toBe(503);
      const other = await fetch(`${driver.url}/healthz`);
      expect(other.status).toBe(404); // not Slack's path: left to the bot's own server
    } finally {
      await driver.stop();
      await fake.stop();
    }
  });
});
