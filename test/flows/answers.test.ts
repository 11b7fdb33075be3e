import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { backend } from '../helpers/db.js';
import { harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

async function openRound(h: Harness, options = 'kind:open') {
  await h.cmd(h.user('ada', { isPlatformAdmin: true }), `schedule set days:daily time:08:00 tz:UTC window:1h ${options}`);
  await h.advance(1 * HOUR); // the harness starts at 07:00Z
  const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread);
  if (!card) throw new Error('no question was posted');
  return card;
}

const answers = (h: Harness) =>
  h.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.display_name as who', 'answer.body', 'answer.status', 'answer.late', 'answer.review_status']).orderBy('answer.id').execute();

describe(`answers on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('a thread reply is an answer; further replies extend it, an edit updates it, a delete withdraws it', async () => {
    h = await harness();
    const card = await openRound(h);
    const bob = h.user('bob');
    await h.reply(bob, card.ref, 'First thought.', 'm1');
    await h.reply(bob, card.ref, 'Second thought.', 'm2');
    expect(await answers(h)).toEqual([{ who: 'bob', body: 'First thought.\n\nSecond thought.', status: 'active', late: false, review_status: 'pending' }]);
    await h.send({ type: 'message_edited', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm1', text: 'A better first thought.' });
    expect((await answers(h))[0]!.body).toBe('A better first thought.\n\nSecond thought.');
    await h.send({ type: 'message_deleted', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm2' });
    expect((await answers(h))[0]!.body).toBe('A better first thought.');
    await h.send({ type: 'message_deleted', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm1' });
    expect(await answers(h)).toEqual([{ who: 'bob', body: 'A better first thought.', status: 'withdrawn', late: false, review_status: 'none' }]);
    // A withdrawn answer scores nothing at close.
    await h.advance(1 * HOUR);
    expect(await h.t.db.selectFrom('point_event').selectAll().execute()).toEqual([]);
  });

  it('keeps answers after close, marked late, scoring nothing; edits after close change nothing', async () => {
    h = await harness();
    const card = await openRound(h);
    await h.reply(h.user('bob'), card.ref, 'On time.', 'm1');
    await h.advance(1 * HOUR);
    const late = await h.reply(h.user('cy'), card.ref, 'Too late.', 'm2');
    expect(late.reply).toEqual({ text: 'This question has closed, so your answer is kept as late and scores nothing. The next one is coming!', visibility: 'ephemeral' });
    await h.send({ type: 'message_edited', team: h.team, channel: { id: 'C1' }, user: h.user('bob'), thread: card.ref, message: 'm1', text: 'Rewritten after the key points were out.' });
    expect(await answers(h)).toEqual([
      { who: 'bob', body: 'On time.', status: 'active', late: false, review_status: 'pending' },
      { who: 'cy', body: 'Too late.', status: 'active', late: true, review_status: 'none' },
    ]);
    const points = await h.t.db.selectFrom('point_event').innerJoin('member', 'member.id', 'point_event.member_id').select(['display_name', 'kind', 'points']).execute();
    expect(points).toEqual([{ display_name: 'bob', kind: 'participation', points: 2 }]);
  });

  it('ignores bots and chatter in threads that are not rounds', async () => {
    h = await harness();
    const card = await openRound(h);
    await h.reply(h.user('robot', { isBot: true }), card.ref, 'I am a bot.');
    await h.reply(h.user('bob'), 'mem:C1:somewhere-else', 'Unrelated chat.');
    expect(await answers(h)).toEqual([]);
    expect(await h.t.db.selectFrom('processed_delivery').selectAll().where('delivery_id', 'like', 'msg-%').execute()).toEqual([]);
  });

  it('a replayed delivery never creates a second answer or counts twice', async () => {
    h = await harness();
    const card = await openRound(h);
    const bob = h.user('bob');
    const event = { type: 'message' as const, team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm1', text: 'Once.', deliveryId: 'Ev1' };
    expect(await h.send(event)).toEqual({});
    expect(await h.send(event)).toEqual({ duplicate: true });
    // The same message redelivered under another delivery id (a platform retry) is still one part.
    await h.send({ ...event, deliveryId: 'Ev1-retry' });
    expect(await answers(h)).toEqual([{ who: 'bob', body: 'Once.', status: 'active', late: false, review_status: 'pending' }]);
    await h.advance(1 * HOUR);
    expect(await h.t.db.selectFrom('point_event').select(['kind', 'points']).execute()).toEqual([{ kind: 'participation', points: 2 }]);
  });

  it('blind rounds take answers by modal, hide them, and reveal them in the thread at close', async () => {
    h = await harness();
    const card = await openRound(h, 'kind:open blind:yes');
    const answerButton = MemoryChat.buttons(card.message).get('Answer privately')!;
    const bob = h.user('bob');
    const opened = await h.click(bob, answerButton);
    expect(opened.modal).toMatchObject({ title: 'Your answer', submit: 'Submit', fields: [{ type: 'text', id: 'body', required: true }] });
    const thanks = await h.submit(bob, opened.modal!.id, { body: 'My private answer.' });
    expect(thanks.reply?.text).toBe('Thanks! Your answer stays hidden until the question closes.');
    // A reply in the thread is not taken (it would give the answer away) and is told so.
    expect((await h.reply(h.user('cy'), card.ref, 'Public answer')).reply?.text).toMatch(/^This round is blind/);
    // Nothing of bob's answer reached the channel before the close.
    expect(h.chat.sent.some((s) => s.text.includes('My private answer.'))).toBe(false);
    await h.advance(1 * HOUR);
    const close = h.chat.sent.find((s) => s.kind === 'reply' && s.text.startsWith("Time's up"));
    expect(close?.message.blocks).toContainEqual({ type: 'quote', text: 'My private answer.', author: 'bob' });
    // After close the modal is refused politely.
    expect((await h.click(bob, answerButton)).reply?.text).toBe('This question has closed; the answers are in the thread.');
  });

  it('the self-check buttons schedule personal practice', async () => {
    h = await harness();
    const card = await openRound(h);
    const bob = h.user('bob');
    const unsure = await h.click(bob, MemoryChat.buttons(card.message).get('Unsure')!);
    // Unsure is a "hard" review of a new card: back within the hour (FSRS's learning step).
    expect(unsure.reply?.text).toBe('Noted: you were unsure. /dojo practice brings it back in 15 minutes.');
    await h.advance(15 * MIN);
    const practice = await h.cmd(bob, 'practice');
    expect(practice.reply?.blocks?.[0]).toEqual({ type: 'header', text: 'Practice: this one is due again' });
    expect(practice.reply?.visibility).toBe('ephemeral');
  });
});
