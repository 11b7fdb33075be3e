/**
 * The weekly recap with a fake clock: posted at Monday 00:00 in the team's zone (Berlin) to each channel
 * with a running schedule, once, with the week's best answers picked by mentors, most improved, the hardest
 * question, the streaks kept and a line per league; and posted once when two instances tick together.
 * Points: a correct choice answered at once scores 12 (2 + 5 + 5 for speed), a wrong one 2; a question of
 * the day adds 1 per earlier day of the streak, up to 5.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import { createDojo } from '../../src/core/dojo.js';
import type { UserRef } from '../../src/core/ports.js';
import { seededRandom } from '../../src/core/selection.js';
import { backend } from '../helpers/db.js';
import { isPng, pngSize } from '../helpers/png.js';
import { choiceQuiz, HOUR, harness, type Harness } from '../helpers/dojo.js';

const advanceTo = (h: Harness, at: string) => h.advance(new Date(at).getTime() - h.clock.now().getTime());
const recaps = (h: Harness, mark = 0) => h.chat.since(mark).filter((s) => s.kind === 'post' && s.text.startsWith('Week in review'));

/** Answers the newest question of the day in a channel, right or wrong. */
async function answerQotd(h: Harness, user: UserRef, channel: string, correct: boolean): Promise<void> {
  const card = h.chat.sent.filter((s) => s.kind === 'post' && s.to === channel && [...MemoryChat.buttons(s.message).values()].some((id) => id.startsWith('choice:'))).at(-1)!;
  const ids = [...MemoryChat.buttons(card.message).values()].filter((id) => id.startsWith('choice:'));
  const roundId = Number(ids[0]!.split(':')[1]);
  const q = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
  const right = q.options!.findIndex((o) => o.correct);
  await h.click(user, ids[correct ? right : (right + 1) % ids.length]!, channel);
}

describe(`the weekly recap on ${backend}`, () => {
  let h: Harness;
  let [ada, bob, cy, dan, eve, fay, mo]: UserRef[] = [];
  beforeAll(async () => {
    h = await harness({ start: new Date('2026-11-19T10:00:00Z'), timezone: 'Europe/Berlin' }); // Thursday
    ada = h.user('ada', { isPlatformAdmin: true });
    [bob, cy, dan, eve, fay, mo] = ['bob', 'cy', 'dan', 'eve', 'fay', 'mo'].map((n) => h.user(n));
    await h.cmd(ada, 'mentor add <@U_mo>');
  });
  afterAll(async () => h.close());

  it('posts the week in review to each scheduled channel at Monday 00:00 in the team’s zone', async () => {
    await choiceQuiz(h, bob, [[bob, true]]); // week of 16 Nov: bob 12
    for (const c of ['C1', 'C2']) await h.cmd(ada, 'schedule set days:daily time:09:00 tz:Europe/Berlin kind:choice window:2h', c);
    await h.cmd(ada, 'schedule set days:daily time:09:00 tz:Europe/Berlin kind:choice window:2h', 'C3');
    await h.cmd(ada, 'schedule off', 'C3'); // a channel whose schedule is off gets no recap
    await advanceTo(h, '2026-11-22T22:59:00Z'); // Sunday 23:59 in Berlin
    expect(recaps(h)).toEqual([]);
    await h.advance(60_000);
    expect(recaps(h).map((r) => [r.to, r.text])).toEqual([
      ['C1', 'Week in review · 16 Nov – 22 Nov\n1 member answered. Top of the week: bob (12).\nMost improved: bob +12 (12 against 0).'],
      ['C2', 'Week in review · 16 Nov – 22 Nov\n1 member answered. Top of the week: bob (12).\nMost improved: bob +12 (12 against 0).'],
    ]);
    await h.advance(2 * HOUR);
    expect(recaps(h)).toHaveLength(2);
  });

  it('names the best answers, the most improved, the hardest question, the streaks kept and each league', async () => {
    // Monday 23 Nov: the question of the day in #c1 at 09:00 Berlin; bob and dan right, cy wrong.
    await advanceTo(h, '2026-11-23T08:00:00Z');
    await answerQotd(h, bob, 'C1', true); // 12
    await answerQotd(h, dan, 'C1', true); // 12
    await answerQotd(h, cy, 'C1', false); // 2
    await advanceTo(h, '2026-11-23T11:00:00Z'); // Monday 12:00: a season starts (bob alone is placed: one league)
    await h.cmd(ada, 'season start Winter until:2026-12-20');
    // Tuesday: an open question in #c1; mo scores bob's answer 3/3/3 and picks it as the best (2 + 9 + 5).
    await advanceTo(h, '2026-11-24T08:00:00Z');
    await answerQotd(h, bob, 'C1', true); // 12 + 1 streak
    await advanceTo(h, '2026-11-24T11:00:00Z');
    await h.cmd(ada, 'quiz kind:open count:1 seconds:60', 'C1');
    const thread = h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread).at(-1)!.ref;
    await h.reply(bob, thread, 'Roll back first, then find the cause with the logs.');
    await h.advance(60_000);
    const modal = (await h.cmd(mo, 'review')).modal!;
    await h.submit(mo, modal.id, { ...Object.fromEntries(modal.fields.filter((f) => f.type === 'select').map((f) => [f.id, '3'])), best: 'true', feedback: 'Good.' });
    // Wednesday: a quiz in #c2 that only cy gets right: 1 of 4 (25%).
    await advanceTo(h, '2026-11-25T08:00:00Z');
    await answerQotd(h, bob, 'C1', true); // 12 + 2
    await advanceTo(h, '2026-11-25T11:00:00Z');
    await choiceQuiz(h, cy, [[cy, true], [dan, false], [eve, false], [fay, false]], { channel: 'C2' });
    // Thursday to Sunday: bob keeps answering #c1 (12 + 3, 12 + 4, 12 + 5, 12 + 5).
    for (const day of ['26', '27', '28', '29']) {
      await advanceTo(h, `2026-11-${day}T08:00:00Z`);
      await answerQotd(h, bob, 'C1', true);
    }
    const mark = h.chat.sent.length;
    await advanceTo(h, '2026-11-29T23:00:00Z'); // Monday 30 Nov, 00:00 in Berlin
    const posted = recaps(h, mark);
    expect(posted.map((r) => r.to)).toEqual(['C1', 'C2']);
    const picked = await h.t.db.selectFrom('review').innerJoin('answer', 'answer.id', 'review.answer_id').innerJoin('round', 'round.id', 'answer.round_id').innerJoin('question', 'question.id', 'round.question_id').select('question.prompt').where('review.best_answer', '=', true).executeTakeFirstOrThrow();
    const hardest = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.prompt').where('round.kind', '=', 'quiz').where('round.channel_id', '=', (await h.t.db.selectFrom('channel').select('id').where('platform_channel_id', '=', 'C2').executeTakeFirstOrThrow()).id).executeTakeFirstOrThrow();
    const clip = (t: string) => (t.length > 80 ? `${t.slice(0, 79).trimEnd()}…` : t);
    // bob: 7 questions of the day (84 + 0+1+2+3+4+5+5 streak) + 16 for the open answer = 120, against 12 the week before.
    // cy: 2 + 12 = 14; dan: 12 + 2 = 14; eve and fay 2. Since the season started (Monday 12:00), bob has 108.
    expect(posted[0]!.text).toBe(
      [
        'Week in review · 23 Nov – 29 Nov',
        '5 members answered. Top of the week: bob (120), cy (14), dan (14).',
        'Best answers picked by mentors:',
        `• bob on “${clip(picked.prompt)}” (9/12)`,
        'Most improved: bob +108 (120 against 12), cy +14 (14 against 0), dan +14 (14 against 0).',
        `Hardest question: “${clip(hardest.prompt)}”: 1 of 4 right (25%).`,
        'Streaks kept: bob 7 days.',
        'Leagues:',
        '• Bronze: bob leads with 108 points',
      ].join('\n'),
    );
    expect(posted[1]!.text).toBe(posted[0]!.text);
    // The week's board comes as a picture too, its alt text the same ranks in words.
    const [chart, ...more] = posted[0]!.message.files ?? [];
    expect(more).toEqual([]);
    expect(chart?.name).toBe('dojo-week.png');
    expect(isPng(chart!.bytes)).toBe(true);
    expect(pngSize(chart!.bytes).width).toBe(800);
    expect(chart?.alt).toBe("The week's board · 23 Nov – 29 Nov: 1. bob 120, 2. cy 14, 2. dan 14, 4. eve 2, 4. fay 2.");
  });

  it('posts a week’s recap once when two instances tick at the week’s end together', async () => {
    await advanceTo(h, '2026-12-02T08:00:00Z');
    await answerQotd(h, dan, 'C2', true);
    await advanceTo(h, '2026-12-06T22:00:00Z'); // Sunday 23:00 in Berlin
    const other = backend === 'postgres' ? await h.t.another() : undefined;
    const chatB = new MemoryChat();
    const b = createDojo({ db: other?.db ?? h.t.db, chat: chatB, clock: h.clock, log: pino({ level: 'silent' }), random: seededRandom(2) });
    const mark = h.chat.sent.length;
    try {
      h.clock.set(new Date('2026-12-06T23:00:00Z'));
      await Promise.all([h.dojo.tick(), b.tick(), h.dojo.tick(), b.tick()]);
      h.clock.set(new Date('2026-12-06T23:00:05Z'));
      await Promise.all([h.dojo.tick(), b.tick()]);
    } finally {
      await other?.close();
    }
    const all = [...h.chat.since(mark), ...chatB.sent].filter((s) => s.kind === 'post' && s.text.startsWith('Week in review · 30 Nov – 6 Dec'));
    expect(all.map((s) => s.to).sort()).toEqual(['C1', 'C2']);
    expect(await h.t.db.selectFrom('weekly_recap').select('week_start').orderBy('week_start').execute()).toEqual([{ week_start: '2026-11-16' }, { week_start: '2026-11-23' }, { week_start: '2026-11-30' }]);
  });
});
