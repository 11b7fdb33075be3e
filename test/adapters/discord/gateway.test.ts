import { afterEach, describe, expect, it } from 'vitest';
import { discordAdapterFactory } from '../../../adapters/discord/factory.js';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import { loadConfig } from '../../../src/config.js';
import { backend, testDb, TEST_DATABASE_URL } from '../../helpers/db.js';
import { FakeDiscord } from '../../fakes/discord/index.js';
import { eventually, log, member, RecordingDojo, startDiscord, type Harness } from './harness.js';

describe('the Discord gateway', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('identifies with only the Guilds intent when thread answers are off', async () => {
    h = await startDiscord(new RecordingDojo());
    expect(h.adapter.state).toBe('connected');
    expect(h.fake.gateway.identifies).toBe(1);
    expect(h.fake.gateway.intents).toBe(1);
    expect(h.fake.gateway.heartbeats).toBeGreaterThanOrEqual(0);
  });

  it('answers a quick command in its callback, handing the core the whole event', async () => {
    const dojo = new RecordingDojo();
    h = await startDiscord(dojo);
    const alice = member('alice', { manageGuild: true });
    const sent = h.fake.play.slash(alice, ['leaderboard'], { period: 'month' });
    expect((await h.fake.play.callbackOf(sent)).body).toMatchObject({ type: 4, data: { flags: 64, content: 'ok', allowed_mentions: { parse: [], users: [] } } });
    expect(dojo.events[0]).toMatchObject({
      type: 'command',
      text: 'leaderboard',
      parsed: { ok: true, intent: { cmd: 'leaderboard', period: 'month', scope: 'team' } },
      deliveryId: sent.id,
      team: { platform: 'discord', id: h.fake.guild.id, name: 'Backend Guild' },
      channel: { id: h.fake.channelId, name: 'interviews' },
      user: { id: alice.id, name: 'alice', isPlatformAdmin: true, roleIds: ['300000000000000001'] },
    });
  });

  it('answers every interaction even when the core throws, privately and once', async () => {
    const dojo = new RecordingDojo();
    dojo.answer = () => {
      throw new Error('boom');
    };
    h = await startDiscord(dojo);
    const sent = h.fake.play.slash(member('bob'), ['stats']);
    expect((await h.fake.play.editOf(sent)).body.content).toBe('Something went wrong on our side. Please try again in a moment.');
    const form = h.fake.play.slash(member('bob'), ['add-question']);
    expect((await h.fake.play.callbackOf(form)).body).toMatchObject({ type: 4, data: { flags: 64, content: 'Something went wrong on our side. Please try again in a moment.' } });
  });

  it('hands a thread’s messages to the core one at a time, in the order Discord sent them', async () => {
    const dojo = new RecordingDojo();
    const finished: string[] = [];
    dojo.answer = async (event) => {
      // The first message is slow to store; the second must still wait for it.
      if (event.type === 'message' && event.text === 'first') await new Promise((r) => setTimeout(r, 150));
      if (event.type === 'message') finished.push(event.text);
      return {};
    };
    h = await startDiscord(dojo, { threadAnswers: true });
    const team = { platform: 'discord' as const, id: h.fake.guild.id };
    const posted = await h.adapter.chat.post(team, h.fake.channelId, { text: 'card', blocks: [] }, { thread: { name: 'Round' } });
    const threadId = posted.thread.split(':')[2]!;
    const bob = member('bob');
    await eventually(() => expect(h!.adapter.client?.channels.cache.get(threadId)?.isThread()).toBe(true));
    h.fake.play.say(bob, threadId, 'first');
    h.fake.play.say(bob, threadId, 'second');
    h.fake.play.say(member('cy'), h.fake.channelId, 'not in a thread');
    await eventually(() => expect(finished).toEqual(['first', 'second']));
    expect(dojo.events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.thread)).toEqual([posted.thread, posted.thread]);
  });

  it('hands one person’s clicks to the core in order, while answering each at once', async () => {
    const dojo = new RecordingDojo();
    const finished: string[] = [];
    // The core holds the first click until the test releases it.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    dojo.answer = async (event) => {
      if (event.type === 'button' && event.action === 'choice:1:0') {
        held();
        await gate;
      }
      if (event.type === 'button') finished.push(event.action);
      return { reply: { text: 'ok', visibility: 'ephemeral' } };
    };
    h = await startDiscord(dojo, { answerBudgetMs: 0 }); // every click deferred at once
    const team = { platform: 'discord' as const, id: h.fake.guild.id };
    const card = await h.adapter.chat.post(team, h.fake.channelId, { text: 'pick', blocks: [{ type: 'buttons', buttons: [{ id: 'choice:1:0', label: 'A' }, { id: 'choice:1:1', label: 'B' }] }] });
    const messageId = card.message.split(':')[3]!;
    const bob = member('bob');
    const first = h.fake.play.click(bob, messageId, 'choice:1:0');
    const second = h.fake.play.click(bob, messageId, 'choice:1:1');
    const clicks = () => dojo.events.flatMap((e) => (e.type === 'button' ? [e.action] : []));
    try {
      await holding;
      // Both clicks are answered (deferred updates) while the first is still in the core, and the
      // second has not reached the core: it waits its turn.
      const [a, b] = await Promise.all([h.fake.play.callbackOf(first), h.fake.play.callbackOf(second)]);
      expect([a.body.type, b.body.type]).toEqual([6, 6]);
      expect(finished).toEqual([]);
      expect(clicks()).toEqual(['choice:1:0']);
    } finally {
      release();
    }
    await eventually(() => expect(finished).toEqual(['choice:1:0', 'choice:1:1']));
    expect(clicks()).toEqual(['choice:1:0', 'choice:1:1']);
  });

  it('keeps heartbeating and survives a drop with a resume, not a new identify', async () => {
    h = await startDiscord(new RecordingDojo(), {}, { heartbeatIntervalMs: 100 });
    await eventually(() => expect(h!.fake.gateway.heartbeats).toBeGreaterThanOrEqual(2));
    h.fake.gateway.drop(4000);
    await eventually(() => expect(h!.fake.gateway.resumes).toBe(1));
    expect(h.fake.gateway.identifies).toBe(1);
  });

  it.runIf(backend === 'postgres')('lets one instance hold the gateway; another stands by and takes over', async () => {
    const t = await testDb({ migrate: false });
    const fake = await new FakeDiscord().start();
    const make = () =>
      createDiscordAdapter({ token: 'fake-bot-token.for-tests.only', apiUrl: fake.apiUrl, log, topics: [], database: t, lockRetryMs: 100, handoverGraceMs: 100, readyTimeoutMs: 10_000, rest: { retries: 1, timeout: 5000 } });
    const first = make();
    const second = make();
    try {
      await first.start(new RecordingDojo());
      await second.start(new RecordingDojo());
      expect(first.state).toBe('connected');
      expect(second.state).toBe('standby');
      expect(fake.gateway.identifies).toBe(1);
      await first.stop();
      await eventually(() => expect(second.state).toBe('connected'), 5000);
      expect(fake.gateway.identifies).toBe(2);
    } finally {
      await first.stop();
      await second.stop();
      await fake.stop();
      await t.close();
    }
  });

  it.runIf(!TEST_DATABASE_URL)('starts from DISCORD_* through the server factory, at once on the embedded database', async () => {
    const t = await testDb({ migrate: false });
    const fake = await new FakeDiscord().start();
    try {
      expect(await discordAdapterFactory(loadConfig({}), t, log)).toBeUndefined();
      const adapter = await discordAdapterFactory(loadConfig({ DISCORD_TOKEN: 'fake-bot-token.for-tests.only', DISCORD_API_URL: fake.apiUrl }), t, log);
      expect(adapter?.platform).toBe('discord');
      await adapter!.start(new RecordingDojo() as never);
      expect(fake.gateway.identifies).toBe(1);
      expect(fake.gateway.intents).toBe(1);
      await adapter!.stop();
    } finally {
      await fake.stop();
      await t.close();
    }
  });
});
