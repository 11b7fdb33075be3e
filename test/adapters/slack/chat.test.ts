/**
 * The ChatPort on the real WebClient against the fake Web API: refs, rate limits (429 + Retry-After),
 * queueing per workspace, and Slack's errors as ChatError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/index.js';
import { boardChart } from '../../../src/charts/index.js';
import { message } from '../../../src/core/messages.js';
import { pngSize } from '../../helpers/png.js';
import { ChatError, type Dojo } from '../../../src/core/ports.js';
import { SIGNING_SECRET } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { FAST_CLIENT, testLog } from './world.js';

const team = { platform: 'slack' as const, id: 'T0001' };
const hello = message([{ type: 'text', text: 'Hello' }]);
const nobody: Dojo = { handle: async () => ({}) };

describe('Slack ChatPort', () => {
  let fake: FakeSlack;
  let slack: SlackAdapter;
  beforeAll(async () => {
    fake = await FakeSlack.start();
    slack = createSlackAdapter({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-acme', apiUrl: fake.apiUrl, log: testLog(), client: FAST_CLIENT });
    await slack.start(nobody);
  });
  afterAll(async () => {
    await slack.stop();
    await fake.stop();
  });

  it('posts with the bot token and hands out refs whose thread is the message', async () => {
    const posted = await slack.chat.post(team, 'C0001', hello);
    const [call] = fake.callsOf('chat.postMessage').slice(-1);
    expect(call?.token).toBe('xoxb-acme');
    expect(posted.message).toBe(`slack:T0001:C0001:${call?.args.ts}`);
    expect(posted.thread).toBe(posted.message);
    const reply = await slack.chat.reply(team, posted.thread, hello);
    const [replyCall] = fake.callsOf('chat.postMessage').slice(-1);
    expect(replyCall?.args).toMatchObject({ channel: 'C0001', thread_ts: call?.args.ts });
    expect(reply).toBe(`slack:T0001:C0001:${replyCall?.args.ts}`);
    await slack.chat.update(team, posted.message, message([{ type: 'text', text: 'Closed' }]));
    expect(fake.callsOf('chat.update').at(-1)?.args).toMatchObject({ channel: 'C0001', ts: call?.args.ts });
  });

  it('shares a post’s pictures right after it, in the same channel, with their alt text', async () => {
    const board = await boardChart([{ name: 'ada', points: 12 }, { name: 'bob', points: 7 }], { title: 'This week' });
    const uploads = fake.uploads.length;
    await slack.chat.post(team, 'C0003', { ...hello, files: [board] });
    expect(fake.posted({ channel: 'C0003' }).map((p) => p.text)).toEqual(['Hello']);
    expect(fake.callsOf('files.getUploadURLExternal').at(-1)?.args).toMatchObject({ filename: 'dojo-board.png', alt_text: 'This week: 1. ada 12, 2. bob 7.', length: String(board.bytes.length) });
    const [upload] = fake.uploads.slice(uploads);
    expect(Buffer.compare(upload!.bytes, Buffer.from(board.bytes))).toBe(0);
    expect(pngSize(upload!.bytes)).toEqual({ width: 800, height: 64 + 2 * 36 + 24 });
    expect(fake.callsOf('files.completeUploadExternal').at(-1)?.args).toMatchObject({ channel_id: 'C0003', files: [{ id: upload!.id, title: 'dojo-board.png' }] });
  });

  it('keeps a post whose pictures Slack refuses: the words are out, the picture is best effort', async () => {
    fake.once('files.getUploadURLExternal', () => ({ ok: false, error: 'not_allowed_token_type' }));
    const board = await boardChart([{ name: 'ada', points: 1 }]);
    const posted = await slack.chat.post(team, 'C0004', { ...hello, files: [board] });
    expect(posted.message).toMatch(/^slack:T0001:C0004:/);
    expect(fake.posted({ channel: 'C0004' })).toHaveLength(1);
  });

  it('opens the direct message once and posts there', async () => {
    await slack.chat.dm(team, 'UBOB', hello);
    await slack.chat.dm(team, 'UBOB', hello);
    expect(fake.callsOf('conversations.open')).toHaveLength(1);
    expect(fake.posted({ channel: 'DBOB' })).toHaveLength(2);
  });

  it('waits out a 429 with Retry-After and then posts, never failing the core', async () => {
    fake.once('chat.postMessage', () => ({ status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } }));
    const before = fake.callsOf('chat.postMessage').length;
    const started = Date.now();
    const posted = await slack.chat.post(team, 'C0002', hello);
    const elapsed = Date.now() - started;
    const calls = fake.callsOf('chat.postMessage').slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(posted.message).toMatch(/^slack:T0001:C0002:/);
  });

  it('paces reactions in a lane of their own: a 429 on reactions.add holds up no post, and the ✅ follows', async () => {
    const target = await slack.chat.post(team, 'C0005', hello);
    fake.once('reactions.add', () => ({ status: 429, headers: { 'Retry-After': '1' }, body: { ok: false, error: 'ratelimited' } }));
    const before = fake.callsOf('reactions.add').length;
    const reacting = slack.chat.react!(team, target.message, 'recorded');
    await expect.poll(() => fake.callsOf('reactions.add').length).toBe(before + 1);
    // The reactions lane now waits out its second; a post goes at once (one client would hold it too).
    const started = Date.now();
    await slack.chat.post(team, 'C0005', hello);
    expect(Date.now() - started).toBeLessThan(900);
    expect(fake.callsOf('reactions.add')).toHaveLength(before + 1);
    await reacting;
    const calls = fake.callsOf('reactions.add').slice(before);
    expect(calls.map((c) => c.args.timestamp)).toEqual([calls[0]!.args.timestamp, calls[0]!.args.timestamp]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('on a retry finds the message an earlier try posted (its key in the metadata) instead of posting twice', async () => {
    const first = await slack.chat.post(team, 'C0004', hello, { key: 'o77.k1' });
    expect(fake.callsOf('chat.postMessage').at(-1)!.args.metadata).toEqual({ event_type: 'dojo_delivery', event_payload: { key: 'o77.k1' } });
    const before = fake.posted({ channel: 'C0004' }).length;
    expect(await slack.chat.post(team, 'C0004', hello, { key: 'o77.k1', retry: true })).toEqual(first);
    const reply = await slack.chat.reply(team, first.thread, hello, { key: 'o78.k1' });
    expect(await slack.chat.reply(team, first.thread, hello, { key: 'o78.k1', retry: true })).toBe(reply);
    expect(fake.posted({ channel: 'C0004' }).length).toBe(before + 1);
    // A first try (no retry) never pays for the look-up; an unknown key on a retry posts.
    expect(fake.callsOf('conversations.history')).toHaveLength(1);
    await slack.chat.post(team, 'C0004', hello, { key: 'o79.k1', retry: true });
    expect(fake.posted({ channel: 'C0004' }).length).toBe(before + 2);
  });

  it('queues a fan-out to many channels per workspace instead of bursting (128 calls in flight at most)', async () => {
    fake.delays.set('chat.postMessage', 30);
    fake.maxInFlight.delete('xoxb-acme');
    const channels = Array.from({ length: 300 }, (_, i) => `CFAN${i}`);
    try {
      const posted = await Promise.all(channels.map((c) => slack.chat.post(team, c, hello)));
      expect(posted).toHaveLength(300);
      expect(fake.maxInFlight.get('xoxb-acme')).toBeLessThanOrEqual(128);
      expect(fake.maxInFlight.get('xoxb-acme')).toBeGreaterThanOrEqual(17);
    } finally {
      fake.delays.delete('chat.postMessage');
    }
  });

  it.each([
    ['not_in_channel', 'not_in_channel'],
    ['channel_not_found', 'channel_not_found'],
    ['is_archived', 'archived'],
    ['missing_scope', 'missing_permissions'],
    ['restricted_action', 'missing_permissions'],
  ])('turns %s into a permanent ChatError %s', async (slackError, code) => {
    fake.once('chat.postMessage', () => ({ ok: false, error: slackError }));
    const failure = await slack.chat.post(team, 'C0003', hello).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatError);
    expect(failure).toMatchObject({ code, permanent: true });
  });

  it('turns account_inactive on a direct message into user_unavailable', async () => {
    fake.once('conversations.open', () => ({ ok: false, error: 'account_inactive' }));
    const failure = await slack.chat.dm(team, 'UGONE', hello).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'user_unavailable', permanent: true });
  });

  it('reports Slack being down as a temporary failure, after its retries', async () => {
    fake.on('chat.update', () => ({ status: 503, body: 'down' }));
    try {
      const failure = await slack.chat.update(team, 'slack:T0001:C0001:1800000001.000001', hello).catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'unavailable', permanent: false });
      expect(fake.callsOf('chat.update').length).toBeGreaterThanOrEqual(3);
    } finally {
      fake.on('chat.update', () => ({ ok: true }));
    }
  });

  it('refuses refs of another workspace or platform', async () => {
    await expect(slack.chat.reply(team, 'slack:T0999:C0001:1.000001', hello)).rejects.toMatchObject({ code: 'message_not_found' });
    await expect(slack.chat.reply(team, 'discord:1:2', hello)).rejects.toMatchObject({ code: 'channel_not_found' });
    await expect(slack.chat.post({ platform: 'slack', id: 'T0999' }, 'C1', hello)).rejects.toMatchObject({ code: 'missing_permissions' });
  });
});
