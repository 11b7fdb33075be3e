import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { formatBankError, loadBank, type LoadedQuestion } from '../bank/load.js';
import { formatSummary, summarize } from '../bank/summary.js';
import { DIFFICULTIES, KINDS } from '../core/question-model.js';
import { BUILTIN_QUESTIONS_DIR } from '../paths.js';
import { importBank, openDatabase } from '../setup.js';
import { parseOrUsage } from './args.js';
import type { Io } from './io.js';

const USAGE = `Usage:
  dojo questions validate [path]
  dojo questions import [path]
  dojo questions list [--topic T] [--difficulty D] [--kind K] [--json] [path]

path is a pack file or a folder of them; the default is the built-in bank.`;

export async function questionsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'import':
      return importCommand(rest, io);
    case 'list':
      return list(rest, io);
    default:
      throw new UsageError(sub ? `Unknown questions command "${sub}".` : 'Which questions command?', USAGE);
  }
}

function onePath(positionals: string[], io: Io): string {
  if (positionals.length > 1) throw new UsageError('Give at most one path.', USAGE);
  return positionals[0] ? resolve(io.cwd, positionals[0]) : BUILTIN_QUESTIONS_DIR;
}

async function validate(args: string[], io: Io): Promise<number> {
  const { positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: {} }), USAGE);
  const bank = await loadBank(onePath(positionals, io), io.cwd);
  if (bank.errors.length > 0) {
    for (const error of bank.errors) io.err(formatBankError(error));
    io.err(`\n${bank.errors.length} problem${bank.errors.length === 1 ? '' : 's'} in ${bank.files.length} file${bank.files.length === 1 ? '' : 's'}.`);
    return 1;
  }
  io.out(`All good: ${bank.files.length} file${bank.files.length === 1 ? '' : 's'}.`);
  for (const line of formatSummary(summarize(bank.questions))) io.out(line);
  return 0;
}

async function importCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: {} }), USAGE);
  const dir = onePath(positionals, io);
  const config = loadConfig(io.env);
  const db = await openDatabase(config);
  try {
    const { questions, outcome } = await importBank(db, dir, new Date());
    io.out(
      `Imported ${questions} questions into ${db.location}: ${outcome.added} added, ${outcome.updated} updated, ` +
        `${outcome.retired} retired, ${outcome.unchanged} unchanged.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

async function list(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { topic: { type: 'string' }, difficulty: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' } },
      }),
    USAGE,
  );
  if (values.difficulty && !(DIFFICULTIES as readonly string[]).includes(values.difficulty)) {
    throw new UsageError(`--difficulty must be one of ${DIFFICULTIES.join(', ')}.`, USAGE);
  }
  if (values.kind && !(KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`--kind must be one of ${KINDS.join(', ')}.`, USAGE);
  }
  const bank = await loadBank(onePath(positionals, io), io.cwd);
  if (bank.errors.length > 0) {
    for (const error of bank.errors) io.err(formatBankError(error));
    io.err(`\nThe bank has problems; run "dojo questions validate" and fix them first.`);
    return 1;
  }
  const topics = new Set(bank.questions.flatMap((q) => q.topics));
  if (values.topic && !topics.has(values.topic)) {
    throw new UsageError(`No question has the topic "${values.topic}". Topics: ${[...topics].sort().join(', ')}.`);
  }
  const chosen = bank.questions.filter(
    (q) =>
      (!values.topic || q.topics.includes(values.topic)) &&
      (!values.difficulty || q.difficulty === values.difficulty) &&
      (!values.kind || q.kind === values.kind),
  );
  if (values.json) {
    io.out(JSON.stringify(chosen.map(publicShape), null, 2));
    return 0;
  }
  for (const q of chosen) io.out(`${q.id.padEnd(34)} ${q.kind.padEnd(6)} ${q.difficulty.padEnd(12)} ${q.prompt.slice(0, 90)}`);
  io.out(`\n${chosen.length} question${chosen.length === 1 ? '' : 's'}.`);
  return 0;
}

function publicShape(q: LoadedQuestion) {
  const { file: _file, line: _line, ...rest } = q;
  return rest;
}
