import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { boardChart } from '../../../src/charts/index.js';
import { message, textMessage } from '../../../src/core/messages.js';
import { pngSize } from '../../helpers/png.js';
import { ChatError, type TeamRef } from '../../../src/core/ports.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { error } from '../../fakes/discord/rest.js';
import { log, member, shown } from './harness.js';

// The ChatPort needs only REST: these run without the gateway, as a standby instance would.
describe('the Discord ChatPort', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let team: TeamRef;

  beforeAll(async () => {
    fake = await new FakeDiscord({ messagesPerSecond: 3 }).start();
    adapter = createDiscordAdapter({ token: 'fake-bot-token.for-tests.only', apiUrl: fake.apiUrl, log, topics: [], rest: { retries: 1, timeout: 5000 } });
    team = { platform: 'discord', id: fake.guild.id };
  });
  afterAll(async () => {
    await adapter.stop();
    await fake.stop();
  });

  it('posts, opens a thread whose ref equals the message id, replies there and updates the card', async () => {
    const posted = await adapter.chat.post(team, fake.channelId, message([{ type: 'header', text: 'Question of the day' }, { type: 'text', text: 'What is an index?' }]), { thread: { name: 'What is an index?' } });
    const [, , channelId, messageId] = posted.message.split(':');
    expect(posted.message).toBe(`discord:${fake.guild.id}:${fake.channelId}:${messageId}`);
    expect(channelId).toBe(fake.channelId);
    expect(posted.thread).toBe(`discord:${fake.guild.id}:${messageId}`);
    expect(fake.threads.get(messageId!)).toMatchObject({ name: 'What is an index?', parent_id: fake.channelId });
    expect(fake.calls('POST', /\/threads$/)[0]!.body).toEqual({ name: 'What is an index?', auto_archive_duration: 10080 });

    const reply = await adapter.chat.reply(team, posted.thread, textMessage("Time's up"));
    expect(reply).toMatch(new RegExp(`^discord:${fake.guild.id}:${messageId}:\\d+$`));
    expect(fake.messagesIn(messageId!).map(shown)).toEqual(["Time's up"]);

    await adapter.chat.update(team, posted.message, message([{ type: 'header', text: 'Closed' }, { type: 'text', text: 'See the thread.' }]));
    expect(shown(fake.messages.get(messageId!))).toBe('Closed\nSee the thread.');
  });

  it('posts a message with its pictures as attachments in one multipart request, alt text as their description', async () => {
    const board = await boardChart([{ name: 'ada', points: 12 }, { name: 'bob', points: 7 }], { title: 'This week' });
    await adapter.chat.post(team, fake.channelId, { ...textMessage('The week in review'), files: [board] });
    const call = fake.calls('POST', new RegExp(`/channels/${fake.channelId}/messages$`)).at(-1)!;
    expect(shown(call.body)).toBe('The week in review');
    expect(call.body.attachments).toEqual([{ id: 0, filename: 'dojo-board.png', description: 'This week: 1. ada 12, 2. bob 7.' }]);
    expect(call.files.map((f) => [f.name, f.type])).toEqual([['dojo-board.png', 'image/png']]);
    expect(Buffer.compare(call.files[0]!.bytes, Buffer.from(board.bytes))).toBe(0);
    expect(pngSize(call.files[0]!.bytes)).toEqual({ width: 800, height: 64 + 2 * 36 + 24 });
  });

  it('posts a card and its reply once when a retry sends them again with the same key (nonce)', async () => {
    const card = message([{ type: 'header', text: 'Question of the day' }, { type: 'text', text: 'What is MVCC?' }]);
    const first = await adapter.chat.post(team, fake.channelId, card, { thread: { name: 'What is MVCC?' }, key: 'o901.abc' });
    // A crashed instance's retry: same key, the thread already open.
    const again = await adapter.chat.post(team, fake.channelId, card, { thread: { name: 'What is MVCC?' }, key: 'o901.abc', retry: true });
    expect(again).toEqual(first);
    expect(fake.messagesIn(fake.channelId).filter((m) => shown(m).includes('What is MVCC?'))).toHaveLength(1);
    expect(fake.calls('POST', new RegExp(`/channels/${fake.channelId}/messages$`)).at(-1)!.body).toMatchObject({ nonce: 'o901.abc', enforce_nonce: true });
    const reply = await adapter.chat.reply(team, first.thread, textMessage("Time's up"), { key: 'o902.abc' });
    expect(await adapter.chat.reply(team, first.thread, textMessage("Time's up"), { key: 'o902.abc', retry: true })).toBe(reply);
    expect(fake.messagesIn(first.thread.split(':')[2]!).map(shown)).toEqual(["Time's up"]);
  });

  it('reopens an archived thread to reply in it', async () => {
    const posted = await adapter.chat.post(team, fake.channelId, textMessage('card'), { thread: { name: 'quiet' } });
    const threadId = posted.thread.split(':')[2]!;
    fake.fail('POST', new RegExp(`^/channels/${threadId}/messages$`), error(400, 50083, 'Thread is archived'));
    await adapter.chat.reply(team, posted.thread, textMessage('Time is up'));
    expect(fake.calls('PATCH', new RegExp(`^/channels/${threadId}$`)).map((c) => c.body)).toEqual([{ archived: false }]);
    expect(fake.messagesIn(threadId).map(shown)).toEqual(['Time is up']);
  });

  it('maps Discord errors to ChatError codes', async () => {
    const attempt = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as ChatError);
    fake.fail('POST', new RegExp(`^/channels/${fake.channelId}/messages$`), error(403, 50013, 'Missing Permissions'));
    expect(await attempt(adapter.chat.post(team, fake.channelId, textMessage('hi')))).toMatchObject({ code: 'missing_permissions', permanent: true });
    fake.fail('POST', new RegExp(`^/channels/${fake.channelId}/messages$`), error(403, 50001, 'Missing Access'));
    expect(await attempt(adapter.chat.post(team, fake.channelId, textMessage('hi')))).toMatchObject({ code: 'missing_permissions' });
    expect(await attempt(adapter.chat.post(team, '999999999999999999', textMessage('hi')))).toMatchObject({ code: 'channel_not_found', permanent: true });
    expect(await attempt(adapter.chat.update(team, `discord:${fake.guild.id}:${fake.channelId}:123`, textMessage('x')))).toMatchObject({ code: 'message_not_found' });
    expect(await attempt(adapter.chat.dm(team, '555555555555555555', textMessage('hi')))).toMatchObject({ code: 'user_unavailable' });
    fake.fail('POST', new RegExp(`^/channels/${fake.channelId}/messages$`), { status: 500, body: { message: 'oops', code: 0 } }, 2);
    expect(await attempt(adapter.chat.post(team, fake.channelId, textMessage('hi')))).toMatchObject({ code: 'unavailable', permanent: false });
  });

  it('takes the card down when the thread cannot be opened, and accepts a thread that already exists', async () => {
    fake.fail('POST', /\/threads$/, error(403, 50013, 'Missing Permissions'));
    const failure = await adapter.chat.post(team, fake.channelId, textMessage('card'), { thread: { name: 'x' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatError);
    expect((failure as ChatError).code).toBe('missing_permissions');
    const deleted = fake.calls('DELETE', new RegExp(`^/channels/${fake.channelId}/messages/\\d+$`));
    expect(deleted).toHaveLength(1);

    fake.fail('POST', /\/threads$/, error(400, 160004, 'A thread has already been created for this message'));
    const posted = await adapter.chat.post(team, fake.channelId, textMessage('card'), { thread: { name: 'x' } });
    expect(posted.thread).toMatch(/^discord:\d+:\d+$/);
  });

  it('sends DMs with buttons that name their guild', async () => {
    const bob = member('bob');
    fake.users.set(bob.id, bob);
    await adapter.chat.dm(team, bob.id, message([{ type: 'text', text: 'Review one?' }, { type: 'buttons', buttons: [{ id: 'review:next', label: 'Review one now' }] }]));
    const sent = fake.messagesIn(fake.dmChannel(bob.id)).at(-1)!;
    expect((sent.components[0] as { components: { custom_id: string }[] }).components[0]!.custom_id).toBe(`review:next#${fake.guild.id}`);
  });

  it('queues a fan-out through rate limits instead of failing it', async () => {
    const channels = [fake.addChannel('a'), fake.addChannel('b'), fake.addChannel('c')];
    fake.fail('POST', new RegExp(`^/channels/${channels[0]}/messages$`), { status: 429, headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' }, body: { message: 'You are being rate limited.', retry_after: 0.2, global: false } });
    const started = Date.now();
    const posts = channels.flatMap((c) => Array.from({ length: 5 }, (_, i) => adapter.chat.post(team, c, textMessage(`fan-out ${i}`))));
    const results = await Promise.allSettled(posts);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const c of channels) expect(fake.messagesIn(c)).toHaveLength(5);
    // 5 messages at 3 a second per channel: the second second is waited for, not failed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
