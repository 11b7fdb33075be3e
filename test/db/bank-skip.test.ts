/**
 * A start with an unchanged bank skips reading it (importBank with skipUnchanged, as `dojo start` calls
 * it): the fingerprint of the files synced last is kept in bank_sync; any edit to a pack syncs again,
 * and an explicit import always syncs.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { importBank } from '../../src/setup.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`skipping an unchanged bank at start on ${backend}`, () => {
  let t: TestDb;
  let dir: string;
  const now = new Date('2026-11-30T12:00:00Z');
  beforeAll(async () => {
    t = await testDb();
    dir = await mkdtemp(join(tmpdir(), 'dojo-bank-'));
    await cp(BUILTIN_QUESTIONS_DIR, dir, { recursive: true });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('syncs the first time, then skips while the files stay the same, and syncs again after an edit', async () => {
    const first = await importBank(t, dir, now, { skipUnchanged: true });
    expect(first.unchanged).toBe(false);
    expect(first.outcome.added).toBe(first.questions);
    expect(first.questions).toBeGreaterThan(100);

    const second = await importBank(t, dir, now, { skipUnchanged: true });
    expect(second).toEqual({ questions: first.questions, outcome: { added: 0, updated: 0, retired: 0, unchanged: first.questions }, unchanged: true });

    // An explicit import (`dojo questions import`) reads the files anyway.
    expect((await importBank(t, dir, now)).unchanged).toBe(false);

    // Editing one question's prompt: the next start sees it and updates that one question.
    const file = join(dir, 'databases.yaml');
    const text = await readFile(file, 'utf8');
    const edited = text.replace(/(\n {4}prompt: >-\n {6})/, '$1Edited: ');
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    const third = await importBank(t, dir, now, { skipUnchanged: true });
    expect(third.unchanged).toBe(false);
    expect(third.outcome).toMatchObject({ added: 0, updated: 1, retired: 0 });
    expect((await importBank(t, dir, now, { skipUnchanged: true })).unchanged).toBe(true);
  });
});
