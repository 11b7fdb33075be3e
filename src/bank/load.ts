/**
 * Reads pack files and reports every problem with its file, line and field, so whoever edits a pack
 * can go straight to the mistake. One bad question never hides the others.
 */
import { BankPathError } from '../errors.js';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LineCounter, isMap, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { promptKey, type BankQuestion } from '../core/question-model.js';
import { bankOnlyRules, packQuestionShape, packSchema, questionRules, type PackQuestion } from './schema.js';

export interface BankError {
  file: string;
  line: number;
  /** The field at fault, as a path people can read: `questions[3].difficulty`. */
  field: string;
  message: string;
  /** The question's id when known, to find it by search too. */
  id?: string;
}

export interface LoadedQuestion extends BankQuestion {
  file: string;
  line: number;
}

export interface Bank {
  questions: LoadedQuestion[];
  errors: BankError[];
  files: string[];
}

export function formatBankError(error: BankError): string {
  const where = error.id ? `${error.field} (${error.id})` : error.field;
  return `${error.file}:${error.line}: ${where} ${error.message}`;
}

/** Loads one file, or every .yaml/.yml file in a directory, and checks the bank as a whole. */
export async function loadBank(path: string, cwd = process.cwd()): Promise<Bank> {
  const files = await packFiles(path);
  const shownName = (file: string) => {
    const rel = relative(cwd, file);
    return rel && !rel.startsWith('..') ? rel : file;
  };
  const bank: Bank = { questions: [], errors: [], files: files.map(shownName) };
  for (const file of files) {
    const shown = shownName(file);
    const { questions, errors } = parsePack(await readFile(file, 'utf8'), shown);
    bank.questions.push(...questions);
    bank.errors.push(...errors);
  }
  bank.errors.push(...crossChecks(bank.questions));
  return bank;
}

async function packFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new BankPathError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(path, n));
}

export { BankPathError };

/** Parses one pack's text. `file` is the name used in messages. */
export function parsePack(source: string, file: string): { questions: LoadedQuestion[]; errors: BankError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      questions: [],
      errors: doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? 1,
        field: 'YAML',
        message: `is not valid: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  const lineOf = (path: (string | number)[]) => lineAt(doc, lines, path);
  const header = packSchema.safeParse(doc.toJS());
  if (!header.success) {
    return { questions: [], errors: issuesToErrors(header.error, [], file, lineOf, undefined, doc.toJS()) };
  }
  const questions: LoadedQuestion[] = [];
  const errors: BankError[] = [];
  header.data.questions.forEach((raw, index) => {
    const base = ['questions', index];
    const parsed = packQuestionShape.safeParse(raw);
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
    const shapeErrors = parsed.success ? [] : issuesToErrors(parsed.error, base, file, lineOf, id, raw);
    const ruleErrors = [...questionRules(raw), ...bankOnlyRules(raw)].map((issue) => {
        const path = [...base, ...issue.path];
        return { file, line: lineOf(path), field: fieldName(path), message: issue.message, ...(id ? { id } : {}) };
      });
    if (!parsed.success || ruleErrors.length > 0) {
      errors.push(...shapeErrors, ...ruleErrors);
      return;
    }
    const q = parsed.data;
    if (q.topics[0] !== header.data.pack) {
      errors.push({
        file,
        line: lineOf([...base, 'topics']),
        field: `questions[${index}].topics`,
        id,
        message: `must start with the pack's topic "${header.data.pack}"`,
      });
      return;
    }
    questions.push({ ...toBankQuestion(q, header.data.pack), file, line: lineOf(base) });
  });
  return { questions, errors };
}

function toBankQuestion(q: PackQuestion, pack: string): BankQuestion {
  return {
    id: q.id,
    pack,
    kind: q.kind,
    category: q.category,
    difficulty: q.difficulty,
    topics: q.topics,
    prompt: q.prompt,
    keyPoints: q.key_points ?? [],
    ...(q.reference_answer ? { referenceAnswer: q.reference_answer } : {}),
    ...(q.star_guide ? { starGuide: q.star_guide } : {}),
    ...(q.options ? { options: q.options.map((o) => ({ text: o.text, correct: o.correct === true, ...(o.why ? { why: o.why } : {}) })) } : {}),
    ...(q.explanation ? { explanation: q.explanation } : {}),
    ...(q.follow_ups ? { followUps: q.follow_ups } : {}),
    ...(q.hint ? { hint: q.hint } : {}),
    ...(q.further_reading ? { furtherReading: q.further_reading } : {}),
  };
}

/** Rules across questions (and files): unique ids and prompts. */
export function crossChecks(questions: LoadedQuestion[]): BankError[] {
  const errors: BankError[] = [];
  const byId = new Map<string, LoadedQuestion>();
  const byPrompt = new Map<string, LoadedQuestion>();
  for (const q of questions) {
    const sameId = byId.get(q.id);
    if (sameId) {
      errors.push({ file: q.file, line: q.line, field: 'id', id: q.id, message: `is used twice (first at ${sameId.file}:${sameId.line})` });
    } else byId.set(q.id, q);
    const key = promptKey(q.prompt);
    const samePrompt = byPrompt.get(key);
    if (samePrompt) {
      errors.push({
        file: q.file,
        line: q.line,
        field: 'prompt',
        id: q.id,
        message: `repeats the prompt of ${samePrompt.id} (${samePrompt.file}:${samePrompt.line})`,
      });
    } else byPrompt.set(key, q);
  }
  return errors;
}

function issuesToErrors(
  error: z.ZodError,
  base: (string | number)[],
  file: string,
  lineOf: (path: (string | number)[]) => number,
  id: string | undefined,
  input: unknown,
): BankError[] {
  return error.issues.map((issue) => {
    const path = [...base, ...(issue.path as (string | number)[])];
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    } else if (issue.code !== 'custom' && valueAt(input, issue.path as (string | number)[]) === undefined) {
      message = 'is required';
    }
    return { file, line: lineOf(path), field: fieldName(path), message, ...(id ? { id } : {}) };
  });
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function fieldName(path: (string | number)[]): string {
  if (path.length === 0) return 'pack';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The line of the deepest node of `path` that exists (a missing field points at its parent). */
function lineAt(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a map, point at its first key rather than the indentation before it.
      const start = isMap(node) && node.items[0]?.key ? ((node.items[0].key as { range?: number[] }).range?.[0] ?? range[0]) : range[0];
      return lines.linePos(start).line;
    }
  }
  return 1;
}
