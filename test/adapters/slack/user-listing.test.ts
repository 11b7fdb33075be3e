/**
 * A workspace's members are learned in bulk (issue 13): the first newcomers cost a users.list page per
 * 1,000 members, not a users.info call each; a member who joined since, and a listing Slack refuses, are
 * looked up one by one as before, and every answer is stored under its author's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { FakeSlack, type FakeReply } from '../../fakes/slack/server.js';
import type { InboundEvent } from '../../../src/core/ports.js';
import { UserDirectory } from '../../../adapters/slack/users.js';
import { Workspaces } from '../../../adapters/slack/workspaces.js';
import { FAST_CLIENT, testLog, world, type World } from './world.js';

const HOUR = 3_600_000;
const ADA = { user: 'UADA', userName: 'ada' };

describe(`the Slack user directory, ${backend}`, () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  /** A world with `members` more people in the workspace and an open question; its thread ts. */
  async function workspace(members: number, fake?: FakeSlack): Promise<{ w: World; thread: string }> {
    const made = await world({ start: new Date('2026-11-23T07:00:00Z'), fake });
    for (let i = 0; i < members; i++) made.fake.addUser(`UM${i}`, { name: `member${i}` });
    await made.driver.command('schedule set days:mon-fri time:08:00 tz:UTC window:2h kind:open', ADA);
    await made.advance(1 * HOUR);
    const card = made.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'));
    if (!card) throw new Error('no question was posted');
    return { w: made, thread: card.ts };
  }

  async function answer(world: World, thread: string, users: string[]): Promise<void> {
    for (const user of users) expect((await world.driver.threadReply({ threadTs: thread, user, text: `An answer from ${user}.` })).status).toBe(200);
    await world.settle();
  }

  const names = (world: World) =>
    world.t.db.selectFrom('answer').innerJoin('member', 'member.id', 'answer.member_id').select(['member.platform_user_id as user', 'member.display_name as name']).orderBy('answer.id').execute();

  it('learns a workspace of 2,500 in 3 users.list calls and no users.info, answers stored with their names', async () => {
    let thread: string;
    ({ w, thread } = await workspace(2_500));
    const newcomers = Array.from({ length: 30 }, (_, i) => `UM${i * 80}`);
    await answer(w, thread, newcomers);
    // The world's 4 people and the 2,500: ceil(2,504 / 1,000) pages, each asked for the largest page.
    expect(w.fake.callsOf('users.list').map((c) => Number(c.args.limit))).toEqual([1000, 1000, 1000]);
    expect(w.fake.callsOf('users.info')).toEqual([]);
    expect(await names(w)).toEqual(newcomers.map((user) => ({ user, name: `member${user.slice(2)}` })));
  });

  it('finds a member who joined after the listing with users.info, without listing again', async () => {
    let thread: string;
    ({ w, thread } = await workspace(10));
    w.fake.addUser('UNEWBIE', { name: 'newbie' });
    await answer(w, thread, ['UM3', 'UNEWBIE']);
    expect(w.fake.callsOf('users.list')).toHaveLength(1);
    expect(w.fake.callsOf('users.info').map((c) => c.args.user)).toEqual(['UNEWBIE']);
    expect(await names(w)).toEqual([
      { user: 'UM3', name: 'member3' },
      { user: 'UNEWBIE', name: 'newbie' },
    ]);
  });

  const refusals: [string, FakeReply | Record<string, unknown>][] = [
    ['rate limited (429, Retry-After 30 s)', { status: 429, headers: { 'Retry-After': '30' }, body: { ok: false, error: 'ratelimited' } }],
    ['missing the users:read scope', { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'commands,chat:write' }],
  ];
  for (const [why, reply] of refusals) {
    it(`falls back to users.info when users.list is ${why}, and tries the listing once`, async () => {
      const fake = await FakeSlack.start();
      fake.on('users.list', () => reply);
      let thread: string;
      ({ w, thread } = await workspace(10, fake));
      await answer(w, thread, ['UM1', 'UM2']);
      expect(w.fake.callsOf('users.list')).toHaveLength(1);
      expect(w.fake.callsOf('users.info').map((c) => c.args.user)).toEqual(['UADA', 'UM1', 'UM2']);
      expect(await names(w)).toEqual([
        { user: 'UM1', name: 'member1' },
        { user: 'UM2', name: 'member2' },
      ]);
    });
  }

  it('keeps at most its bound of users, the latest listed', async () => {
    const fake = await FakeSlack.start();
    try {
      for (let i = 0; i < 10; i++) fake.addUser(`UM${i}`, { name: `member${i}` });
      const workspaces = new Workspaces({ botToken: 'xoxb-acme', clientOptions: { slackApiUrl: fake.apiUrl, ...FAST_CLIENT } });
      await workspaces.init();
      const users = new UserDirectory(workspaces, testLog(), { maxCached: 3 });
      expect((await users.lookup('T0001', 'UM9'))?.name).toBe('member9');
      const command = (id: string): InboundEvent => ({ type: 'command', text: 'help', team: { platform: 'slack', id: 'T0001' }, channel: { id: 'C0001' }, user: { id, name: '' } });
      const known = [...fake.users.keys()].filter((id) => users.cached(command(id)) !== undefined);
      expect(known).toEqual(['UM7', 'UM8', 'UM9']);
    } finally {
      await fake.stop();
    }
  });
});
