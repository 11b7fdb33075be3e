import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBuiltinQuestions } from '../../src/db/repos/questions.js';
import { transaction } from '../../src/db/tx.js';
import type { BankQuestion } from '../../src/core/question-model.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const q = (id: string, prompt: string): BankQuestion => ({
  id,
  pack: 'databases',
  kind: 'open',
  category: 'technical',
  difficulty: 'beginner',
  topics: ['databases'],
  prompt,
  keyPoints: ['a', 'b', 'c'],
  referenceAnswer: 'Because.',
});

describe(`question import on ${backend}`, () => {
  let t: TestDb;
  const sync = (bank: BankQuestion[], now = new Date('2026-11-24T10:00:00Z')) =>
    transaction(t.db, (trx) => syncBuiltinQuestions(trx, bank, now));
  const rows = () => t.db.selectFrom('question').select(['id', 'external_id', 'prompt', 'status']).orderBy('external_id').execute();

  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(async () => t.close());

  it('adds new questions, and a second import of the same bank changes nothing', async () => {
    expect(await sync([q('db-a', 'What is A?'), q('db-b', 'What is B?')])).toEqual({ added: 2, updated: 0, retired: 0, unchanged: 0 });
    const before = await rows();
    expect(await sync([q('db-a', 'What is A?'), q('db-b', 'What is B?')])).toEqual({ added: 0, updated: 0, retired: 0, unchanged: 2 });
    expect(await rows()).toEqual(before);
  });

  it('updates changed text in place, keeping the row that rounds point at', async () => {
    const [a] = await rows();
    expect(await sync([q('db-a', 'What is A, really?'), q('db-b', 'What is B?')])).toMatchObject({ updated: 1, unchanged: 1 });
    const [after] = await rows();
    expect(after).toEqual({ ...a, prompt: 'What is A, really?' });
  });

  it('retires removed questions without deleting them, and brings them back when they return', async () => {
    expect(await sync([q('db-a', 'What is A, really?')])).toMatchObject({ retired: 1, unchanged: 1 });
    expect((await rows()).map((r) => [r.external_id, r.status])).toEqual([
      ['db-a', 'active'],
      ['db-b', 'retired'],
    ]);
    expect(await sync([q('db-a', 'What is A, really?')])).toMatchObject({ retired: 0, unchanged: 1 });
    expect(await sync([q('db-a', 'What is A, really?'), q('db-b', 'What is B?')])).toMatchObject({ updated: 1, added: 0 });
    expect((await rows()).every((r) => r.status === 'active')).toBe(true);
  });

  it('carries follow-ups, hints, further reading and each option\'s why, and updates a question when only they change', async () => {
    const open = { ...q('db-teach', 'How would you index this?'), followUps: ['And for range queries?'], hint: 'Think of the WHERE clause.', furtherReading: ['PostgreSQL manual: CREATE INDEX'] };
    const choice: BankQuestion = {
      ...q('db-teach-choice', 'Which is durable?'),
      kind: 'choice',
      keyPoints: [],
      options: [{ text: 'WAL', correct: true, why: 'It is fsynced.' }, { text: 'RAM', correct: false, why: 'Lost on crash.' }, { text: 'Cache', correct: false, why: 'Volatile.' }],
      explanation: 'The log survives.',
    };
    const keep = [q('db-a', 'What is A, really?'), q('db-b', 'What is B?')];
    await sync([...keep, open, choice]);
    const read = () => t.db.selectFrom('question').select(['external_id', 'follow_ups', 'hint', 'further_reading', 'options']).where('external_id', 'in', ['db-teach', 'db-teach-choice']).orderBy('external_id').execute();
    expect(await read()).toEqual([
      { external_id: 'db-teach', follow_ups: ['And for range queries?'], hint: 'Think of the WHERE clause.', further_reading: ['PostgreSQL manual: CREATE INDEX'], options: null },
      { external_id: 'db-teach-choice', follow_ups: null, hint: null, further_reading: null, options: choice.options },
    ]);
    expect(await sync([...keep, { ...open, hint: 'Think of the ORDER BY.' }, choice])).toMatchObject({ updated: 1, unchanged: 3 });
    expect((await read())[0]!.hint).toBe('Think of the ORDER BY.');
  });

  it('leaves nothing half-imported when the import fails', async () => {
    const before = await rows();
    const bad = { ...q('db-c', 'What is C?'), difficulty: 'expert' } as unknown as BankQuestion;
    await expect(sync([q('db-d', 'What is D?'), bad])).rejects.toThrow();
    expect(await rows()).toEqual(before);
  });
});
