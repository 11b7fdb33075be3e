import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossChecks, formatBankError, loadBank, parsePack } from '../../src/bank/load.js';

const GOOD = join(import.meta.dirname, '../fixtures/packs/good.yaml');

function messages(source: string): string[] {
  const { questions, errors } = parsePack(source, 'packs/x.yaml');
  return [...errors, ...crossChecks(questions)].map(formatBankError);
}

const header = 'pack: databases\ntitle: Databases\nquestions:\n';
const openQuestion = (extra = '', overrides: Record<string, string> = {}) => {
  const fields: Record<string, string> = {
    id: 'db-one',
    kind: 'open',
    category: 'technical',
    difficulty: 'beginner',
    topics: '[databases]',
    prompt: 'What is a primary key for?',
    key_points: '[one, two, three]',
    reference_answer: 'It identifies a row.',
    ...overrides,
  };
  const lines = Object.entries(fields).filter(([, v]) => v !== '').map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`);
  return `${lines.join('\n')}\n${extra}`;
};

describe('the pack loader', () => {
  it('reads a good pack into whole questions', async () => {
    const bank = await loadBank(GOOD, join(import.meta.dirname, '../fixtures'));
    expect(bank.errors).toEqual([]);
    expect(bank.questions.map((q) => q.id)).toEqual(['db-fixture-index', 'db-fixture-acid', 'db-fixture-conflict']);
    const choice = bank.questions[1]!;
    expect(choice.options?.filter((o) => o.correct).map((o) => o.text)).toEqual(['Atomicity']);
    expect(choice.explanation).toMatch(/all-or-nothing/);
    expect(bank.questions[2]!.starGuide?.weak).toContain('No outcome');
    expect(bank.questions[0]).toMatchObject({ file: 'packs/good.yaml', line: 4, pack: 'databases' });
  });

  it('names the file and line of bad YAML', () => {
    expect(messages(`${header}  - id: db-one\n    prompt: "never closed\n    kind: open\n`)).toEqual([
      expect.stringMatching(/^packs\/x\.yaml:\d+: YAML is not valid: Missing closing "quote$/),
    ]);
  });

  it('names a missing field with the line of its question', () => {
    expect(messages(header + openQuestion('', { difficulty: '' }))).toEqual(['packs/x.yaml:4: questions[0].difficulty (db-one) is required']);
  });

  it('names a wrong enum value with the line of the field', () => {
    expect(messages(header + openQuestion('', { difficulty: 'expert' }))).toEqual([
      'packs/x.yaml:7: questions[0].difficulty (db-one) must be one of beginner, intermediate, advanced',
    ]);
  });

  it('names both places of a duplicate id', () => {
    const source = header + openQuestion() + openQuestion('', { prompt: 'Why do tables need a key at all?' });
    expect(messages(source)).toEqual(['packs/x.yaml:12: id (db-one) is used twice (first at packs/x.yaml:4)']);
  });

  it('reports a duplicated prompt, an unknown field and a duplicated key', () => {
    const dupPrompt = header + openQuestion() + openQuestion('', { id: 'db-two', prompt: 'what is a PRIMARY key for' });
    expect(messages(dupPrompt)).toEqual(['packs/x.yaml:12: prompt (db-two) repeats the prompt of db-one (packs/x.yaml:4)']);
    expect(messages(header + openQuestion('    key_point: [x]\n'))).toEqual(['packs/x.yaml:4: questions[0] (db-one) has unknown field key_point']);
    expect(messages(header + openQuestion('    kind: choice\n'))).toEqual([expect.stringMatching(/^packs\/x\.yaml:12: YAML is not valid: Map keys must be unique/)]);
  });

  it('enforces the rules of choice and open questions', () => {
    const choice = `${header}  - id: db-c
    kind: choice
    category: technical
    difficulty: beginner
    topics: [databases]
    prompt: Pick one
    options:
      - text: A
        correct: true
        why: A.
      - text: B
        correct: true
        why: B.
`;
    expect(messages(choice)).toEqual([
      'packs/x.yaml:11: questions[0].options (db-c) needs 3 to 5 options',
      'packs/x.yaml:11: questions[0].options (db-c) must have exactly one option with correct: true',
      'packs/x.yaml:4: questions[0].explanation (db-c) is required for choice questions (one line on why the answer is right)',
    ]);
    const threeOptions = choice.replace('        correct: true\n', '') + '      - text: C\n        why: C.\n';
    expect(messages(threeOptions)).toEqual([
      'packs/x.yaml:4: questions[0].explanation (db-c) is required for choice questions (one line on why the answer is right)',
    ]);
    const long = Array.from({ length: 121 }, (_, i) => `w${i}`).join(' ');
    expect(messages(header + openQuestion('', { reference_answer: long }))).toEqual([
      'packs/x.yaml:11: questions[0].reference_answer (db-one) must be at most 120 words (has 121)',
    ]);
    expect(messages(header + openQuestion('', { category: 'behavioral', reference_answer: '' }))).toEqual([
      'packs/x.yaml:4: questions[0].star_guide (db-one) is required for behavioral open questions',
    ]);
    expect(messages(header + openQuestion('', { topics: '[indexing]' }))).toEqual([
      'packs/x.yaml:8: questions[0].topics (db-one) must start with the pack\'s topic "databases"',
    ]);
  });

  it('wants a why on every option of a bank question, and keeps follow-ups and hints to open questions', () => {
    const choice = `${header}  - id: db-w
    kind: choice
    category: technical
    difficulty: beginner
    topics: [databases]
    prompt: Pick one
    options:
      - text: A
        correct: true
        why: Because A.
      - text: B
      - text: C
    explanation: A it is.
    follow_ups: [Why A?]
`;
    expect(messages(choice)).toEqual([
      'packs/x.yaml:17: questions[0].follow_ups (db-w) is only for open questions',
      'packs/x.yaml:14: questions[0].options[1].why (db-w) is required: say why this option is right or wrong',
      'packs/x.yaml:15: questions[0].options[2].why (db-w) is required: say why this option is right or wrong',
    ]);
    const open = openQuestion('    follow_ups: [How would you shard it?]\n    hint: Think of the read path.\n    further_reading: ["PostgreSQL manual: CREATE INDEX"]\n');
    const { questions, errors } = parsePack(header + open, 'packs/x.yaml');
    expect(errors).toEqual([]);
    expect(questions[0]).toMatchObject({ followUps: ['How would you shard it?'], hint: 'Think of the read path.', furtherReading: ['PostgreSQL manual: CREATE INDEX'] });
  });

  it('checks duplicate ids across files of a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-bank-'));
    await writeFile(join(dir, 'a.yaml'), header + openQuestion());
    await writeFile(join(dir, 'b.yaml'), header + openQuestion('', { prompt: 'A different prompt entirely?' }));
    const bank = await loadBank(dir, dir);
    expect(bank.errors.map(formatBankError)).toEqual(['b.yaml:4: id (db-one) is used twice (first at a.yaml:4)']);
  });
});
