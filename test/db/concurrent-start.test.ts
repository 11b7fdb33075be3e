/**
 * Several instances starting together on an empty database (a fresh deploy, or a release that adds
 * questions while machines restart): each migrates and syncs the bank, and all of them come up.
 * Real Postgres only: PGlite's single connection would make the starts take turns.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load.js';
import { connect } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { TEST_DATABASE_URL } from '../helpers/db.js';

/** What `dojo start` does with the database before serving: migrate, then sync the bank. */
async function startOn(schema: string, bank: Awaited<ReturnType<typeof loadBank>>['questions']) {
  // As the bot migrates at start (setup.ts): the others wait for the first one's run however long it takes on a loaded server.
  const connected = await connect({ url: TEST_DATABASE_URL, schema, maxConnections: 2, lockTimeoutMs: 600_000, statementTimeoutMs: 600_000 });
  try {
    await migrateToLatest(connected.db);
    return await transaction(connected.db, (trx) => syncBuiltinQuestions(trx, bank, new Date('2026-11-30T09:00:00Z')));
  } finally {
    await connected.close();
  }
}

describe.skipIf(!TEST_DATABASE_URL)('instances starting together on postgres', () => {
  it('three instances starting at once on an empty database all come up, with the bank synced once', async () => {
    const { questions } = await loadBank(BUILTIN_QUESTIONS_DIR);
    const rounds = 3;
    let passed = 0;
    for (let round = 0; round < rounds; round++) {
      // Named like every test schema, so the run's teardown drops it.
      const schema = `t_${randomBytes(6).toString('hex')}`;
      // The empty schema stands for the empty database (connect's "create schema" is the tests' own step).
      await (await connect({ url: TEST_DATABASE_URL, schema })).close();
      const starts = await Promise.allSettled([startOn(schema, questions), startOn(schema, questions), startOn(schema, questions)]);
      const failures = starts.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
      expect(failures).toEqual([]);
      const outcomes = starts.map((s) => (s as PromiseFulfilledResult<{ added: number }>).value);
      // One of them added the bank; the others found it there.
      expect(outcomes.map((o) => o.added).sort((a, b) => b - a)).toEqual([questions.length, 0, 0]);
      const check = await connect({ url: TEST_DATABASE_URL, schema });
      const rows = await check.db.selectFrom('question').select('external_id').where('source', '=', 'builtin').execute();
      await check.close();
      expect(new Set(rows.map((r) => r.external_id)).size).toBe(questions.length);
      expect(rows).toHaveLength(questions.length);
      passed++;
    }
    console.log('concurrent starts:', JSON.stringify({ tried: rounds * 3, passed: passed * 3, lost: 0, duplicated: 0 }));
  });
});
