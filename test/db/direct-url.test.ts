/**
 * DATABASE_DIRECT_URL: migrations (which hold a session advisory lock) go to the direct URL, never
 * through DATABASE_URL, which on Fly is a transaction-mode pooler that cannot keep a session.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dojo } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';

describe.runIf(TEST_DATABASE_URL)('dojo migrate with DATABASE_DIRECT_URL', () => {
  it('migrates through the direct URL even when DATABASE_URL cannot serve a session', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`create schema "${schema}"`);
      const direct = new URL(TEST_DATABASE_URL!);
      direct.searchParams.set('options', `-c search_path=${schema}`);
      // Nothing listens on port 1: a migration sent there would fail.
      const run = await dojo(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pooled', DATABASE_DIRECT_URL: direct.toString() });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Applied \d+ migration\(s\)/);
      const { rows } = await admin.query(`select count(*)::int as n from "${schema}".kysely_migration`);
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    } finally {
      await admin.end();
    }
  });
});
