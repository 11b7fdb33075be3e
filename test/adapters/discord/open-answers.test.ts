/**
 * Open questions on Discord through real discord.js and the fake Discord, in the default setup (only
 * DISCORD_TOKEN: no Message Content intent, members answer with the Answer button's form) and with
 * DISCORD_THREAD_ANSWERS on (thread messages are answers, acknowledged with ✅).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import type { FakeUser } from '../../fakes/discord/index.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { buttonsOf, eventually, member, shown } from './harness.js';

const HOUR = 3_600_000;
const ada = member('ada', { manageGuild: true });
const bob = member('bob');
const cy = member('cy');

const participation = (h: CoreHarness) =>
  h.t.db
    .selectFrom('point_event')
    .innerJoin('member', 'member.id', 'point_event.member_id')
    .select(['member.display_name as who', 'point_event.points'])
    .where('point_event.kind', '=', 'participation')
    .orderBy('point_event.id')
    .execute();

/** Clicks the card's Answer button and submits the form; returns what the member was told. */
async function answerWithForm(h: CoreHarness, user: FakeUser, cardId: string, text: string): Promise<string> {
  const button = buttonsOf(h.fake.messages.get(cardId)).find((b) => b.label === 'Answer');
  expect(button).toBeDefined();
  const click = h.fake.play.click(user, cardId, button!.custom_id);
  const modal = await h.fake.play.callbackOf(click);
  expect(modal.body).toMatchObject({ type: 9, data: { title: 'Your answer' } });
  const submit = h.fake.play.submit(user, modal, { body: text });
  return shown((await h.fake.play.followUpOf(submit)).body);
}

describe(`open questions on Discord by default (no Message Content intent), on ${backend}`, () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startWithCore();
  });
  afterAll(async () => h?.stop());

  it('asks for no privileged intent', () => {
    expect(h.fake.gateway.intents).toBe(1); // Guilds only
  });

  it('answers an open question on Discord with the Answer button when thread replies are off', async () => {
    const set = h.fake.play.slash(ada, ['schedule', 'set'], { time: '09:00', tz: 'UTC', window: '2h', kind: 'open' });
    await h.fake.play.editOf(set);
    await h.advance(2 * HOUR); // 09:00
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question of the day'))!;
    expect(shown(card)).toMatch(/Press Answer to write yours/);
    expect(shown(card)).not.toMatch(/Reply in this thread/);

    expect(await answerWithForm(h, bob, card.id, 'An index is a sorted structure @everyone')).toMatch(/^Thanks, your answer is in!/);
    expect(await answerWithForm(h, bob, card.id, 'An index is a sorted structure; it speeds up reads.')).toMatch(/^Your answer is updated\./);
    expect(await answerWithForm(h, cy, card.id, 'A hash map on disk.')).toMatch(/^Thanks, your answer is in!/);
    // Without the intent, writing in the thread reaches nobody: no answer, no reaction.
    h.fake.play.say(cy, card.id, 'typed in the thread');
    expect(await h.t.db.selectFrom('answer').select('body').orderBy('id').execute()).toEqual([
      { body: 'An index is a sorted structure; it speeds up reads.' },
      { body: 'A hash map on disk.' },
    ]);

    await h.advance(2 * HOUR); // 11:00: the round closes
    const summary = await eventually(() => {
      const text = h.fake.messagesIn(card.id).map(shown).find((t) => t.startsWith("Time's up"));
      expect(text).toBeDefined();
      return text!;
    });
    expect(summary).toMatch(/The answers[\s\S]*> An index is a sorted structure; it speeds up reads\.[\s\S]*bob[\s\S]*> A hash map on disk\.[\s\S]*cy/);
    expect(summary).toMatch(/2 answers from bob and cy\. Thanks!/);
    expect(await participation(h)).toEqual([
      { who: 'bob', points: 2 },
      { who: 'cy', points: 2 },
    ]);
    expect(h.fake.reactions).toEqual([]);
  });

  it('offers the Answer button on /dojo question and on open quiz questions, and says so', async () => {
    const question = h.fake.play.slash(bob, ['question'], { topic: 'databases' }, h.fake.guild.channels[1]!.id);
    expect(shown((await h.fake.play.editOf(question)).body)).toMatch(/^Posted! (Answer it with its Answer button|Pick an answer on it) within the hour\.$/);

    const quiz = h.fake.play.slash(ada, ['quiz'], { kind: 'open', count: 1, seconds: 60 });
    await h.fake.play.editOf(quiz);
    const announcement = h.fake.messagesIn(h.fake.channelId).filter((m) => shown(m).startsWith('Quiz time')).at(-1)!;
    expect(shown(announcement)).toMatch(/Open questions: press Answer on the question\./);
    const card = await eventually(() => {
      const c = h.fake.messagesIn(announcement.id).find((m) => shown(m).startsWith('Question 1 of 1'));
      expect(c).toBeDefined();
      return c!;
    });
    expect(await answerWithForm(h, bob, card.id, 'Quorum reads and writes.')).toMatch(/^Thanks, your answer is in!/);
    await h.advance(61_000);
    const thread = h.fake.messagesIn(announcement.id).map(shown);
    expect(thread.find((t) => t.startsWith("Time's up: question 1"))).toMatch(/> Quorum reads and writes\.[\s\S]*1 answer from bob/);
    expect(thread.at(-1)).toMatch(/Quiz over: the standings[\s\S]*bob/);
  });

  it('help names the subcommands as Discord registers them: /dojo quiz-stop', async () => {
    const help = h.fake.play.slash(bob, ['help']);
    const text = shown((await h.fake.play.editOf(help)).body);
    expect(text).toContain('/dojo quiz-stop ends it');
    expect(text).not.toContain('/dojo quiz stop');
  });
});

describe(`open questions on Discord with thread answers on, on ${backend}`, () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startWithCore({ adapter: { threadAnswers: true } });
  });
  afterAll(async () => h?.stop());

  it('takes thread messages as answers, puts a ✅ on each, and scores them at close', async () => {
    const set = h.fake.play.slash(ada, ['schedule', 'set'], { time: '09:00', tz: 'UTC', window: '2h', kind: 'open' });
    await h.fake.play.editOf(set);
    await h.advance(2 * HOUR);
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question of the day'))!;
    expect(shown(card)).toMatch(/Reply in this thread to answer/);
    expect(buttonsOf(card).map((b) => b.label)).not.toContain('Answer');
    await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages/${card.id}/threads`);

    const said = h.fake.play.say(bob, card.id, 'An index is a sorted structure.');
    await eventually(() => expect(h.fake.reactions).toEqual([{ channelId: card.id, messageId: said, emoji: '✅' }]));

    await h.advance(2 * HOUR);
    const summary = h.fake.messagesIn(card.id).map(shown).find((t) => t.startsWith("Time's up"));
    expect(summary).toMatch(/1 answer from bob\. Thanks!/);
    expect(await participation(h)).toEqual([{ who: 'bob', points: 2 }]);
  });
});
