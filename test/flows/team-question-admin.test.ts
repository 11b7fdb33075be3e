/** Team questions after the proposal: the author's category, and mentors listing, editing, retiring. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChat } from '../../adapters/memory/index.js';
import type { UserRef } from '../../src/core/ports.js';
import { backend } from '../helpers/db.js';
import { harness, HOUR, type Harness } from '../helpers/dojo.js';

const STORY = {
  prompt: 'Tell us about a time you disagreed with a design review.',
  kind: 'open:behavioral',
  topic: 'team-stories',
  difficulty: 'intermediate',
  details: 'The disagreement and what was at stake\nHow you made your case\nWhat happened and what you learned',
};

describe(`team question category, list, edit and retire on ${backend}`, () => {
  let h: Harness;
  let ada: UserRef;
  let mo: UserRef;
  let bob: UserRef;
  let id: number;
  beforeAll(async () => {
    h = await harness();
    ada = h.user('ada', { isPlatformAdmin: true });
    mo = h.user('mo');
    bob = h.user('bob');
    await h.cmd(ada, 'mentor add <@U_mo>');
    await h.cmd(mo, 'help');
  });
  afterAll(async () => h.close());

  it('files a behavioral proposal as behavioral, so its answers get the STAR rubric', async () => {
    const form = (await h.cmd(bob, 'add-question')).modal!;
    const kind = form.fields.find((f) => f.id === 'kind');
    expect(kind?.type === 'select' && kind.options.map((o) => o.value)).toEqual(['open', 'open:system-design', 'open:behavioral', 'open:situational', 'choice', 'choice:system-design']);
    expect((await h.submit(bob, 'add-question', { ...STORY, kind: 'choice:behavioral', details: 'a\n* b\nc' })).reply?.text).toMatch(/make it an open question/);

    const mark = h.chat.sent.length;
    await h.submit(bob, 'add-question', STORY);
    const card = h.chat.since(mark).find((s) => s.kind === 'dm' && s.to === 'U_mo')!;
    expect(card.text).toMatch(/Category: behavioral/);
    await h.click(mo, MemoryChat.buttons(card.message).get('Approve')!);
    const row = await h.t.db.selectFrom('question').select(['id', 'category', 'status']).where('source', '=', 'team').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ category: 'behavioral', status: 'active' });
    id = row.id;

    await h.cmd(bob, 'question team-stories');
    const posted = h.chat.sent.filter((s) => s.kind === 'post').at(-1)!;
    expect(posted.text).toContain(STORY.prompt);
    await h.reply(h.user('cy'), posted.ref, 'I wrote a short doc with numbers and we ran a spike.');
    await h.advance(1 * HOUR);
    const review = (await h.cmd(mo, 'review')).modal!;
    expect(review.fields.map((f) => f.id)).toEqual(['star', 'ownership', 'outcome', 'feedback', 'best']);
  });

  it('keeps what was typed when a proposal does not validate, with the problem on its field', async () => {
    const out = await h.submit(bob, 'add-question', { ...STORY, details: 'Only one point' });
    expect(out.reply?.text).toBe('Almost there: give 3 to 6 key points, one per line.');
    expect(out.fieldErrors).toEqual({ details: 'Give 3 to 6 key points, one per line.' });
    expect(out.modal?.intro?.[0]).toEqual({ type: 'text', text: 'Almost there: give 3 to 6 key points, one per line.' });
    expect(out.modal?.fields.map((f) => ('initial' in f ? f.initial : undefined))).toEqual([STORY.prompt, 'open:behavioral', 'team-stories', 'intermediate', 'Only one point']);
  });

  it('updates every reviewer’s Approve/Reject card once someone decided', async () => {
    const mark = h.chat.sent.length;
    await h.submit(bob, 'add-question', { ...STORY, prompt: 'Tell us about a release you were proud of.', topic: 'team-pride' });
    const cards = h.chat.since(mark).filter((s) => s.kind === 'dm' && MemoryChat.buttons(s.message).has('Approve'));
    expect(cards.map((c) => c.to).sort()).toEqual(['U_ada', 'U_mo']);
    await h.click(mo, MemoryChat.buttons(cards[0]!.message).get('Reject')!);
    const updates = h.chat.since(mark).filter((s) => s.kind === 'update');
    expect(updates.map((u) => u.to).sort()).toEqual(cards.map((c) => c.ref).sort());
    for (const u of updates) {
      expect(u.text).toBe('Team question rejected by mo\nTell us about a release you were proud of.\nIt will not be asked.');
      expect(MemoryChat.buttons(u.message).size).toBe(0);
    }
  });

  it('lists the team’s questions for mentors only', async () => {
    expect((await h.cmd(bob, 'team-questions')).reply?.text).toBe('Sorry, only mentors can manage team questions. An admin can appoint mentors with /dojo mentor add @someone.');
    const out = await h.cmd(mo, 'team-questions');
    expect(out.reply?.text).toContain(`#${id} · behavioral · team-stories · in use — ${STORY.prompt}`);
  });

  it('edits a team question with the proposal form, filled in', async () => {
    const form = (await h.cmd(mo, `team-questions edit ${id}`)).modal!;
    expect(form.id).toBe(`edit-question:${id}`);
    expect(form.fields.map((f) => ('initial' in f ? f.initial : undefined))).toEqual([STORY.prompt, 'open:behavioral', 'team-stories', 'intermediate', STORY.details]);
    expect((await h.submit(bob, form.id, { ...STORY, prompt: 'Hijacked?' })).reply?.text).toMatch(/^Sorry, only mentors can edit team questions/);
    const saved = await h.submit(mo, form.id, { ...STORY, prompt: 'Tell us about a time you changed a design review’s outcome.' });
    expect(saved.reply?.text).toBe(`Saved #${id}. The next rounds ask it as edited.`);
    const row = await h.t.db.selectFrom('question').select(['prompt', 'category', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ prompt: 'Tell us about a time you changed a design review’s outcome.', category: 'behavioral', status: 'active' });
  });

  it('retires a team question so it is never asked again', async () => {
    expect((await h.cmd(mo, `team-questions retire ${id}`)).reply?.text).toMatch(new RegExp(`^Retired #${id}: "Tell us about a time`));
    expect((await h.cmd(bob, 'question team-stories', 'C9')).reply?.text).toMatch(/^I have no questions on "team-stories"/);
    expect((await h.cmd(mo, `team-questions retire ${id}`)).reply?.text).toBe(`Question #${id} is already retired.`);
    expect((await h.cmd(mo, 'team-questions retire 999999')).reply?.text).toBe('Your team has no question #999999. /dojo team-questions lists them.');
  });
});
