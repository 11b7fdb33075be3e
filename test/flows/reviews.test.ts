import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { DAY, harness, HOUR, MIN, type Harness } from '../helpers/dojo.js';

async function dayWithAnswers(h: Harness, who: string[]) {
  const ada = h.user('ada', { isPlatformAdmin: true });
  await h.cmd(ada, 'mentor add <@U_mia>');
  await h.cmd(ada, 'mentor add <@U_max>');
  await h.cmd(ada, 'schedule set days:daily time:08:00 tz:UTC window:1h kind:open categories:technical');
  await h.advance(1 * HOUR);
  const card = h.chat.sent.find((s) => s.kind === 'post' && !!s.thread)!;
  for (const name of who) {
    await h.reply(h.user(name), card.ref, `${name}'s answer`);
    await h.advance(1 * MIN);
  }
  await h.advance(1 * HOUR);
  return card;
}

const rubric = { correctness: '3', depth: '2', clarity: '4', feedback: 'Solid; add a trade-off.', best: '' };

describe(`mentor reviews on ${backend}`, () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('hands each mentor a different answer, oldest first, and a claim expires after 30 minutes', async () => {
    h = await harness();
    await dayWithAnswers(h, ['bob', 'cy']);
    const mia = await h.cmd(h.user('mia'), 'review');
    const max = await h.cmd(h.user('max'), 'review');
    expect(mia.modal?.intro).toContainEqual({ type: 'quote', text: "bob's answer", author: 'Their answer' });
    expect(max.modal?.intro).toContainEqual({ type: 'quote', text: "cy's answer", author: 'Their answer' });
    expect(mia.modal?.fields.map((f) => f.id)).toEqual(['correctness', 'depth', 'clarity', 'feedback', 'best']);
    expect((await h.cmd(h.user('zoe', {}), 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);
    const third = await h.cmd(h.user('ada'), 'review');
    expect(third.reply?.text).toBe('No answers are waiting for review. Nice work!');
    await h.advance(31 * MIN);
    const again = await h.cmd(h.user('ada'), 'review');
    expect(again.modal?.intro).toContainEqual({ type: 'quote', text: "bob's answer", author: 'Their answer' });
    // mia's claim lapsed, so her late submission is refused while ada holds it.
    expect((await h.submit(h.user('mia'), mia.modal!.id, rubric)).reply?.text).toBe('Another mentor is reviewing that answer.');
  });

  it('scores by the rubric, sends the member the feedback, and never lets anyone review their own answer', async () => {
    h = await harness();
    const card = await dayWithAnswers(h, ['mia', 'bob']);
    // mia answered herself: she is handed bob's answer, not her own.
    const modal = (await h.cmd(h.user('mia'), 'review')).modal!;
    expect(modal.intro).toContainEqual({ type: 'quote', text: "bob's answer", author: 'Their answer' });
    const done = await h.submit(h.user('mia'), modal.id, { ...rubric, best: 'true' });
    expect(done.reply?.text).toBe('Thanks! Review sent (9/12).');
    const dm = h.chat.sent.find((s) => s.kind === 'dm' && s.to === 'U_bob')!;
    expect(dm.text).toMatch(/^A mentor reviewed your answer\n[\s\S]*Correctness: 3\/4 · Depth and trade-offs: 2\/4 · Clarity: 4\/4\nScore: 9\/12 · picked as the best answer!\n> Solid; add a trade-off\.\n {2}\(mia\)/);
    const thread = h.chat.sent.filter((s) => s.kind === 'reply' && s.to === card.ref).at(-1)!;
    expect(thread.message.blocks[0]).toEqual({ type: 'mention', userIds: ['U_bob'], text: 'a mentor reviewed your answer and picked it as the best one. Details in your DMs.' });
    const pts = await h.t.db.selectFrom('point_event').innerJoin('member', 'member.id', 'point_event.member_id').select(['display_name', 'kind', 'points']).where('display_name', '=', 'bob').orderBy('point_event.id').execute();
    expect(pts.map((p) => [p.kind, p.points])).toEqual([['participation', 2], ['review', 9], ['best_answer', 5]]);
    // Submitting twice (a double click) records one review.
    expect((await h.submit(h.user('mia'), modal.id, rubric)).reply?.text).toBe('That answer was already reviewed.');
    // mia's own answer is left for max.
    const maxModal = (await h.cmd(h.user('max'), 'review')).modal!;
    expect(maxModal.intro).toContainEqual({ type: 'quote', text: "mia's answer", author: 'Their answer' });
    expect((await h.cmd(h.user('mia'), 'review')).reply?.text).toBe('No answers are waiting for review. Nice work!');
  });

  it('checks the rubric values and asks for feedback', async () => {
    h = await harness();
    await dayWithAnswers(h, ['bob']);
    const modal = (await h.cmd(h.user('mia'), 'review')).modal!;
    expect((await h.submit(h.user('mia'), modal.id, { ...rubric, depth: '7' })).reply?.text).toBe('Depth and trade-offs needs a score from 0 to 4.');
    expect((await h.submit(h.user('mia'), modal.id, { ...rubric, feedback: '  ' })).reply?.text).toBe('Please write a line of feedback; it is what helps them most.');
    expect(await h.t.db.selectFrom('review').selectAll().execute()).toEqual([]);
  });

  it('reminds mentors once about answers waiting over 24 hours', async () => {
    h = await harness();
    await dayWithAnswers(h, ['bob']);
    await h.advance(1 * DAY);
    const reminders = h.chat.sent.filter((s) => s.kind === 'dm' && /waited over a day/.test(s.text));
    expect(reminders.map((r) => r.to).sort()).toEqual(['U_ada', 'U_max', 'U_mia']);
    expect(reminders[0]!.text).toMatch(/^1 answer has waited over a day for review\. \/dojo review picks the oldest\./);
    await h.advance(2 * DAY);
    expect(h.chat.sent.filter((s) => s.kind === 'dm' && /waited over a day/.test(s.text))).toHaveLength(3);
  });
});
