/**
 * Personal practice with FSRS: answers, self-ratings and mentors' scores schedule each member's cards,
 * `/dojo practice` hands out the most overdue one privately (answer first, key points after, then the
 * rating), and the opt-in daily DM arrives at the member's own local time. The clock is a fake one.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemoryChat } from '../../adapters/memory/index.js';
import { createDojo } from '../../src/core/dojo.js';
import { seededRandom } from '../../src/core/selection.js';
import type { Block } from '../../src/core/messages.js';
import type { Outcome, UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { choiceQuiz, DAY, harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

const buttonsOf = (o: Outcome) => MemoryChat.buttons({ text: '', blocks: (o.reply?.blocks ?? []) as Block[] });
const promptOf = (o: Outcome) => (o.reply?.blocks ?? []).find((b) => b.type === 'text')?.text;
const headerOf = (o: Outcome) => (o.reply?.blocks ?? []).find((b) => b.type === 'header');

/** The card of a member for a question, straight from the database. */
const cardOf = (h: Harness, user: string, questionId: number) =>
  h.t.db
    .selectFrom('practice_card')
    .innerJoin('member', 'member.id', 'practice_card.member_id')
    .select(['due', 'reps', 'lapses', 'state', 'last_rating', 'last_source'])
    .where('member.platform_user_id', '=', `U_${user}`)
    .where('question_id', '=', questionId)
    .executeTakeFirst();

/** Answers the practice question shown in `shown` and rates it: choices right ("good") or wrong ("again"), open ones by their key points. */
async function answerAndRate(h: Harness, who: UserRef, shown: Outcome, grade: 'Again' | 'Good' | 'Easy'): Promise<{ questionId: number; rated: Outcome }> {
  const buttons = buttonsOf(shown);
  const reveal = buttons.get('Show key points');
  if (reveal) {
    const questionId = Number(reveal.split(':')[1]);
    const keyPoints = await h.click(who, reveal);
    expect(keyPoints.reply?.text).toMatch(/How well did you know it\?/);
    return { questionId, rated: await h.click(who, buttonsOf(keyPoints).get(grade)!) };
  }
  const a = buttons.get('A')!;
  const questionId = Number(a.split(':')[1]);
  const q = await h.t.db.selectFrom('question').select('options').where('id', '=', questionId).executeTakeFirstOrThrow();
  const right = q.options!.findIndex((o) => o.correct);
  const pick = grade === 'Again' ? (right + 1) % q.options!.length : right;
  const result = await h.click(who, a.replace(/:\d+$/, `:${pick}`));
  if (grade === 'Again') return { questionId, rated: result };
  return { questionId, rated: await h.click(who, buttonsOf(result).get(grade)!) };
}

describe(`personal practice with spaced repetition on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('brings a question rated Good back later than one rated Again, and later again after a second Good', async () => {
    h = await harness();
    const bob = h.user('bob');
    const first = await h.cmd(bob, 'practice');
    expect(headerOf(first)).toEqual({ type: 'header', text: 'Practice question' });
    const good = await answerAndRate(h, bob, first, 'Good');
    expect(good.rated.reply?.text).toMatch(/^Noted: Good\. It comes back in 2 days \(Wed 25 Nov, 07:00 UTC\)\.\n\[Next question\]$/);

    const second = await h.cmd(bob, 'practice');
    expect(second.reply?.text).toMatch(/^Nothing is due right now\. Your next review is in 2 days/);
    const fresh = await h.click(bob, buttonsOf(second).get('New question')!);
    expect(promptOf(fresh)).not.toBe(promptOf(first));
    const again = await answerAndRate(h, bob, fresh, 'Again');
    expect(again.rated.reply?.text).toMatch(/comes back in 10 minutes/);
    const goodCard = (await cardOf(h, 'bob', good.questionId))!;
    const againCard = (await cardOf(h, 'bob', again.questionId))!;
    expect(goodCard.due.getTime()).toBeGreaterThan(againCard.due.getTime());

    // The missed one is due first, and /dojo practice brings it back ten minutes later.
    await h.advance(10 * MIN);
    const back = await h.cmd(bob, 'practice');
    expect(headerOf(back)).toEqual({ type: 'header', text: 'Practice: this one is due again' });
    expect(promptOf(back)).toBe(promptOf(fresh));
    // Missed once, then known: a day.
    expect((await answerAndRate(h, bob, back, 'Good')).rated.reply?.text).toMatch(/^Noted: Good\. It comes back in 1 day /);

    // Not a moment before its two days are up does the first come back (the relearned one is due first).
    await h.advance(2 * DAY - 11 * MIN);
    const relearned = await h.cmd(bob, 'practice');
    expect(promptOf(relearned)).toBe(promptOf(fresh));
    await answerAndRate(h, bob, relearned, 'Good');
    expect((await h.cmd(bob, 'practice')).reply?.text).toMatch(/^Nothing is due right now\. Your next review is in 1 minute /);
    await h.advance(1 * MIN);
    const due = await h.cmd(bob, 'practice');
    expect(promptOf(due)).toBe(promptOf(first));
    const secondGood = await answerAndRate(h, bob, due, 'Good');
    expect(secondGood.rated.reply?.text).toMatch(/^Noted: Good\. It comes back in 11 days/);
    const after = (await cardOf(h, 'bob', good.questionId))!;
    expect(after.due.getTime() - h.clock.now().getTime()).toBeGreaterThan(goodCard.due.getTime() - new Date('2026-11-23T07:00:00Z').getTime());
    expect(after.reps).toBe(2);
  });

  it('brings a forgotten question back within a day', async () => {
    h = await harness();
    const bob = h.user('bob');
    const learned = await answerAndRate(h, bob, await h.cmd(bob, 'practice'), 'Good');
    await h.advance(2 * DAY);
    await answerAndRate(h, bob, await h.cmd(bob, 'practice'), 'Good');
    await h.advance(11 * DAY);
    const due = await h.cmd(bob, 'practice');
    expect(headerOf(due)).toEqual({ type: 'header', text: 'Practice: this one is due again' });
    await answerAndRate(h, bob, due, 'Again');
    const card = (await cardOf(h, 'bob', learned.questionId))!;
    expect(card).toMatchObject({ lapses: 1, state: 3 });
    expect(card.due.getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(DAY);
    await h.advance(10 * MIN);
    expect(promptOf(await h.cmd(bob, 'practice'))).toBe(promptOf(due));
  });

  it('reveals an open question’s key points only after the answer, and a second rating of the same showing replaces the first', async () => {
    h = await harness();
    const bob = h.user('bob');
    let shown = await h.cmd(bob, 'practice');
    while (!buttonsOf(shown).has('Write my answer')) shown = await h.click(bob, buttonsOf(await h.cmd(bob, 'practice')).get('New question') ?? 'pnew');
    expect(shown.reply?.text).not.toMatch(/Key points/);
    const form = await h.click(bob, buttonsOf(shown).get('Write my answer')!);
    expect(form.modal?.title).toBe('Your answer');
    const compared = await h.submit(bob, form.modal!.id, { body: 'My own words' });
    expect(compared.reply?.blocks).toContainEqual({ type: 'quote', text: 'My own words', author: 'Your answer' });
    expect(compared.reply?.text).toMatch(/Key points[\s\S]*How well did you know it\?\n\[Again\] \[Hard\] \[Good\] \[Easy\]\nAgain: back in 10 minutes · Hard: back in 15 minutes · Good: back in 2 days · Easy: back in 8 days/);
    const questionId = Number(buttonsOf(shown).get('Show key points')!.split(':')[1]);
    await h.click(bob, buttonsOf(compared).get('Good')!);
    await h.click(bob, buttonsOf(compared).get('Easy')!);
    expect(await cardOf(h, 'bob', questionId)).toMatchObject({ reps: 1, last_rating: 4 });
  });

  it('learns from choice answers in rounds and from mentors’ review scores', async () => {
    h = await harness();
    const [bob, dan] = [h.user('bob'), h.user('dan')];
    await choiceQuiz(h, h.user('ada', { isPlatformAdmin: true }), [[bob, true], [dan, false]]);
    const round = await h.t.db.selectFrom('round').select(['id', 'question_id']).where('kind', '=', 'quiz').executeTakeFirstOrThrow();
    const now = h.clock.now().getTime();
    const right = (await cardOf(h, 'bob', round.question_id))!;
    const wrong = (await cardOf(h, 'dan', round.question_id))!;
    expect(right).toMatchObject({ last_rating: 3, last_source: `round:${round.id}` });
    expect(right.due.getTime() - now).toBe(2 * DAY);
    expect(wrong).toMatchObject({ last_rating: 1 });
    expect(wrong.due.getTime() - now).toBe(10 * MIN);

    // An open question of the day, answered by bob and scored 3/12 by a mentor: "again".
    await h.cmd(h.user('ada'), 'mentor add <@U_mia>');
    await h.cmd(h.user('ada'), 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open categories:technical');
    await h.advance(1 * HOUR);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread && /Question of the day/.test(s.text))!;
    await h.reply(bob, card.ref, 'A short answer');
    await h.advance(1 * HOUR);
    const modal = (await h.cmd(h.user('mia'), 'review')).modal!;
    await h.submit(h.user('mia'), modal.id, { correctness: '1', depth: '1', clarity: '1', feedback: 'Say more.', best: '' });
    const qotd = await h.t.db.selectFrom('round').select('question_id').where('kind', '=', 'qotd').executeTakeFirstOrThrow();
    expect(await cardOf(h, 'bob', qotd.question_id)).toMatchObject({ last_rating: 1, last_source: expect.stringMatching(/^review:\d+$/) });
  });

  it('shows strongest and weakest topics in stats, and topic:weakest drills the weakest', async () => {
    h = await harness();
    const [ada, bob] = [h.user('ada', { isPlatformAdmin: true }), h.user('bob')];
    await choiceQuiz(h, ada, [[bob, true]], { topic: 'databases' });
    await choiceQuiz(h, ada, [[bob, false]], { topic: 'security' });
    const stats = await h.cmd(bob, 'stats');
    expect(stats.reply?.text).toContain('Strongest: databases · Weakest: security');
    expect(stats.reply?.text).toMatch(/Topic\s+Scored\s+Recall now\ndatabases\s+100% \(1\)\s+\d+% \(1\)\nsecurity\s+0% \(1\)/);
    expect(stats.reply?.text).toContain('/dojo practice topic:weakest drills security.');
    await h.advance(1 * DAY);
    const drill = await h.cmd(bob, 'practice topic:weakest');
    expect(drill.reply?.text).toMatch(/^Practice: this one is due again\nYour weakest topic: security/);
    expect((await h.cmd(bob, 'practice topic:nonsense')).reply?.text).toMatch(/nonsense/);
  });

  it('sends the daily practice DM at 08:30 Berlin time on both sides of the end of summer time, until turned off', async () => {
    h = await harness({ start: new Date('2026-10-22T12:00:00Z') }); // Thursday; clocks go back Sunday 25 October
    const bob = h.user('bob');
    const on = await h.cmd(bob, 'practice daily 08:30 tz:Europe/Berlin');
    expect(on.reply?.text).toBe('Daily practice is on: a question in your direct messages every day at 08:30 Europe/Berlin. The first comes Fri 23 Oct, 08:30 CEST. /dojo practice off stops it.');
    await h.advance(5 * DAY);
    const sent = await h.t.db.selectFrom('outbox').select(['created_at', 'payload']).where(sql<string>`payload->>'kind'`, '=', 'dm').orderBy('id').execute();
    expect(sent.map((s) => s.created_at.toISOString())).toEqual([
      '2026-10-23T06:30:00.000Z', // CEST, UTC+2
      '2026-10-24T06:30:00.000Z',
      '2026-10-25T07:30:00.000Z', // CET, UTC+1: still 08:30 in Berlin
      '2026-10-26T07:30:00.000Z',
      '2026-10-27T07:30:00.000Z',
    ]);
    const dms = h.chat.sent.filter((s) => s.kind === 'dm' && s.to === 'U_bob');
    expect(dms).toHaveLength(5);
    expect(dms[0]!.text).toMatch(/^Your daily practice\n/);
    expect(dms[0]!.text).toContain('Every day at 08:30 Europe/Berlin; /dojo practice off stops it.');
    // A click in the DM works as in the channel.
    expect((await h.click(bob, [...MemoryChat.buttons(dms[0]!.message).values()][0]!)).reply?.text).toMatch(/./);
    expect((await h.cmd(bob, 'practice off')).reply?.text).toMatch(/^Daily practice is off/);
    await h.advance(2 * DAY);
    expect(h.chat.sent.filter((s) => s.kind === 'dm' && s.to === 'U_bob')).toHaveLength(5);
    expect((await h.cmd(bob, 'practice daily 25:00')).reply?.text).toMatch(/HH:MM/);
  });

  it('two instances on one database send each daily DM once', async () => {
    h = await harness({ start: new Date('2026-11-23T05:00:00Z') });
    for (const name of ['bob', 'cy', 'dan', 'eve']) await h.cmd(h.user(name), 'practice daily 07:00 tz:UTC');
    const other = backend === 'postgres' ? await h.t.another() : undefined;
    const chatB = new MemoryChat();
    const b = createDojo({ db: other?.db ?? h.t.db, chat: chatB, clock: h.clock, log: pino({ level: 'silent' }), random: seededRandom(2) });
    try {
      for (let step = 0; step < 3 * 24; step++) {
        h.clock.set(new Date(h.clock.now().getTime() + HOUR));
        await Promise.all([h.dojo.tick(), b.tick(), h.dojo.tick(), b.tick()]);
      }
    } finally {
      await other?.close();
    }
    const dms = [...h.chat.sent, ...chatB.sent].filter((s) => s.kind === 'dm');
    // Three mornings, four members: twelve DMs, none twice.
    expect(dms).toHaveLength(12);
    expect(new Set(dms.map((d) => `${d.to} ${d.key}`)).size).toBe(12);
    expect(dms.filter((d) => d.to === 'U_bob')).toHaveLength(3);
  });

  it('exports everything about the member as JSON, and forget-me erases their practice too', async () => {
    h = await harness();
    const bob = h.user('bob');
    await choiceQuiz(h, h.user('ada', { isPlatformAdmin: true }), [[bob, true]]);
    await h.cmd(bob, 'practice daily 07:00');
    const exported = await h.cmd(bob, 'export mine');
    expect(exported.reply?.text).toBe('Here is everything I hold about you: 1 answer, 12 points, 1 practice card. /dojo forget-me deletes it.');
    const doc = JSON.parse(exported.file!.content);
    expect(exported.file!.mime).toBe('application/json');
    expect(doc.member).toMatchObject({ user_id: 'U_bob', name: 'bob', role: 'member' });
    expect(doc.answers).toHaveLength(1);
    expect(doc.points.map((p: { kind: string }) => p.kind)).toEqual(['participation', 'correct', 'speed']);
    expect(doc.practice.cards).toEqual([expect.objectContaining({ state: 'review', last_rating: 'good', reps: 1 })]);
    expect(doc.practice.daily).toMatchObject({ time: '07:00', timezone: 'UTC' });
    await h.click(bob, 'forget:confirm');
    const left = await h.t.db.selectFrom('practice_card').select('member_id').union(h.t.db.selectFrom('practice_reminder').select('member_id')).execute();
    expect(left).toEqual([]);
  });

  it('asks about a story, not "Knew it", on behavioral question cards', async () => {
    h = await harness();
    await h.cmd(h.user('ada', { isPlatformAdmin: true }), 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open categories:behavioral');
    await h.advance(1 * HOUR + MIN);
    const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
    const labels = [...MemoryChat.buttons(card.message).keys()];
    expect(labels).not.toContain('Knew it');
    expect(labels).toEqual(expect.arrayContaining(['Had a story ready', 'Story needs work', 'No story yet']));
    const said = await h.click(h.user('bob'), MemoryChat.buttons(card.message).get('Had a story ready')!);
    expect(said.reply?.text).toBe('Noted: you had a story ready. /dojo practice brings it back in 2 days.');
    // Changing the self-check replaces it rather than counting twice.
    const changed = await h.click(h.user('bob'), MemoryChat.buttons(card.message).get('No story yet')!);
    expect(changed.reply?.text).toBe('Noted: you have no story yet. /dojo practice brings it back in 10 minutes.');
  });

  it('titles a /dojo question card so it is not mistaken for /dojo practice', async () => {
    h = await harness();
    await h.cmd(h.user('bob'), 'question security beginner');
    const card = h.chat.sent.find((s) => s.kind === 'post')!;
    expect(card.message.blocks[0]).toEqual({ type: 'header', text: 'Question for the channel' });
    expect(card.text).not.toMatch(/Practice/);
  });
});
