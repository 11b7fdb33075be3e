/**
 * Scoring and review as people notice it: one best answer a round, reminders only for reviewable
 * answers, a mentor's claim given back, what was scored fixed at the close, late answers on every kind
 * of round, stats that agree with the boards, and shared ranks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { choiceQuiz, DAY, harness, HOUR, MIN, type Harness, type Seen } from '../helpers/dojo.js';

const rubric = { correctness: '3', depth: '2', clarity: '4', feedback: 'Solid; add a trade-off.', best: 'true' };

/** Mentors mia and max; a question of the day at 08:00 UTC open for `window`; the card. */
async function openDay(h: Harness, options = 'window:1h') {
  const ada = h.user('ada', { isPlatformAdmin: true });
  await h.cmd(ada, 'mentor add <@U_mia>');
  await h.cmd(ada, 'mentor add <@U_max>');
  await h.cmd(ada, `schedule set days:daily time:08:00 tz:UTC kind:open categories:technical ${options}`);
  await h.advance(1 * HOUR);
  return h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
}

const pointsOf = (h: Harness, name: string) =>
  h.t.db
    .selectFrom('point_event')
    .innerJoin('member', 'member.id', 'point_event.member_id')
    .select(['kind', 'points'])
    .where('display_name', '=', name)
    .orderBy('point_event.id')
    .execute()
    .then((rows) => rows.map((r) => [r.kind, r.points]));

/** The rows of the board a command showed, whether privately or in the channel. */
function table(seen: Seen | undefined): string[][] {
  const t = seen?.blocks?.find((b) => b.type === 'table');
  return t && t.type === 'table' ? t.rows : [];
}

describe(`scoring and review on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('keeps one best answer per round: a later pick replaces the earlier one, recorded as a reversal', async () => {
    h = await harness();
    const card = await openDay(h);
    for (const name of ['bob', 'cy']) await h.reply(h.user(name), card.ref, `${name}'s answer`);
    await h.advance(1 * HOUR);
    const first = (await h.cmd(h.user('mia'), 'review')).modal!;
    expect((await h.submit(h.user('mia'), first.id, rubric)).reply?.text).toBe('Thanks! Review sent (9/12).');
    const second = (await h.cmd(h.user('max'), 'review')).modal!;
    await h.submit(h.user('max'), second.id, rubric);

    expect(await pointsOf(h, 'bob')).toEqual([['participation', 2], ['review', 9], ['best_answer', 5], ['best_answer_reversed', -5]]);
    expect(await pointsOf(h, 'cy')).toEqual([['participation', 2], ['review', 9], ['best_answer', 5]]);
    const flagged = await h.t.db.selectFrom('review').innerJoin('answer', 'answer.id', 'review.answer_id').select(['answer.body']).where('review.best_answer', '=', true).execute();
    expect(flagged).toEqual([{ body: "cy's answer" }]);
    expect(table(await h.seen(h.user('bob'), 'leaderboard')).map((r) => [r[1], r[2]])).toEqual([['cy', '16'], ['bob', '11']]);
  });

  it('reminds mentors only of answers that can be reviewed, a day after their round closed', async () => {
    h = await harness();
    const card = await openDay(h, 'window:3d');
    await h.reply(h.user('bob'), card.ref, 'An answer in a long round.');
    await h.advance(2 * DAY);
    expect(h.chat.sent.filter((s) => /waited over a day/.test(s.text))).toEqual([]);
    expect((await h.cmd(h.user('mia'), 'review')).reply?.text).toBe('No answers are waiting for review. Nice work!');
    await h.advance(1 * DAY + MIN); // the round closes
    expect(h.chat.sent.filter((s) => /waited over a day/.test(s.text))).toEqual([]);
    await h.advance(1 * DAY);
    const reminders = h.chat.sent.filter((s) => s.kind === 'dm' && /waited over a day/.test(s.text));
    expect(reminders.map((r) => r.to).sort()).toEqual(['U_ada', 'U_max', 'U_mia']);
    expect((await h.cmd(h.user('mia'), 'review')).modal?.intro).toContainEqual({ type: 'quote', text: 'An answer in a long round.', author: 'Their answer' });
  });

  it('gives a mentor whose submit failed the answer they already hold, not another', async () => {
    h = await harness();
    const card = await openDay(h);
    for (const name of ['bob', 'cy']) await h.reply(h.user(name), card.ref, `${name}'s answer`);
    await h.advance(1 * HOUR);
    const mia = h.user('mia');
    const held = (await h.cmd(mia, 'review')).modal!;
    expect((await h.submit(mia, held.id, { ...rubric, feedback: ' ' })).reply?.text).toBe('Please write a line of feedback; it is what helps them most.');
    const again = (await h.cmd(mia, 'review')).modal!;
    expect(again.id).toBe(held.id);
    // The other answer is still free for another mentor.
    expect((await h.cmd(h.user('max'), 'review')).modal?.id).not.toBe(held.id);
  });

  it('keeps the scored answer as it was when a thread reply is deleted after the close', async () => {
    h = await harness();
    const card = await openDay(h);
    const bob = h.user('bob');
    await h.reply(bob, card.ref, 'Part one.', 'm1');
    await h.reply(bob, card.ref, 'Part two.', 'm2');
    await h.advance(1 * HOUR);
    await h.send({ type: 'message_deleted', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm2' });
    await h.send({ type: 'message_deleted', team: h.team, channel: { id: 'C1' }, user: bob, thread: card.ref, message: 'm1' });
    const answer = await h.t.db.selectFrom('answer').select(['body', 'status', 'review_status']).executeTakeFirstOrThrow();
    expect(answer).toEqual({ body: 'Part one.\n\nPart two.', status: 'active', review_status: 'pending' });
    expect((await h.cmd(h.user('mia'), 'review')).modal?.intro).toContainEqual({ type: 'quote', text: 'Part one.\n\nPart two.', author: 'Their answer' });
    expect(await pointsOf(h, 'bob')).toEqual([['participation', 2]]);
  });

  it('keeps a late thread reply to a blind round and says it is late, as on every round', async () => {
    h = await harness();
    const card = await openDay(h, 'window:1h blind:yes');
    await h.advance(1 * HOUR);
    const late = await h.reply(h.user('cy'), card.ref, 'Sorry, I was away.');
    expect(late.reply?.text).toBe('This question has closed, so your answer is kept as late and scores nothing. The next one is coming!');
    const rows = await h.t.db.selectFrom('answer').select(['body', 'late', 'review_status']).execute();
    expect(rows).toEqual([{ body: 'Sorry, I was away.', late: true, review_status: 'none' }]);
  });

  it('counts answers of open rounds in neither stats nor boards, so they agree', async () => {
    h = await harness();
    const card = await openDay(h, 'window:2h');
    const bob = h.user('bob');
    await h.reply(bob, card.ref, 'Answered while it is open.');
    const statsLine = async () => (await h.cmd(bob, 'stats')).reply?.text.split('\n')[1];
    expect(await statsLine()).toBe('Answers: 0 · Points: 0 · Rank: — · Average review: no reviews yet · Streak: 0 now, best 0');
    expect(table(await h.seen(bob, 'leaderboard'))).toEqual([]);
    await h.advance(2 * HOUR);
    expect(await statsLine()).toBe('Answers: 1 · Points: 2 · Rank: #1 of 1 · Average review: no reviews yet · Streak: 1 now, best 1');
    expect(table(await h.seen(bob, 'leaderboard'))).toEqual([['1', 'bob', '2', '1', '1']]);
    // The next day's question open and answered: still one closed day on both.
    await h.advance(22 * HOUR);
    const next = h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread).at(-1)!;
    await h.reply(bob, next.ref, 'Day two, still open.');
    expect(await statsLine()).toBe('Answers: 1 · Points: 2 · Rank: #1 of 1 · Average review: no reviews yet · Streak: 1 now, best 1');
    expect(table(await h.seen(bob, 'leaderboard'))).toEqual([['1', 'bob', '2', '1', '1']]);
  });

  it('gives equal scores the same rank (1, 1, 3) on boards, in stats and in quiz standings', async () => {
    h = await harness();
    const [bob, cy, dan] = [h.user('bob'), h.user('cy'), h.user('dan')];
    await choiceQuiz(h, bob, [[bob, true], [cy, true], [dan, false]]);
    const standings = h.chat.sent.filter((s) => s.text.startsWith('Quiz over')).at(-1)!;
    const quizTable = standings.message.blocks.find((b) => b.type === 'table');
    expect(quizTable?.type === 'table' && quizTable.rows.map((r) => [r[0], r[1]])).toEqual([['1', 'bob'], ['1', 'cy'], ['3', 'dan']]);
    expect(table(await h.seen(dan, 'leaderboard')).map((r) => [r[0], r[1], r[2]])).toEqual([['1', 'bob', '12'], ['1', 'cy', '12'], ['3', 'dan', '2']]);
    expect((await h.cmd(cy, 'stats')).reply?.text).toMatch(/Rank: #1 of 3/);
  });
});
