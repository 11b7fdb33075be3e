/**
 * Data rights: `/dojo forget-me` (after a confirmation) deletes a member's answers, the reviews of them
 * and their points, and anonymises them in season archives, leaving everyone else's data alone.
 * `/dojo export` gives admins a CSV that is safe to open in a spreadsheet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

/** A CSV parser for the test: quoted cells, doubled quotes, newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') endCell();
    else if (!quoted && c === '\n') endRow();
    else cell += c;
  }
  if (cell || row.length) endRow();
  return rows;
}

describe(`data rights on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  let mo: UserRef;
  let bob: UserRef;
  let cy: UserRef;

  /** A one-question choice quiz: each listed member picks the right or a wrong option; then it closes. */
  async function choiceQuiz(starter: UserRef, picks: [UserRef, boolean][]) {
    await h.cmd(starter, 'quiz kind:choice count:1 seconds:10');
    const card = h.chat.sent.filter((s) => [...MemoryChat.buttons(s.message).values()].some((id) => id.startsWith('choice:'))).at(-1)!;
    const ids = [...MemoryChat.buttons(card.message).values()];
    const roundId = Number(ids[0]!.split(':')[1]);
    const q = await h.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const right = q.options!.findIndex((o) => o.correct);
    for (const [u, ok] of picks) await h.click(u, ids[ok ? right : (right + 1) % ids.length]!);
    await h.advance(10_000);
  }

  /** A one-question open quiz answered in its thread by each listed member; then it closes. */
  async function openQuiz(starter: UserRef, answers: [UserRef, string][]) {
    await h.cmd(starter, 'quiz kind:open count:1 seconds:60');
    const thread = h.chat.sent.filter((s) => s.kind === 'post' && !!s.thread).at(-1)!.ref;
    for (const [u, text] of answers) await h.reply(u, thread, text);
    await h.advance(60_000);
  }

  /** mo reviews the next pending answer with the same score on every criterion. */
  async function review(score: number) {
    const modal = (await h.cmd(mo, 'review')).modal!;
    const values: Record<string, string> = { feedback: 'Thanks, see the key points.' };
    for (const f of modal.fields) if (f.type === 'select') values[f.id] = String(score);
    expect((await h.submit(mo, modal.id, values)).reply?.text).toMatch(/^Thanks! Review sent/);
  }

  const memberId = async (u: UserRef) => (await h.t.db.selectFrom('member').select('id').where('platform_user_id', '=', u.id).executeTakeFirstOrThrow()).id;
  const answersOf = async (u: UserRef) => h.t.db.selectFrom('answer').select('id').where('member_id', '=', await memberId(u)).execute();
  const pointsOf = async (u: UserRef) => h.t.db.selectFrom('point_event').select(['kind', 'points']).where('member_id', '=', await memberId(u)).orderBy('id').execute();
  const reviewsOf = async (u: UserRef) =>
    h.t.db.selectFrom('review').innerJoin('answer', 'answer.id', 'review.answer_id').select('review.id').where('answer.member_id', '=', await memberId(u)).execute();
  const dmsKeptFor = async (userId: string) =>
    (await h.t.db.selectFrom('outbox').select('payload').execute()).filter((r) => {
      const p = r.payload as { kind: string; userId?: string };
      return p.kind === 'dm' && p.userId === userId;
    });
  const archive = () => h.t.db.selectFrom('season_result').select(['rank', 'display_name', 'member_id', 'points']).orderBy('rank').execute();

  beforeAll(async () => {
    h = await harness();
    ada = h.user('ada', { isPlatformAdmin: true });
    mo = h.user('mo');
    bob = h.user('bob');
    cy = h.user('cy');
    await h.cmd(ada, 'mentor add <@U_mo>');
    await h.cmd(ada, 'season start Autumn until:2026-11-30');
    await choiceQuiz(ada, [[bob, true], [cy, false]]);
    await openQuiz(ada, [[bob, 'Use an index on the foreign key.'], [cy, 'Add more memory.']]);
    await review(3); // bob's answer came first
    await review(1);
    await h.cmd(ada, 'season end');
    await choiceQuiz(ada, [[bob, true], [cy, true]]); // after the season: points outside the archive
  });
  afterAll(async () => h.close());

  it('asks before forgetting, and Keep it deletes nothing', async () => {
    const ask = await h.cmd(bob, 'forget-me');
    expect(ask.reply?.visibility).toBe('ephemeral');
    expect(ask.reply?.text).toBe('This deletes your answers, the reviews of them, your points and your practice (cards and the daily DM), and removes your name from season archives. It cannot be undone.');
    const buttons = MemoryChat.buttons({ text: '', blocks: ask.reply!.blocks! });
    expect([...buttons.keys()]).toEqual(['Delete my data', 'Keep it']);
    // Asking alone deletes nothing; neither does Keep it.
    expect(await answersOf(bob)).toHaveLength(3);
    expect((await h.click(bob, buttons.get('Keep it')!)).reply?.text).toBe('Nothing was deleted.');
    expect(await answersOf(bob)).toHaveLength(3);
    expect(await reviewsOf(bob)).toHaveLength(1);
    expect((await pointsOf(bob)).length).toBeGreaterThan(0);
    expect((await archive()).map((r) => r.display_name)).toEqual(['bob', 'cy']);
  });

  it('Delete my data removes their answers, the reviews of them and their points, and anonymises the archive', async () => {
    expect(await dmsKeptFor('U_bob')).toHaveLength(1);
    const cyBefore = { answers: await answersOf(cy), reviews: await reviewsOf(cy), points: await pointsOf(cy) };
    const board = await h.said(cy, 'leaderboard all');
    expect(board).toMatch(/\bbob\b/);
    const archived = await archive();
    expect(archived[0]).toMatchObject({ rank: 1, display_name: 'bob' });

    const done = await h.click(bob, 'forget:confirm');
    expect(done.reply).toEqual({ text: 'Done: 3 answers, all your points and your practice are deleted.', visibility: 'ephemeral' });
    expect(await answersOf(bob)).toEqual([]);
    expect(await pointsOf(bob)).toEqual([]);
    // The boards' per-member sums follow the ledger in the same transaction.
    expect(await h.t.db.selectFrom('ledger_rollup').select('grain').where('member_id', '=', await memberId(bob)).execute()).toEqual([]);
    expect(await h.t.db.selectFrom('ledger_rollup').select('grain').where('member_id', '=', await memberId(cy)).execute()).not.toEqual([]);
    expect(await h.t.db.selectFrom('review').select('id').execute()).toEqual(cyBefore.reviews);
    expect(await h.t.db.selectFrom('answer_part').select('id').execute()).toHaveLength(1); // cy's one thread message
    // The review DM with their score and feedback is not kept in the outbox either.
    expect(await dmsKeptFor('U_bob')).toEqual([]);
    expect(await dmsKeptFor('U_cy')).toHaveLength(1);

    // Boards and stats no longer know them.
    for (const period of ['all', 'week', 'month']) {
      const text = (await h.said(cy, `leaderboard ${period}`)) ?? '';
      expect(text).toMatch(/\bcy\b/);
      expect(text).not.toMatch(/\bbob\b/);
    }
    expect((await h.cmd(cy, 'stats <@U_bob>')).reply?.text).toBe('I have no stats for them yet.');

    // The ended season keeps its ranks, without the name.
    expect(await archive()).toEqual([
      { ...archived[0], display_name: 'Former member #1', member_id: null },
      archived[1],
    ]);
    const show = (await h.cmd(cy, 'season show')).reply?.text ?? '';
    expect(show).toContain('Former member #1');
    expect(show).not.toMatch(/\bbob\b/);

    // Everyone else's data stays.
    expect(await answersOf(cy)).toEqual(cyBefore.answers);
    expect(await reviewsOf(cy)).toEqual(cyBefore.reviews);
    expect(await pointsOf(cy)).toEqual(cyBefore.points);
  });

  it('exports a CSV for admins only: a header, one quoted line per answer with its points, formulas neutralised', async () => {
    const dan = h.user('dan');
    const refused = await h.cmd(cy, 'export');
    expect(refused.reply?.text).toMatch(/^Sorry, only admins can do that/);
    expect(refused.file).toBeUndefined();

    await openQuiz(ada, [
      [cy, '=HYPERLINK("http://evil.example","click me")'],
      [dan, 'Two parts, "quoted",\nand a second line'],
    ]);
    const out = await h.cmd(ada, 'export');
    expect(out.file?.mime).toBe('text/csv');
    const content = out.file!.content;
    const [header, ...rows] = parseCsv(content);
    expect(header).toEqual(['answered_at', 'channel', 'member', 'round_kind', 'question', 'difficulty', 'status', 'late', 'choice', 'answer', 'review_score', 'points']);
    expect(content.split('\n')[0]).toBe(header!.join(','));

    const answers = await h.t.db.selectFrom('answer').select('id').execute();
    expect(rows).toHaveLength(answers.length);
    expect(out.reply?.text).toBe(`Here is the export: ${answers.length} answers.`);

    // Points per answer, as the ledger has them.
    const ledger = await h.t.db.selectFrom('point_event').select(['answer_id', h.t.db.fn.sum<number>('points').as('points')]).groupBy('answer_id').execute();
    const byMember = (name: string) => rows.filter((r) => r[2] === name);
    const cyRows = byMember('cy');
    expect(cyRows).toHaveLength(4);
    expect(cyRows.map((r) => Number(r[11])).reduce((a, b) => a + b, 0)).toBe((await pointsOf(cy)).reduce((a, p) => a + p.points, 0));
    expect(rows.map((r) => Number(r[11])).reduce((a, b) => a + b, 0)).toBe(ledger.reduce((a, r) => a + Number(r.points), 0));
    expect(byMember('bob')).toEqual([]);
    expect(cyRows.find((r) => r[9] === 'Add more memory.')?.[10]).toBe('3');

    // A cell that would run as a formula is neutralised; quotes, commas and newlines stay inside one cell.
    const formula = cyRows.find((r) => r[9]!.includes('HYPERLINK'))!;
    expect(formula[9]).toBe(`'=HYPERLINK("http://evil.example","click me")`);
    expect(content).toContain(`"'=HYPERLINK(""http://evil.example"",""click me"")"`);
    expect(byMember('dan').map((r) => r[9])).toEqual(['Two parts, "quoted",\nand a second line']);
    expect(byMember('dan')[0]!.slice(6, 8)).toEqual(['active', 'false']);
  });
});
