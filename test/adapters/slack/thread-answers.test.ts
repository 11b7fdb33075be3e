/**
 * Thread answers over signed HTTP (issue 13): Slack's request is answered as soon as the answer is
 * stored, never after a users.info call; a first-time answerer's name follows once that call returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import type { Posted } from '../../fakes/slack/server.js';
import { world, type World } from './world.js';

const HOUR = 3_600_000;
const ADA = { user: 'UADA', userName: 'ada' };

describe(`thread answers on Slack, ${backend}`, () => {
  let w: World;
  let card: Posted;
  beforeAll(async () => {
    w = await world({ start: new Date('2026-11-23T07:00:00Z') });
    await w.driver.command('schedule set days:mon-fri time:08:00 tz:UTC window:2h kind:open', ADA);
    await w.advance(1 * HOUR);
    card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'))!;
  });
  afterAll(async () => w.close());

  const members = () => w.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.platform_user_id as user', 'member.display_name as name']).orderBy('answer.id').execute();

  it('answers Slack once the answer is stored, while users.info is slow; the name follows', async () => {
    w.fake.addUser('UDAVE', { name: 'dave' });
    w.fake.addUser('UERIN', { name: 'erin' });
    // The first answer of the thread, then one that takes the batched path.
    expect((await w.driver.threadReply({ threadTs: card.ts, user: 'UDAVE', text: 'Indexes cost writes.' })).status).toBe(200);
    await w.settle();
    w.fake.delays.set('users.info', 2_000);
    const sent = await w.driver.threadReply({ threadTs: card.ts, user: 'UERIN', text: 'And disk.' });
    expect(sent.status).toBe(200);
    // Stored before Slack got its answer, without waiting for the lookup: no name yet.
    expect(await members()).toEqual([
      { user: 'UDAVE', name: 'dave' },
      { user: 'UERIN', name: '' },
    ]);
    await w.settle();
    expect(await members()).toEqual([
      { user: 'UDAVE', name: 'dave' },
      { user: 'UERIN', name: 'erin' },
    ]);
    expect(w.fake.callsOf('reactions.add').map((c) => c.args.timestamp)).toContain(sent.ts);
    w.fake.delays.delete('users.info');
  });
});
