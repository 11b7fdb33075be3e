/**
 * A closing unit whose last read closes it (tx.ts, `closing.read`; /dojo stats): the read, the receipt and
 * the version check are one statement. A read that fails records no receipt (the delivery can be tried
 * again); a replay is told apart; a stale version writes nothing; a unit that queued an outbox row reads
 * plainly and closes as usual; and the whole unit costs one round trip.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingUnit } from '../../src/db/tx.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`a closing unit closed by its last read on ${backend}`, () => {
  let t: TestDb;
  let teamId: string;
  beforeAll(async () => {
    t = await testDb();
    await sql`insert into team (id, platform, external_id, name, timezone) values ('slack:TCR', 'slack', 'TCR', 'Acme', 'UTC')`.execute(t.db);
    teamId = 'slack:TCR';
  });
  afterAll(async () => t.close());

  const receipt = (deliveryId: string) => ({ platform: 'slack', deliveryId, now: new Date() });
  const receipts = async (deliveryId: string) => (await sql<{ n: number }>`select count(*)::int as n from processed_delivery where delivery_id = ${deliveryId}`.execute(t.db)).rows[0]!.n;
  const version = async () => Number((await sql<{ v: string }>`select tenancy_version as v from team where id = ${teamId}`.execute(t.db)).rows[0]!.v);

  it('reads and records the receipt in one statement, and tells a replay apart', async () => {
    let statements = 0;
    const counting = t.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result });
    const run = () => closingUnit(counting, { receipt: receipt('cr-1') }, (_h, tx) => tx.closing!.read(sql<{ answer: number }>`select 41 + 1 as answer`));
    const first = await run();
    expect(first).toEqual({ current: true, fresh: true, result: { answer: 42 } });
    expect(statements).toBe(1);
    expect(await receipts('cr-1')).toBe(1);
    const again = await run();
    expect(again.fresh).toBe(false);
    expect(await receipts('cr-1')).toBe(1);
  });

  it('records nothing when the read fails, so the delivery can be handled again', async () => {
    const failing = closingUnit(t.db, { receipt: receipt('cr-2') }, (_h, tx) => tx.closing!.read(sql`select 1 / (select count(*) from team where id = 'none') as broken`));
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(await receipts('cr-2')).toBe(0);
    const ok = await closingUnit(t.db, { receipt: receipt('cr-2') }, (_h, tx) => tx.closing!.read(sql<{ n: number }>`select 1 as n`));
    expect(ok.fresh).toBe(true);
    expect(await receipts('cr-2')).toBe(1);
  });

  it('writes no receipt when the version it expected moved (another instance changed the team meanwhile)', async () => {
    const at = await version();
    await sql`update team set name = 'Acme renamed' where id = ${teamId}`.execute(t.db);
    const stale = await closingUnit(t.db, { receipt: receipt('cr-3'), expect: { teamId, version: at } }, (_h, tx) => tx.closing!.read(sql<{ n: number }>`select 1 as n`));
    expect(stale.current).toBe(false);
    expect(await receipts('cr-3')).toBe(0);
    const current = await closingUnit(t.db, { receipt: receipt('cr-3'), expect: { teamId, version: await version() } }, (_h, tx) => tx.closing!.read(sql<{ n: number }>`select 1 as n`));
    expect(current).toMatchObject({ current: true, fresh: true });
    expect(await receipts('cr-3')).toBe(1);
  });

  it('gives null when the read finds no row, and still records the receipt', async () => {
    const none = await closingUnit(t.db, { receipt: receipt('cr-4') }, (_h, tx) => tx.closing!.read(sql`select 1 as n where false`));
    expect(none).toEqual({ current: true, fresh: true, result: null });
    expect(await receipts('cr-4')).toBe(1);
  });

  it('reads plainly after an outbox row was queued, and closes with the row as before', async () => {
    const out = await closingUnit(t.db, { receipt: receipt('cr-5') }, async (_h, tx) => {
      const row = tx.closing!.outbox({ team_id: teamId, channel_id: null, schedule_id: null, round_id: null, payload: { kind: 'test' }, now: new Date(), correlation_id: null, owner: 'me', leaseMs: 60_000 });
      const read = await tx.closing!.read(sql<{ n: number }>`select 7 as n`);
      return { read, row };
    });
    expect(out.fresh).toBe(true);
    expect(out.result.read).toEqual({ n: 7 });
    expect((await out.result.row).team_id).toBe(teamId);
    expect(await receipts('cr-5')).toBe(1);
  });

  it('refuses an outbox row after the closing read (it could not be written any more)', async () => {
    const late = closingUnit(t.db, { receipt: receipt('cr-6') }, async (_h, tx) => {
      await tx.closing!.read(sql`select 1 as n`);
      return tx.closing!.outbox({ team_id: teamId, channel_id: null, schedule_id: null, round_id: null, payload: {}, now: new Date(), correlation_id: null, owner: 'me', leaseMs: 1 });
    });
    await expect(late).rejects.toThrow(/after the closing read/);
  });
});
