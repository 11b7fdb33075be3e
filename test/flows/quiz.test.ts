import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { LETTERS } from '../../src/core/render.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

const S = 1000;

/** The letter of the correct option of the newest question card, read from the database. */
async function correctLetter(h: Harness): Promise<{ letter: string; wrong: string; buttons: Map<string, string> }> {
  const card = [...h.chat.sent].reverse().find((s) => MemoryChat.buttons(s.message).has('A'))!;
  const buttons = MemoryChat.buttons(card.message);
  const roundId = Number(buttons.get('A')!.split(':')[1]);
  const round = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
  const i = round.options!.findIndex((o) => o.correct);
  return { letter: LETTERS[i]!, wrong: LETTERS[(i + 1) % round.options!.length]!, buttons };
}

const points = (h: Harness) =>
  h.t.db
    .selectFrom('point_event')
    .innerJoin('member', 'member.id', 'point_event.member_id')
    .select(['member.display_name as who', 'point_event.kind', 'point_event.points'])
    .orderBy('point_event.id')
    .execute();

describe(`quiz rounds on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('runs questions one after another in one thread, scoring correctness, speed and streaks', async () => {
    h = await harness();
    const ada = h.user('ada');
    const bob = h.user('bob');
    const started = await h.cmd(ada, 'quiz kind:choice count:3 seconds:30');
    expect(started.reply).toEqual({ text: 'Your quiz is starting: 3 questions.', visibility: 'ephemeral' });
    const announcement = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    expect(announcement.text).toMatch(/^Quiz time\nada started a quiz: 3 questions, 30 seconds each\./);
    for (let q = 0; q < 3; q++) {
      const { letter, wrong, buttons } = await correctLetter(h);
      await h.click(ada, buttons.get(letter)!); // instant and right
      await h.advance(15 * S);
      await h.click(bob, buttons.get(q === 1 ? wrong : letter)!); // halfway; wrong on the second
      await h.advance(15 * S);
    }
    const replies = h.chat.sent.filter((s) => s.kind === 'reply');
    expect(replies.every((r) => r.to === announcement.ref)).toBe(true);
    expect(replies.map((r) => r.text.split('\n')[0])).toEqual([
      'Question 1 of 3', "Time's up: question 1",
      'Question 2 of 3', "Time's up: question 2",
      'Question 3 of 3', "Time's up: question 3",
      'Quiz over: the standings',
    ]);
    expect(replies[1]!.text).toMatch(/Correct: ada and bob\./);
    // ada: 3 × (2 participation + 5 correct + 5 speed) + streak 2 + 4; bob: halfway speed is 3 (of 5),
    // and his wrong second answer breaks his streak.
    const byMember = (name: string) => (async () => (await points(h)).filter((p) => p.who === name).reduce((a, p) => a + p.points, 0))();
    expect(await byMember('ada')).toBe(3 * 12 + 2 + 4);
    expect(await byMember('bob')).toBe(2 + 5 + 3 + 2 + (2 + 5 + 3));
    expect(replies[6]!.text).toMatch(/1\s+ada\s+42\s+3\n2\s+bob\s+22\s+2/);
  });

  it('one choice per member, changeable until close; a click after close is refused', async () => {
    h = await harness();
    await h.cmd(h.user('ada'), 'quiz kind:choice count:1 seconds:20');
    const { letter, wrong, buttons } = await correctLetter(h);
    const bob = h.user('bob');
    expect((await h.click(bob, buttons.get(wrong)!)).reply?.text).toBe(`Got it: ${wrong}. You can change it until the question closes.`);
    expect((await h.click(bob, buttons.get(letter)!)).reply?.text).toBe(`Changed to ${letter}.`);
    await h.advance(21 * S);
    expect((await h.click(bob, buttons.get(wrong)!)).reply?.text).toBe('This question has closed; the answer is in the thread.');
    expect(await h.t.db.selectFrom('answer').select(['choice_index']).execute()).toEqual([{ choice_index: LETTERS.indexOf(letter) }]);
    const kinds = (await points(h)).map((p) => p.kind);
    expect(kinds).toEqual(['participation', 'correct', 'speed']);
  });

  it('allows one running quiz per channel; the starter or an admin can stop it, nobody else', async () => {
    h = await harness();
    const ada = h.user('ada');
    await h.cmd(ada, 'quiz count:3 seconds:60');
    expect((await h.cmd(h.user('bob'), 'quiz count:2')).reply?.text).toBe(
      'A quiz is already running in this channel. Join it in its thread, or /dojo quiz stop to end it (its starter or an admin).',
    );
    // Another channel can run its own.
    expect((await h.cmd(h.user('bob'), 'quiz count:1', 'C2')).reply?.text).toBe('Your quiz is starting: 1 question.');
    expect((await h.cmd(h.user('bob'), 'quiz stop')).reply?.text).toBe('Only the person who started this quiz or an admin can stop it.');
    expect((await h.cmd(h.user('root', { isPlatformAdmin: true }), 'quiz stop')).reply?.text).toBe('The quiz is stopped.');
    expect(h.chat.sent.at(-1)?.text).toMatch(/^Quiz stopped by root/);
    expect((await h.cmd(ada, 'quiz stop')).reply?.text).toBe('No quiz is running here.');
    // The stopped quiz's open question is closed; nothing more is asked.
    const before = h.chat.sent.length;
    await h.advance(5 * 60 * S);
    expect(h.chat.since(before).filter((s) => s.to !== h.chat.sent.find((x) => x.to === 'C2')?.ref && s.text.startsWith('Question'))).toEqual([]);
  });

  it('answers a bad option with usage help', async () => {
    h = await harness();
    const bad = await h.cmd(h.user('ada'), 'quiz count:99');
    expect(bad.reply?.text).toBe(
      'count must be a whole number from 1 to 10 (got "99").\nUsage: /dojo quiz [topic:T] [difficulty:beginner|intermediate|advanced] [category:C] [kind:choice|open|mixed] [count:1-10] [seconds:10-600] — run a quiz round in a thread; /dojo quiz stop ends it',
    );
    expect((await h.cmd(h.user('ada'), 'quiz topic:astrology')).reply?.text).toMatch(/^I have no questions on "astrology"\. Areas: /);
    expect((await h.cmd(h.user('ada'), 'quiz level:hard')).reply?.text).toMatch(/^"level" is not an option of quiz; options: topic, difficulty, category, kind, count, seconds\./);
  });

  it('open questions in a quiz are answered in its thread and go to the review queue', async () => {
    h = await harness();
    await h.cmd(h.user('ada'), 'quiz kind:open count:1 seconds:60');
    const thread = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!.ref;
    await h.reply(h.user('bob'), thread, 'My open answer.');
    await h.advance(61 * S);
    const a = await h.t.db.selectFrom('answer').select(['body', 'review_status']).execute();
    expect(a).toEqual([{ body: 'My open answer.', review_status: 'pending' }]);
  });

  it('posts one practice question now with /dojo question', async () => {
    h = await harness();
    const r = await h.cmd(h.user('bob'), 'question security beginner');
    expect(r.reply?.text).toBe('Posted! Answer it in its thread within the hour.');
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    expect(card.text).toMatch(/^Question for the channel\n[\s\S]*Difficulty: beginner · Topic: security/);
  });

  it('explains at the close why each wrong answer that someone picked is wrong, and only those', async () => {
    h = await harness();
    const ada = h.user('ada');
    const bob = h.user('bob');
    await h.cmd(ada, 'quiz kind:choice count:1 seconds:30 topic:http-caching');
    const { letter, wrong, buttons } = await correctLetter(h);
    const roundId = Number(buttons.get('A')!.split(':')[1]);
    const row = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const options = row.options!;
    await h.click(ada, buttons.get(letter)!);
    await h.click(bob, buttons.get(wrong)!);
    await h.advance(30 * S);
    const closed = h.chat.sent.find((s) => s.text.startsWith("Time's up"))!;
    const picked = options[LETTERS.indexOf(wrong)]!;
    expect(picked.why).toBeTruthy();
    expect(closed.text).toContain(`Why the picked wrong answer is wrong\n• ${wrong}. ${picked.text}: ${picked.why}`);
    // Nobody picked the other wrong options, so their explanations stay out of the way.
    for (const o of options.filter((x, i) => !x.correct && LETTERS[i] !== wrong)) expect(closed.text).not.toContain(o.why!);
  });

  it('offers a hint on an open question that has one, shown only to whoever asks', async () => {
    h = await harness();
    const bob = h.user('bob');
    await h.cmd(bob, 'question spike-testing');
    const card = h.chat.sent.find((s) => s.kind === 'post')!;
    const hint = MemoryChat.buttons(card.message).get('Show a hint');
    expect(hint).toMatch(/^hint:\d+$/);
    const shown = await h.click(h.user('cy'), hint!);
    expect(shown.reply).toEqual({ text: 'Hint: Think about the shape of the traffic over time, not just its peak.', visibility: 'ephemeral' });
    expect(h.chat.sent.filter((s) => s.text.includes('shape of the traffic'))).toEqual([]);
  });
});
