/**
 * Team questions: proposed with a modal, pending until a mentor approves, then drawn like any other;
 * rejected ones never are; members and other teams cannot decide them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, type Harness } from '../helpers/dojo.js';

const OPEN = {
  prompt: 'How do we roll back a bad deploy of the billing service?',
  kind: 'open',
  topic: 'Team Runbooks',
  difficulty: 'intermediate',
  details: 'Find the last good release in the deploy log\nRun the rollback job, not a manual revert\n\nTell #billing-oncall before and after\n',
};
const CHOICE = {
  prompt: 'Which queue do our nightly exports run on?',
  kind: 'choice',
  topic: 'team-infra',
  difficulty: 'beginner',
  details: 'default\n* batch-low\nurgent\nexports-fast',
};

describe(`team questions on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  let mo: UserRef;
  let bob: UserRef;
  beforeAll(async () => {
    h = await harness();
    ada = h.user('ada', { isPlatformAdmin: true });
    mo = h.user('mo');
    bob = h.user('bob');
    await h.cmd(ada, 'mentor add <@U_mo>');
    await h.cmd(mo, 'help');
  });
  afterAll(async () => h.close());

  const teamQuestions = () => h.t.db.selectFrom('question').selectAll().where('source', '=', 'team').orderBy('id').execute();
  const dms = (mark: number) => h.chat.since(mark).filter((s) => s.kind === 'dm');

  /** Proposes a question as `who`; the new row, the reply, and the DMs it caused. */
  async function propose(who: UserRef, values: Record<string, string>) {
    const before = (await teamQuestions()).length;
    const mark = h.chat.sent.length;
    const out = await h.submit(who, 'add-question', values);
    const rows = await teamQuestions();
    return { out, row: rows.length > before ? rows.at(-1) : undefined, dms: dms(mark) };
  }

  it('opens a form for a team question', async () => {
    const out = await h.cmd(bob, 'add-question');
    expect(out.reply).toBeUndefined();
    expect(out.modal?.id).toBe('add-question');
    expect(out.modal?.fields.map((f) => f.id)).toEqual(['prompt', 'kind', 'topic', 'difficulty', 'details']);
  });

  it('keeps a proposed question pending and sends the mentors an Approve/Reject card', async () => {
    const { out, row, dms } = await propose(bob, OPEN);
    expect(out.reply).toEqual({ text: 'Thanks! Your question is waiting for a mentor’s approval.', visibility: 'ephemeral' });
    expect(row).toMatchObject({ status: 'pending', team_id: 'memory:T1', kind: 'open', difficulty: 'intermediate', topics: ['team-runbooks'], prompt: OPEN.prompt });
    expect(row?.key_points).toEqual(['Find the last good release in the deploy log', 'Run the rollback job, not a manual revert', 'Tell #billing-oncall before and after']);
    // Mentors and admins get the card; the author does not.
    expect(dms.map((d) => d.to).sort()).toEqual(['U_ada', 'U_mo']);
    for (const dm of dms) {
      expect(dm.text).toContain(`New team question from bob\n${OPEN.prompt}`);
      expect(MemoryChat.buttons(dm.message)).toEqual(new Map([['Approve', `approve:${row!.id}`], ['Reject', `reject:${row!.id}`]]));
    }
    // Pending questions are not drawn.
    expect((await h.cmd(bob, 'quiz topic:team-runbooks count:1')).reply?.text).toMatch(/^I have no questions on "team-runbooks"/);
  });

  it('answers bad input with a friendly message and creates nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...OPEN, details: 'Only one point\nAnd another' }, 'Almost there: give 3 to 6 key points, one per line.'],
      [{ ...CHOICE, details: 'default\nbatch-low\nurgent' }, 'Almost there: mark exactly one option as correct with *.'],
      [{ ...CHOICE, details: '* default\n* batch-low\nurgent' }, 'Almost there: mark exactly one option as correct with *.'],
      [{ ...CHOICE, details: '* default\nurgent' }, 'Almost there: give 3 to 5 options, one per line.'],
      [{ ...OPEN, prompt: '   ' }, 'Almost there: the question is empty.'],
      [{ ...OPEN, difficulty: 'expert' }, 'Almost there: pick a difficulty.'],
      [{ ...OPEN, details: `${'x'.repeat(201)}\nTwo\nThree` }, 'Almost there: keep each key point to 200 characters or fewer.'],
      [{ ...CHOICE, details: `* ${'y'.repeat(81)}\nTwo\nThree` }, 'Almost there: keep each option to 80 characters or fewer.'],
      [{ ...CHOICE, details: 'default\n*\nurgent' }, 'Almost there: an option is empty.'],
    ];
    for (const [values, message] of cases) {
      const { out, row, dms } = await propose(bob, values);
      expect(out.reply, JSON.stringify(values)).toEqual({ text: message, visibility: 'ephemeral' });
      expect(row).toBeUndefined();
      expect(dms).toEqual([]);
    }
  });

  it('lets a mentor approve it: the author hears, and a quiz on its topic draws it', async () => {
    const { row } = await propose(bob, CHOICE);
    expect(row?.options).toEqual([
      { text: 'default', correct: false },
      { text: 'batch-low', correct: true },
      { text: 'urgent', correct: false },
      { text: 'exports-fast', correct: false },
    ]);
    const mark = h.chat.sent.length;
    const out = await h.click(mo, `approve:${row!.id}`);
    expect(out.reply).toEqual({ text: 'Approved: it joins the team’s questions.', visibility: 'ephemeral' });
    expect((await teamQuestions()).find((q) => q.id === row!.id)).toMatchObject({ status: 'active' });
    expect(dms(mark)).toEqual([expect.objectContaining({ to: 'U_bob', text: `Your question "${CHOICE.prompt}" was approved and joins the team’s questions.` })]);
    // Deciding twice changes nothing.
    expect((await h.click(ada, `reject:${row!.id}`)).reply?.text).toBe('That question was already approved.');

    const quiz = await h.cmd(ada, 'quiz topic:team-infra count:1 seconds:20');
    expect(quiz.reply?.text).toBe('Your quiz is starting: 1 question.');
    const card = h.chat.sent.filter((s) => [...MemoryChat.buttons(s.message).values()].some((id) => id.startsWith('choice:'))).at(-1)!;
    expect(card.text).toContain(CHOICE.prompt);
    expect(card.text).toContain('B. batch-low');
    // The starred option is the one that scores.
    const choice = [...MemoryChat.buttons(card.message).values()][1]!;
    await h.click(bob, choice);
    await h.advance(20_000);
    const closing = h.chat.sent.filter((s) => s.kind === 'reply' && s.text.startsWith("Time's up")).at(-1)!;
    expect(closing.text).toContain('Answer: B. batch-low');
    expect(closing.text).toContain('Correct: bob.');
  });

  it('lets a mentor reject it: it is never drawn and the author hears', async () => {
    const { row } = await propose(bob, { ...OPEN, prompt: 'What is our on-call handover ritual?', topic: 'team-oncall' });
    const mark = h.chat.sent.length;
    expect((await h.click(mo, `reject:${row!.id}`)).reply?.text).toBe('Rejected.');
    expect((await teamQuestions()).find((q) => q.id === row!.id)).toMatchObject({ status: 'rejected' });
    expect(dms(mark)).toEqual([expect.objectContaining({ to: 'U_bob', text: 'Your question "What is our on-call handover ritual?" was not approved this time.' })]);
    expect((await h.click(ada, `approve:${row!.id}`)).reply?.text).toBe('That question was already rejected.');
    expect((await h.cmd(bob, 'quiz topic:team-oncall count:1')).reply?.text).toMatch(/^I have no questions on "team-oncall"/);
  });

  it('does not let a member approve, nor a mentor approve their own question', async () => {
    const { row } = await propose(bob, { ...OPEN, prompt: 'Who owns the flaky test list?', topic: 'team-testing' });
    const cy = h.user('cy');
    for (const action of [`approve:${row!.id}`, `reject:${row!.id}`]) {
      expect((await h.click(cy, action)).reply?.text).toMatch(/^Sorry, only mentors can/);
      expect((await h.click(bob, action)).reply?.text).toMatch(/^Sorry, only mentors can/);
    }
    const own = await propose(mo, { ...OPEN, prompt: 'What does a good PR description hold?', topic: 'team-reviews' });
    expect(own.dms.map((d) => d.to)).toEqual(['U_ada']);
    expect((await h.click(mo, `approve:${own.row!.id}`)).reply?.text).toBe('Another mentor should approve your own question.');
    const statuses = (await teamQuestions()).filter((q) => [row!.id, own.row!.id].includes(q.id)).map((q) => q.status);
    expect(statuses).toEqual(['pending', 'pending']);
  });

  it('does not let another team approve, reject or draw it', async () => {
    const { row } = await propose(bob, { ...OPEN, prompt: 'Where do we keep feature flag docs?', topic: 'team-flags' });
    const other = await harness({ db: h.t, team: { platform: 'memory', id: 'T2', name: 'Two' } });
    const boss = other.user('ada', { isPlatformAdmin: true }); // the same user id, another team
    expect((await other.click(boss, `approve:${row!.id}`)).reply?.text).toBe('That question is not your team’s.');
    expect((await other.click(boss, `reject:${row!.id}`)).reply?.text).toBe('That question is not your team’s.');
    expect((await teamQuestions()).find((q) => q.id === row!.id)).toMatchObject({ status: 'pending', decided_by: null });
    // Team One's approved question is not Team Two's either.
    expect((await other.cmd(boss, 'quiz topic:team-infra count:1')).reply?.text).toMatch(/^I have no questions on "team-infra"/);
    expect(other.chat.sent).toEqual([]);
  });

  it('tells the author when nobody can approve it yet', async () => {
    const lone = await harness({ db: h.t, team: { platform: 'memory', id: 'T3', name: 'Three' } });
    const out = await lone.submit(lone.user('sam'), 'add-question', OPEN);
    expect(out.reply?.text).toBe('Thanks! Your question is saved, but there is no mentor to approve it yet: ask an admin to appoint one with /dojo mentor add @someone.');
    expect(await h.t.db.selectFrom('question').select('status').where('team_id', '=', 'memory:T3').execute()).toEqual([{ status: 'pending' }]);
  });
});
