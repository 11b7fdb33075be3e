/**
 * Two teams on one database, with the same channel id, the same user ids and the same thread refs:
 * points, boards, review queues, schedules, mentor lists, team questions, exports, seasons and
 * forget-me never cross from one team to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness, type Seen } from '../helpers/dojo.js';

function board(out: Seen | undefined): [string, number][] {
  const table = out?.blocks?.find((b) => b.type === 'table');
  return table && table.type === 'table' ? table.rows.map((r) => [r[1]!, Number(r[2])]) : [];
}

describe(`two teams on one ${backend} database`, () => {
  let one: Harness;
  let two: Harness;
  /** The same people (same user ids) in both teams. */
  const people = (h: Harness) => ({ ada: h.user('ada', { isPlatformAdmin: true }), bob: h.user('bob'), cy: h.user('cy'), mo: h.user('mo'), zoe: h.user('zoe') });

  /** Both clocks move together; each team's due work may be run by either instance, as in production. */
  async function advance(ms: number) {
    await one.advance(ms);
    two.clock.set(one.clock.now());
    await two.advance(0);
  }
  /** Everything sent for a team, whichever instance sent it. */
  const sentFor = (team: string) => [...one.chat.sent, ...two.chat.sent].filter((s) => s.team === team);
  const answers = (team: string) =>
    one.t.db
      .selectFrom('answer')
      .innerJoin('member', 'member.id', 'answer.member_id')
      .select(['answer.id', 'answer.body', 'member.display_name', 'answer.review_status'])
      .where('answer.team_id', '=', `memory:${team}`)
      .orderBy('answer.id')
      .execute();

  async function choiceQuiz(h: Harness, starter: UserRef, picks: [UserRef, boolean][]) {
    await h.cmd(starter, 'quiz kind:choice count:1 seconds:10');
    const card = h.chat.sent.filter((s) => [...MemoryChat.buttons(s.message).values()].some((id) => id.startsWith('choice:'))).at(-1)!;
    const ids = [...MemoryChat.buttons(card.message).values()];
    const roundId = Number(ids[0]!.split(':')[1]);
    const q = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const right = q.options!.findIndex((o) => o.correct);
    for (const [u, ok] of picks) await h.click(u, ids[ok ? right : (right + 1) % ids.length]!);
  }

  beforeAll(async () => {
    one = await harness();
    two = await harness({ db: one.t, team: { platform: 'memory', id: 'T2', name: 'Two' } });
  });
  afterAll(async () => one.close());

  it('keeps answers in the same thread ref of the same channel id apart', async () => {
    const [p1, p2] = [people(one), people(two)];
    await one.cmd(p1.ada, 'quiz kind:open count:1 seconds:60');
    await two.cmd(p2.ada, 'quiz kind:open count:1 seconds:60');
    const [t1, t2] = [one.chat.sent[0]!, two.chat.sent[0]!];
    expect(t1.ref).toBe(t2.ref); // the same opaque thread ref in both teams, in channel C1
    await one.reply(p1.bob, t1.ref, 'Team One: use a covering index.');
    await two.reply(p2.bob, t2.ref, 'Team Two: denormalise the hot table.');
    await two.reply(p2.cy, t2.ref, 'Team Two: cache the query.');
    await advance(60_000);
    expect((await answers('T1')).map((a) => [a.display_name, a.body])).toEqual([['bob', 'Team One: use a covering index.']]);
    expect((await answers('T2')).map((a) => [a.display_name, a.body])).toEqual([
      ['bob', 'Team Two: denormalise the hot table.'],
      ['cy', 'Team Two: cache the query.'],
    ]);
    const closing = (team: string) => sentFor(team).filter((s) => s.text.startsWith("Time's up")).map((s) => s.text.split('\n').at(-1));
    expect(closing('T1')).toEqual(['1 answer from bob. Thanks!']);
    expect(closing('T2')).toEqual(['2 answers from bob and cy. Thanks!']);
  });

  it('keeps points and leaderboards apart', async () => {
    const [p1, p2] = [people(one), people(two)];
    await choiceQuiz(one, p1.bob, [[p1.bob, true]]);
    await choiceQuiz(two, p2.cy, [[p2.cy, false]]);
    await advance(10_000);
    for (const period of ['week', 'all']) {
      expect(board(await one.seen(p1.cy, `leaderboard ${period}`))).toEqual([['bob', 14]]);
      expect(board(await two.seen(p2.bob, `leaderboard ${period}`))).toEqual([['cy', 4], ['bob', 2]]);
    }
    expect(board(await one.seen(p1.cy, 'leaderboard all channel'))).toEqual([['bob', 14]]);
    expect((await two.cmd(p2.bob, 'stats')).reply?.text).toMatch(/Answers: 1 · Points: 2 · Rank: #2 of 2/);
    expect((await one.cmd(p1.bob, 'stats')).reply?.text).toMatch(/Answers: 2 · Points: 14 · Rank: #1 of 1/);
  });

  it('keeps review queues and mentors apart', async () => {
    const [p1, p2] = [people(one), people(two)];
    await one.cmd(p1.ada, 'mentor add <@U_mo>');
    await two.cmd(p2.ada, 'mentor add <@U_zoe>');
    await one.cmd(p1.mo, 'help');
    await two.cmd(p2.zoe, 'help');
    expect((await one.cmd(p1.bob, 'mentor list')).reply?.text).toBe('Mentors: mo.\nAdmins: ada.');
    expect((await two.cmd(p2.bob, 'mentor list')).reply?.text).toBe('Mentors: zoe.\nAdmins: ada.');
    // Mentor in one team is a member in the other.
    expect((await two.cmd(p2.mo, 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);
    expect((await one.cmd(p1.zoe, 'review')).reply?.text).toMatch(/^Sorry, only mentors can review answers/);

    const t1Answer = (await answers('T1')).find((a) => a.review_status === 'pending')!;
    const modal = (await one.cmd(p1.mo, 'review')).modal!;
    expect(modal.id).toBe(`review:${t1Answer.id}`);
    expect(modal.intro).toContainEqual({ type: 'quote', text: 'Team One: use a covering index.', author: 'Their answer' });
    expect((await one.cmd(p1.mo, 'review')).modal?.id).toBe(modal.id); // still theirs, and nothing else waits in Team One

    const second = (await two.cmd(p2.zoe, 'review')).modal!;
    expect(second.intro).toContainEqual({ type: 'quote', text: 'Team Two: denormalise the hot table.', author: 'Their answer' });
    // A review form of one team submitted in the other is refused and scores nothing.
    const values = { correctness: '4', depth: '4', clarity: '4', star: '4', ownership: '4', outcome: '4', feedback: 'Great.' };
    expect((await two.submit(p2.zoe, modal.id, values)).reply?.text).toBe('That answer is gone (its author may have deleted it).');
    expect(await one.t.db.selectFrom('review').select('id').execute()).toEqual([]);
    expect((await one.submit(p1.mo, modal.id, values)).reply?.text).toMatch(/^Thanks! Review sent \(12\/12\)/);
    expect(sentFor('T1').filter((s) => s.kind === 'dm' && s.to === 'U_bob')).toHaveLength(1);
    expect(sentFor('T2').filter((s) => s.kind === 'dm' && s.to === 'U_bob')).toEqual([]);
    expect(board(await two.seen(p2.bob, 'leaderboard all'))).toEqual([['cy', 4], ['bob', 2]]);
  });

  it('keeps schedules apart on the same channel id', async () => {
    const [p1, p2] = [people(one), people(two)];
    expect((await one.said(p1.ada, 'schedule set days:mon-fri time:09:00 tz:UTC window:1h'))).toMatch(/^Saved\./);
    expect((await two.cmd(p2.ada, 'schedule show')).reply?.text).toMatch(/^No question of the day here yet/);
    expect((await two.said(p2.ada, 'schedule off'))).toBe('There is no schedule in this channel.');
    await advance(2 * 3_600_000); // past 09:00
    const qotd = (team: string) => sentFor(team).filter((s) => s.kind === 'post' && s.text.startsWith('Question of the day'));
    expect(qotd('T1')).toHaveLength(1);
    expect(qotd('T2')).toEqual([]);
    expect((await one.cmd(p1.ada, 'schedule show')).reply?.text).toMatch(/Next: Tue 24 Nov, 09:00 UTC\.$/);
    await one.cmd(p1.ada, 'schedule off');
  });

  it('keeps pending team questions apart', async () => {
    const [p1, p2] = [people(one), people(two)];
    const values = { prompt: 'What is our release train cadence?', kind: 'open', topic: 'team-release', difficulty: 'beginner', details: 'Weekly\nTuesdays\nRelease captain rotates' };
    const before = [sentFor('T1').length, sentFor('T2').length];
    await one.submit(p1.bob, 'add-question', values);
    const dm1 = sentFor('T1').slice(before[0]).filter((s) => s.kind === 'dm');
    expect(dm1.map((s) => s.to).sort()).toEqual(['U_ada', 'U_mo']);
    expect(sentFor('T2')).toHaveLength(before[1]!);
    const q = await one.t.db.selectFrom('question').select(['id', 'team_id']).where('prompt', '=', values.prompt).executeTakeFirstOrThrow();
    expect(q.team_id).toBe('memory:T1');
    expect((await two.click(p2.zoe, `approve:${q.id}`)).reply?.text).toBe('That question is not your team’s.');
    expect((await two.click(p2.ada, `approve:${q.id}`)).reply?.text).toBe('That question is not your team’s.');
    expect((await one.click(p1.mo, `approve:${q.id}`)).reply?.text).toBe('Approved: it joins the team’s questions.');
    expect((await two.cmd(p2.ada, 'question topic:team-release')).reply?.text).toMatch(/^I have no questions on "team-release"/);
    expect((await two.said(p2.ada, 'schedule set topics:team-release'))).toMatch(/^I have no questions on "team-release"/);
    // Team Two's proposal reaches Team Two's reviewers only.
    const mark = [sentFor('T1').length, sentFor('T2').length];
    await two.submit(p2.bob, 'add-question', { ...values, prompt: 'Who signs off a hotfix?' });
    expect(sentFor('T1')).toHaveLength(mark[0]!);
    expect(sentFor('T2').slice(mark[1]).map((s) => s.to).sort()).toEqual(['U_ada', 'U_zoe']);
  });

  it('exports only the team’s own answers', async () => {
    const [p1, p2] = [people(one), people(two)];
    const csv1 = (await one.cmd(p1.ada, 'export')).file!.content;
    const csv2 = (await two.cmd(p2.ada, 'export')).file!.content;
    expect(csv1.trimEnd().split('\n')).toHaveLength(1 + (await answers('T1')).length);
    expect(csv2.trimEnd().split('\n')).toHaveLength(1 + (await answers('T2')).length);
    expect(csv1).toContain('Team One: use a covering index.');
    expect(csv1).not.toContain('Team Two');
    expect(csv2).toContain('Team Two: cache the query.');
    expect(csv2).not.toContain('Team One');
  });

  it('keeps seasons apart', async () => {
    const [p1, p2] = [people(one), people(two)];
    expect((await one.said(p1.ada, 'season start Alpha until:2026-12-31'))).toMatch(/^Season "Alpha" has started!/);
    expect((await two.said(p2.bob, 'leaderboard season'))).toMatch(/^No season is running\./);
    expect((await two.said(p2.ada, 'season start Beta until:2026-12-15'))).toMatch(/^Season "Beta" has started!/);
    expect((await two.cmd(p2.ada, 'season end')).reply?.text).toBe('"Beta" has ended; the final board is posted.');
    expect((await one.cmd(p1.bob, 'season show')).reply?.text).toMatch(/^Leaderboard · Alpha/);
  });

  it('forgets a person in one team only', async () => {
    const [p1, p2] = [people(one), people(two)];
    const t1Before = await answers('T1');
    expect((await two.click(p2.bob, 'forget:confirm')).reply?.text).toBe('Done: 1 answer, all your points and your practice are deleted.');
    expect((await answers('T2')).map((a) => a.display_name)).toEqual(['cy', 'cy']);
    expect(await answers('T1')).toEqual(t1Before);
    expect(board(await one.seen(p1.cy, 'leaderboard all'))).toEqual([['bob', 26]]);
    expect(board(await two.seen(p2.cy, 'leaderboard all'))).toEqual([['cy', 4]]);
  });
});
