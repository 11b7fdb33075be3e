import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeText } from '../../../adapters/discord/render.js';
import { LETTERS } from '../../../src/core/render.js';
import { backend } from '../../helpers/db.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { buttonsOf, expectCardKept, expectPrivateAnswer, member, shown } from './harness.js';

describe(`a Discord quiz on ${backend}`, () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startWithCore();
  });
  afterAll(async () => h?.stop());

  it('opens a thread on the announcement, scores a button click and closes with the standings', async () => {
    const ada = member('ada', { manageGuild: true });
    const bob = member('bob');
    const cy = member('cy');
    const sent = h.fake.play.slash(ada, ['quiz'], { kind: 'choice', count: 1, seconds: 30, topic: 'databases' });
    expectPrivateAnswer(await h.fake.play.callbackOf(sent));
    expect(shown((await h.fake.play.editOf(sent)).body)).toBe('Your quiz is starting: 1 question.');

    // The announcement in the channel, with a thread opened on it (same id as the message).
    const announcement = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Quiz time'));
    expect(shown(announcement)).toMatch(/Quiz time: databases/);
    const threadCall = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.channelId}/messages/${announcement!.id}/threads`);
    expect(threadCall.body).toMatchObject({ name: 'Quiz: databases', auto_archive_duration: 10080 });
    expect(h.fake.threads.get(announcement!.id)?.parent_id).toBe(h.fake.channelId);

    // The question card is in the thread, with one button per option.
    const card = h.fake.messagesIn(announcement!.id)[0];
    expect(card?.embeds).toHaveLength(1);
    expect(shown(card)).toMatch(/Question 1 of 1/);
    const buttons = buttonsOf(card);
    expect(buttons.map((b) => b.label)).toEqual(['A', 'B', 'C', 'D'].slice(0, buttons.length));
    const round = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select(['round.id', 'question.options']).where('round.kind', '=', 'quiz').executeTakeFirstOrThrow();
    const correct = round.options!.findIndex((o) => o.correct);
    const wrong = (correct + 1) % round.options!.length;

    const click = h.fake.play.click(bob, card!.id, buttons[correct]!.custom_id);
    expectCardKept(await h.fake.play.callbackOf(click));
    const ack = await h.fake.play.followUpOf(click);
    expect(ack.body).toMatchObject({ flags: 64 });
    expect(shown(ack.body)).toMatch(/^Got it: [A-E]\. You can change it until the question closes\.$/);
    // A quick change of mind: both clicks reach the core, in order, and the last one counts.
    const miss = h.fake.play.click(cy, card!.id, buttons[correct]!.custom_id);
    const change = h.fake.play.click(cy, card!.id, buttons[wrong]!.custom_id);
    expect(shown((await h.fake.play.followUpOf(miss)).body)).toMatch(/^Got it/);
    expect(shown((await h.fake.play.followUpOf(change)).body)).toMatch(/^Changed to [A-E]\.$/);

    await h.advance(31_000);
    const thread = h.fake.messagesIn(announcement!.id).map(shown);
    expect(thread.some((t) => /Time's up: question 1/.test(t) && /Correct: bob\./.test(t))).toBe(true);
    expect(thread.at(-1)).toMatch(/Quiz over: the standings[\s\S]*```[\s\S]*bob/);
  });

  it('stops a running quiz from its Stop button', async () => {
    const ada = member('ada', { manageGuild: true });
    const sent = h.fake.play.slash(ada, ['quiz'], { kind: 'choice', count: 3, seconds: 60 });
    await h.fake.play.editOf(sent);
    const announcement = h.fake.messagesIn(h.fake.channelId).filter((m) => shown(m).startsWith('Quiz time')).at(-1);
    const stop = buttonsOf(announcement).find((b) => b.label === 'Stop quiz');
    expect(stop).toBeDefined();
    const click = h.fake.play.click(ada, announcement!.id, stop!.custom_id);
    expect(shown((await h.fake.play.followUpOf(click)).body)).toBe('The quiz is stopped.');
    expect(h.fake.messagesIn(announcement!.id).map(shown).at(-1)).toMatch(/Quiz stopped by ada/);
  });

  it('closes with why the wrong option someone picked is wrong', async () => {
    const ada = member('ada', { manageGuild: true });
    const bob = member('bob');
    const sent = h.fake.play.slash(ada, ['quiz'], { kind: 'choice', count: 1, seconds: 30, topic: 'http-caching' });
    await h.fake.play.editOf(sent);
    const announcement = h.fake.messagesIn(h.fake.channelId).filter((m) => shown(m).startsWith('Quiz time')).at(-1)!;
    const card = h.fake.messagesIn(announcement.id)[0]!;
    const buttons = buttonsOf(card);
    const roundId = Number(buttons[0]!.custom_id.split(':')[1]);
    const round = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const wrong = round.options!.findIndex((o) => !o.correct);
    await h.fake.play.followUpOf(h.fake.play.click(bob, card.id, buttons[wrong]!.custom_id));
    await h.advance(31_000);
    const closed = h.fake.messagesIn(announcement.id).map(shown).find((t) => /Time's up/.test(t));
    expect(closed).toContain(`Why the picked wrong answer is wrong\n\n• ${escapeText(`${LETTERS[wrong]}. ${round.options![wrong]!.text}: ${round.options![wrong]!.why}`)}`);
  });
});
