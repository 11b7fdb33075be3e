/**
 * Open questions where thread replies do not reach the bot (Discord without the Message Content
 * intent): the Answer button and form, through the core and the memory adapter. And what members see
 * where they do: thread answers, acknowledged with a reaction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { backend } from '../helpers/db.js';
import { harness, HOUR, type Harness } from '../helpers/dojo.js';

const answers = (h: Harness) =>
  h.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer.body', 'answer.status', 'answer.late', 'answer.review_status']).orderBy('answer.id').execute();

const points = (h: Harness) =>
  h.t.db.selectFrom('point_event').innerJoin('member', 'member.id', 'point_event.member_id').select(['display_name as who', 'kind', 'points']).orderBy('point_event.id').execute();

async function questionOfTheDay(h: Harness) {
  await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open');
  await h.advance(1 * HOUR); // the harness starts at 07:00Z
  // The schedule's own announcement is a post too: the card is the post that opened a thread.
  const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread);
  if (!card) throw new Error('no question was posted');
  return card;
}

describe(`open questions without thread replies, on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('answers the question of the day with the Answer button when thread replies do not reach the bot, counted once and shown at close', async () => {
    h = await harness({ chat: { threadReplies: false } });
    const card = await questionOfTheDay(h);
    expect(card.text).toMatch(/Press Answer to write yours/);
    expect(card.text).not.toMatch(/Reply in this thread/);
    const answer = MemoryChat.buttons(card.message).get('Answer')!;
    expect(answer).toMatch(/^answer:\d+$/);

    const bob = h.user('bob');
    const form = await h.click(bob, answer);
    expect(form.modal).toMatchObject({ title: 'Your answer', submit: 'Submit', fields: [{ type: 'text', id: 'body', required: true }] });
    expect((await h.submit(bob, form.modal!.id, { body: 'A B-tree keeps keys sorted.' })).reply?.text).toBe(
      'Thanks, your answer is in! You can change it until the question closes; everyone’s answers are shown then.',
    );
    // A second submit replaces the first: still one answer, prefilled with what was sent.
    const again = await h.click(bob, answer);
    expect(again.modal).toMatchObject({ submit: 'Update', fields: [{ initial: 'A B-tree keeps keys sorted.' }] });
    expect((await h.submit(bob, again.modal!.id, { body: 'A B-tree keeps keys sorted, so range scans are cheap.' })).reply?.text).toBe(
      'Your answer is updated. Everyone’s answers are shown when the question closes.',
    );
    await h.submit(h.user('cy'), form.modal!.id, { body: 'A hash index.' });
    expect(await answers(h)).toEqual([
      { who: 'bob', body: 'A B-tree keeps keys sorted, so range scans are cheap.', status: 'active', late: false, review_status: 'pending' },
      { who: 'cy', body: 'A hash index.', status: 'active', late: false, review_status: 'pending' },
    ]);
    // Nothing of it reached the channel before the close.
    expect(h.chat.sent.some((s) => s.text.includes('range scans'))).toBe(false);

    await h.advance(1 * HOUR);
    const close = h.chat.sent.find((s) => s.kind === 'reply' && s.text.startsWith("Time's up"))!;
    expect(close.message.blocks).toContainEqual({ type: 'quote', text: 'A B-tree keeps keys sorted, so range scans are cheap.', author: 'bob' });
    expect(close.message.blocks).toContainEqual({ type: 'quote', text: 'A hash index.', author: 'cy' });
    expect(close.text).toMatch(/2 answers from bob and cy\. Thanks!/);
    expect(await points(h)).toEqual([
      { who: 'bob', kind: 'participation', points: 2 },
      { who: 'cy', kind: 'participation', points: 2 },
    ]);
    // After the close the form is refused, and a late submit changes nothing that was scored.
    expect((await h.click(bob, answer)).reply?.text).toBe('This question has closed; the answers are in the thread.');
    expect((await h.submit(bob, form.modal!.id, { body: 'Rewritten.' })).reply?.text).toBe('This question closed before your update arrived; your earlier answer stands.');
  });

  it('offers the Answer button on /dojo question and open quiz questions when thread replies do not reach the bot', async () => {
    h = await harness({ chat: { threadReplies: false } });
    const bob = h.user('bob');
    expect((await h.cmd(bob, 'question security beginner')).reply?.text).toBe('Posted! Answer it with its Answer button within the hour.');
    const practice = h.chat.sent.find((s) => s.kind === 'post')!;
    expect(MemoryChat.buttons(practice.message).has('Answer')).toBe(true);

    await h.cmd(bob, 'quiz kind:open count:1 seconds:60', 'C2');
    const announcement = h.chat.sent.find((s) => s.kind === 'post' && s.text.startsWith('Quiz time'))!;
    expect(announcement.text).toMatch(/Open questions: press Answer on the question\./);
    const card = h.chat.sent.find((s) => s.kind === 'reply' && s.text.startsWith('Question 1 of 1'))!;
    const form = await h.click(h.user('cy'), MemoryChat.buttons(card.message).get('Answer')!, 'C2');
    await h.submit(h.user('cy'), form.modal!.id, { body: 'Quorum reads and writes.' }, 'C2');
    await h.advance(61_000);
    const close = h.chat.sent.find((s) => s.kind === 'reply' && s.text.startsWith("Time's up: question 1"))!;
    expect(close.message.blocks).toContainEqual({ type: 'quote', text: 'Quorum reads and writes.', author: 'cy' });
    expect(await points(h)).toEqual([{ who: 'cy', kind: 'participation', points: 2 }]);
  });

  it('keeps thread answers where thread replies reach the bot, and puts a ✅ on each recorded reply', async () => {
    h = await harness();
    const card = await questionOfTheDay(h);
    expect(card.text).toMatch(/Reply in this thread to answer/);
    expect(MemoryChat.buttons(card.message).has('Answer')).toBe(false);
    const bob = h.user('bob');
    await h.reply(bob, card.ref, 'First thought.', 'm1');
    await h.reply(bob, card.ref, 'Second thought.', 'm2');
    // A replay of the same message is not acknowledged twice.
    await h.send({ type: 'message', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm2', text: 'Second thought.', deliveryId: 'again' });
    expect(h.chat.reactions).toEqual([
      { team: 'T1', message: 'm1', reaction: 'recorded' },
      { team: 'T1', message: 'm2', reaction: 'recorded' },
    ]);
    await h.advance(1 * HOUR);
    // A late reply gets its "kept as late" notice instead.
    expect((await h.reply(h.user('cy'), card.ref, 'Too late.', 'm3')).reply?.text).toMatch(/kept as late/);
    expect(h.chat.reactions.map((r) => r.message)).toEqual(['m1', 'm2']);
    // Thread answers are in the thread already: the close does not quote them again.
    const close = h.chat.sent.find((s) => s.kind === 'reply' && s.text.startsWith("Time's up"))!;
    expect(close.message.blocks.some((b) => b.type === 'quote' && b.text.includes('thought'))).toBe(false);
  });

  it('a thread reply after a form answer adds to it: one answer, the form part kept', async () => {
    h = await harness({ chat: { threadReplies: false } });
    const card = await questionOfTheDay(h);
    const bob = h.user('bob');
    const form = await h.click(bob, MemoryChat.buttons(card.message).get('Answer')!);
    await h.submit(bob, form.modal!.id, { body: 'From the form.' });
    h.chat.caps = { ...h.chat.caps, threadReplies: true }; // the intent switched on mid-round
    await h.reply(bob, card.ref, 'From the thread.', 'm1');
    await h.send({ type: 'message_edited', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm1', text: 'From the thread, edited.' });
    expect(await answers(h)).toEqual([{ who: 'bob', body: 'From the form.\n\nFrom the thread, edited.', status: 'active', late: false, review_status: 'pending' }]);
  });
});

describe(`help per platform, on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('help and usage say /dojo quiz stop where commands are typed as text', async () => {
    h = await harness();
    const help = (await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'help')).reply!.text;
    expect(help).toContain('/dojo quiz stop ends it');
    expect(help).toContain('/dojo mentor add @member|@role [role:admin]');
    expect(help).not.toContain('quiz-stop');
  });

  it('help and usage say /dojo quiz-stop and name the options where commands take options', async () => {
    h = await harness({ chat: { commandStyle: 'options' } });
    const ada = h.user('ada', { isPlatformAdmin: true });
    const help = (await h.cmd(ada, 'help')).reply!.text;
    expect(help).toContain('/dojo quiz-stop ends it');
    expect(help).toContain('/dojo mentor add member:@someone or group:@role [role:admin]');
    expect(help).toContain('/dojo leaderboard [period:week|month|season|all] [scope:channel|team]');
    expect(help).not.toContain('quiz stop');
    expect((await h.cmd(ada, 'quiz count:99')).reply!.text).toMatch(/^count must be a whole number from 1 to 10 \(got "99"\)\.\nUsage: \/dojo quiz \[topic\] .*\/dojo quiz-stop ends it$/);
    await h.cmd(ada, 'quiz kind:choice count:2 seconds:60');
    expect((await h.cmd(h.user('bob'), 'quiz kind:choice')).reply!.text).toBe('A quiz is already running in this channel. Join it in its thread, or /dojo quiz-stop to end it (its starter or an admin).');
  });
});
