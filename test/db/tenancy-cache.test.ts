/**
 * The hot path's cache of team, member and channel (issue 13): one statement on a miss, a version
 * check on a hit, and any change made behind its back (by hand, or by another instance) seen at the very
 * next event; rows of a transaction that rolled back are never cached.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '../../src/db/tx.js';
import { transaction } from '../../src/db/tx.js';
import { peekTenancy, resolveTenancy, type TenancyInput } from '../../src/db/repos/tenancy-cache.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`tenancy cache on ${backend}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(async () => t.close());

  let n = 0;
  const input = (over: Partial<TenancyInput> = {}): TenancyInput => ({
    platform: 'slack', teamExternalId: 'T1', teamName: 'Acme', timezone: 'UTC', userId: 'U1', userName: 'alice',
    platformAdmin: false, channelId: 'C1', channelName: 'dojo', deliveryId: `d${++n}`, now: new Date(), ...over,
  });
  /** Runs resolveTenancy in its own transaction, counting its statements. */
  async function resolve(i: TenancyInput) {
    let statements = 0;
    const counting = t.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result });
    const result = await transaction(counting, (trx, tx) => resolveTenancy(t.db, trx, i, (fn: Effect) => tx.afterCommit(fn)));
    return { ...result, statements };
  }

  it('creates on first sight in one statement, then answers from the cache with one check', async () => {
    const first = await resolve(input());
    expect(first.fresh).toBe(true);
    expect(first.statements).toBe(1);
    expect(first.member.display_name).toBe('alice');
    const again = await resolve(input());
    expect(again.statements).toBe(1);
    expect(again.member.id).toBe(first.member.id);
    expect(again.channel.id).toBe(first.channel.id);
  });

  it('a replayed delivery id is not fresh, from the cache or not', async () => {
    const i = input();
    expect((await resolve(i)).fresh).toBe(true);
    expect((await resolve(i)).fresh).toBe(false);
    expect((await resolve({ ...i, userId: 'U-new' })).fresh).toBe(false);
  });

  it('sees a role, a group mapping and a forget-me written behind its back at the next event', async () => {
    await resolve(input());
    await sql`update member set role = 'mentor' where platform_user_id = 'U1'`.execute(t.db);
    expect((await resolve(input())).member.role).toBe('mentor');
    await sql`update team set mentor_role_ids = array['S1'] where id = 'slack:T1'`.execute(t.db);
    expect((await resolve(input())).team.mentor_role_ids).toEqual(['S1']);
    await sql`update member set forgotten_at = now(), display_name = '' where platform_user_id = 'U1'`.execute(t.db);
    const back = await resolve(input());
    expect(back.member.forgotten_at).toBeNull();
    expect(back.member.display_name).toBe('alice');
    await sql`update member set role = 'member' where platform_user_id = 'U1'`.execute(t.db);
    expect((await resolve(input())).member.role).toBe('member');
  });

  it('writes a changed name or admin flag, and keeps the stored flag when the platform could not tell', async () => {
    expect((await resolve(input({ userName: 'Alice A.' }))).member.display_name).toBe('Alice A.');
    expect((await resolve(input({ userName: 'Alice A.', platformAdmin: true }))).member.platform_admin).toBe(true);
    expect((await resolve(input({ userName: 'Alice A.', platformAdmin: undefined }))).member.platform_admin).toBe(true);
    expect((await resolve(input({ userName: '', platformAdmin: false }))).member.display_name).toBe('Alice A.');
    expect((await resolve(input({ channelName: 'dojo-2' }))).channel.name).toBe('dojo-2');
  });

  it.skipIf(backend !== 'postgres')('two first events of a new team at once: both resolve, neither is taken for a replay', async () => {
    const other = await t.another();
    try {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstDone: () => void = () => {};
      const firstIn = new Promise<void>((resolve) => (firstDone = resolve));
      // The first holds its transaction open after inserting the team; the second then waits on it.
      const first = transaction(other.db, async (trx, tx) => {
        const r = await resolveTenancy(other.db, trx, input({ teamExternalId: 'T-race', userId: 'U-a', deliveryId: 'race-1' }), (fn: Effect) => tx.afterCommit(fn));
        firstDone();
        await held;
        return r;
      });
      await firstIn;
      const second = resolve(input({ teamExternalId: 'T-race', userId: 'U-b', deliveryId: 'race-2' }));
      await new Promise((r) => setImmediate(r));
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(a.fresh).toBe(true);
      expect(b.fresh).toBe(true);
      expect(b.team.id).toBe('slack:T-race');
      expect(b.member.platform_user_id).toBe('U-b');
    } finally {
      await other.close();
    }
  });

  it('stores the platform roles a member is seen with, only when they change, without emptying the team\'s cache', async () => {
    const version = async () => Number((await t.db.selectFrom('team').select('tenancy_version').where('id', '=', 'slack:T1').executeTakeFirstOrThrow()).tenancy_version);
    const roles = async () => (await t.db.selectFrom('member').select('platform_role_ids').where('team_id', '=', 'slack:T1').where('platform_user_id', '=', 'U-roles').executeTakeFirstOrThrow()).platform_role_ids;
    await resolve(input({ userId: 'U-roles', userName: 'rho', platformRoleIds: ['R2', 'R1', 'R2'] }));
    expect(await roles()).toEqual(['R1', 'R2']);
    const before = await version();
    await resolve(input({ userId: 'U-roles', userName: 'rho', platformRoleIds: ['R1', 'R2'] })); // the cache catches up with the team's version
    // The same roles in another order: a cache hit, nothing written.
    expect((await resolve(input({ userId: 'U-roles', userName: 'rho', platformRoleIds: ['R1', 'R2'] }))).statements).toBe(1);
    await resolve(input({ userId: 'U-roles', userName: 'rho', platformRoleIds: ['R3'] }));
    expect(await roles()).toEqual(['R3']);
    // Unknown this time (no member in the event): the stored roles stay.
    await resolve(input({ userId: 'U-roles', userName: 'rho', platformRoleIds: undefined }));
    expect(await roles()).toEqual(['R3']);
    expect(await version()).toBe(before);
    await resolve(input({ userId: 'U-roles', userName: 'rhoda' }));
    expect(await version()).toBe(before + 1);
  });

  it('never caches rows of a transaction that rolled back', async () => {
    await expect(
      transaction(t.db, async (trx, tx) => {
        await resolveTenancy(t.db, trx, input({ userId: 'U-ghost' }), (fn: Effect) => tx.afterCommit(fn));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(peekTenancy(t.db, 'slack', 'T1', 'U-ghost')).toBeUndefined();
    const real = await resolve(input({ userId: 'U-ghost' }));
    const row = await t.db.selectFrom('member').select('id').where('platform_user_id', '=', 'U-ghost').executeTakeFirstOrThrow();
    expect(real.member.id).toBe(row.id);
    expect(peekTenancy(t.db, 'slack', 'T1', 'U-ghost')?.member.id).toBe(row.id);
  });
});
