/**
 * A replayed interaction changes nothing: the same click and the same modal submit dispatched again,
 * even to a restarted adapter that remembers no ids, count once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/index.js';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { buttonsOf, log, member, shown } from './harness.js';

describe(`replayed Discord interactions on ${backend}`, () => {
  let h: CoreHarness;
  let restarted: DiscordAdapter | undefined;
  beforeAll(async () => {
    h = await startWithCore();
  });
  afterAll(async () => {
    await restarted?.stop();
    await h.stop();
  });

  it('counts a replayed click and a replayed modal submit once, across a restart', async () => {
    const ada = member('ada', { manageGuild: true });
    const bob = member('bob');
    await h.fake.play.editOf(h.fake.play.slash(ada, ['quiz'], { kind: 'choice', count: 1, seconds: 120 }));
    const announcement = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Quiz time'))!;
    const card = h.fake.messagesIn(announcement.id)[0]!;
    const choice = buttonsOf(card)[0]!.custom_id;
    const click = h.fake.play.click(bob, card.id, choice);
    expect(shown((await h.fake.play.followUpOf(click)).body)).toMatch(/^Got it/);
    const values = { prompt: 'What does a write-ahead log buy you?', kind: 'open', topic: 'databases', difficulty: 'beginner', details: 'durability\nordering\nrecovery' };
    const submit = h.fake.play.submitRaw(bob, 'add-question', values);
    expect(shown((await h.fake.play.editOf(submit)).body)).toMatch(/question/i);
    const before = {
      answers: await h.t.db.selectFrom('answer').select(['id', 'choice_index', 'response_ms', 'updated_at']).execute(),
      questions: await h.t.db.selectFrom('question').select('id').where('source', '=', 'team').execute(),
    };

    // Later (so a second handling of the click would change its time), in a new process that knows no ids.
    await h.advance(5_000);
    await h.adapter.stop();
    restarted = createDiscordAdapter({ token: 'fake-bot-token.for-tests.only', apiUrl: h.fake.apiUrl, log, topics: ['databases'], database: h.t, rest: { retries: 1, timeout: 5000 }, readyTimeoutMs: 10_000 });
    await restarted.start(h.dojo);
    const callbacks = (sent: { id: string; token: string }) => h.fake.rest.calls.filter((c) => c.path === `/interactions/${sent.id}/${sent.token}/callback`).length;
    h.fake.play.click(bob, card.id, choice, click.id);
    h.fake.play.submitRaw(bob, 'add-question', values, { id: submit.id });
    await h.fake.waitFor(() => callbacks(click) >= 2 && callbacks(submit) >= 2, 5000, 'the replays answered');
    // bob's interactions reach the core one at a time: once this one is answered, the replays are done.
    const after = h.fake.play.click(bob, card.id, 'forget:cancel');
    expect(shown((await h.fake.play.followUpOf(after)).body)).toBe('Nothing was deleted.');

    expect(await h.t.db.selectFrom('answer').select(['id', 'choice_index', 'response_ms', 'updated_at']).execute()).toEqual(before.answers);
    expect(await h.t.db.selectFrom('question').select('id').where('source', '=', 'team').execute()).toEqual(before.questions);
  });
});
