/**
 * Practice self-checks name a question by id in their button. Only a question the member's team may
 * see can be scheduled and shown: a built-in one or the team's approved one, never a pending or
 * rejected team question (those stay with the team's mentors), never another team's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../helpers/db.js';
import { DAY, harness, type Harness } from '../helpers/dojo.js';

const PROPOSAL = { prompt: 'PENDING: how do we rotate the signing keys?', kind: 'open', topic: 'security', difficulty: 'advanced', details: 'PENDING one\nPENDING two\nPENDING three' };

describe(`practice self-checks stay within what a team may see, ${backend}`, () => {
  let one: Harness;
  let two: Harness;
  beforeAll(async () => {
    one = await harness();
    two = await harness({ db: one.t, team: { platform: 'memory', id: 'T2', name: 'Two' } });
  });
  afterAll(async () => one.close());

  const pendingId = async () => (await one.t.db.selectFrom('question').select('id').where('status', '=', 'pending').executeTakeFirstOrThrow()).id;
  const practised = (questionId: number) => one.t.db.selectFrom('practice_card').select(['member_id', 'team_id']).where('question_id', '=', questionId).execute();

  it("refuses a self-check on the team's own pending question, and practice never shows it", async () => {
    const bob = one.user('bob');
    await one.submit(bob, 'add-question', PROPOSAL);
    const id = await pendingId();
    const out = await one.click(bob, `pself:${id}:didnt`);
    expect(out.reply?.text).toBe('That question is no longer here.');
    expect(await practised(id)).toEqual([]);
    await one.advance(2 * DAY);
    expect(JSON.stringify(await one.cmd(bob, 'practice'))).not.toMatch(/PENDING/);
  });

  it("refuses another team's question, approved or not", async () => {
    const ada = one.user('ada', { isPlatformAdmin: true });
    const id = await pendingId();
    expect((await one.click(ada, `approve:${id}`)).reply?.text).toMatch(/^Approved/);
    const eve = two.user('eve');
    expect((await two.click(eve, `pself:${id}:didnt`)).reply?.text).toBe('That question is no longer here.');
    expect((await practised(id)).filter((r) => r.team_id !== 'memory:T1')).toEqual([]);
    // Its own team may practise it now that it is approved.
    expect((await one.click(one.user('bob'), `pself:${id}:unsure`)).reply?.text).toMatch(/^Noted: you were unsure/);
  });
});
