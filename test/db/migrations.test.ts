import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDownAll, migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../migrations/index.js';
import { backend, testDb, TEST_DATABASE_URL, type TestDb } from '../helpers/db.js';

async function tables(t: TestDb): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${t.schema} order by table_name`.execute(t.db);
  return rows.rows.map((r) => r.table_name).filter((n) => !n.startsWith('kysely_'));
}

describe(`migrations on ${backend}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb({ migrate: false });
  });
  afterAll(async () => t.close());

  it('goes up, down and up again to the same schema', async () => {
    const first = await migrateToLatest(t.db);
    expect(first.applied).toContain('20261124T100000Z-init');
    const created = await tables(t);
    expect(created).toEqual(
      expect.arrayContaining(['team', 'member', 'channel', 'schedule', 'question', 'round', 'quiz', 'answer', 'review', 'point_event', 'season', 'processed_delivery', 'practice_card', 'practice_reminder']),
    );
    expect((await migrateToLatest(t.db)).applied).toEqual([]);
    const down = await migrateDownAll(t.db);
    expect(down.applied).toContain('20261124T100000Z-init');
    expect(await tables(t)).toEqual([]);
    await migrateToLatest(t.db);
    expect(await tables(t)).toEqual(created);
  });

  it('lets two migrators start at once and applies each migration exactly once', async () => {
    await migrateDownAll(t.db);
    const other = TEST_DATABASE_URL ? await t.another() : undefined;
    try {
      const results = await Promise.all([migrateToLatest(t.db), migrateToLatest(other?.db ?? t.db)]);
      const applied = results.flatMap((r) => r.applied);
      expect(applied).toEqual(Object.keys(migrations));
      const count = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(t.db);
      expect(Number(count.rows[0]?.n)).toBe(Object.keys(migrations).length);
    } finally {
      await other?.close();
    }
  });
});
