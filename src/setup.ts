/**
 * The steps every entry point shares: open the configured database (migrated), and sync the bank.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DojoError } from './core/errors.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { connect, type Connected, type DatabaseOptions } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { syncBuiltinQuestions, type SyncOutcome } from './db/repos/questions.js';
import { transaction } from './db/tx.js';
import { BankInvalidError, RefusedToStart } from './errors.js';
import { lastBankSync, recordBankSync } from './db/repos/bank-sync.js';
import { migrations } from '../migrations/index.js';

export async function openDatabase(config: Config, options: { migrate?: boolean; log?: Logger } = {}): Promise<Connected & { applied: string[] }> {
  if (config.production && !config.database.url) {
    // An embedded database inside a machine is lost with the machine: never a silent default on a server.
    throw new RefusedToStart('DATABASE_URL is required in production (NODE_ENV=production or on Fly.io): the embedded database would be lost with the machine.');
  }
  const log = options.log ?? createLogger(config.logLevel ?? 'warn');
  const what = config.database.url ? 'the database at DATABASE_URL' : `the embedded database in ${config.database.dataDir}`;
  let connected: Connected;
  try {
    connected = await connect(databaseOptions(config, log));
  } catch (error) {
    throw DatabaseUnavailable.from(error, what);
  }
  try {
    const applied = options.migrate === false ? [] : await migrate(config, connected, log);
    return { ...connected, applied };
  } catch (error) {
    await connected.close().catch(() => {});
    if (error instanceof Error && 'code' in error && error.code === 'migration_failed' && !isConnectionError(error.cause)) throw error;
    throw DatabaseUnavailable.from(error, config.database.directUrl ? 'the database at DATABASE_DIRECT_URL' : what);
  }
}

// A migration may build an index on a big table, and a second instance waits for the first one's run:
// neither is the hanging statement the everyday timeouts are for.
const MIGRATION_TIMEOUT_MS = 10 * 60_000;

/** Migrations need a session (an advisory lock around the run): one connection, direct when there is a direct URL. */
async function migrate(config: Config, connected: Connected, log: Logger): Promise<string[]> {
  if (connected.kind === 'pglite') return (await migrateToLatest(connected.db)).applied;
  const direct = await connect({
    ...databaseOptions(config, log),
    url: config.database.directUrl ?? config.database.url,
    maxConnections: 1,
    statementTimeoutMs: MIGRATION_TIMEOUT_MS,
    lockTimeoutMs: MIGRATION_TIMEOUT_MS,
  });
  try {
    return (await migrateToLatest(direct.db)).applied;
  } finally {
    await direct.close();
  }
}

/** The pool's settings from the configuration (timeouts, size, the direct URL for locks and migrations). */
export function databaseOptions(config: Config, log?: Pick<Logger, 'warn'>): DatabaseOptions {
  const d = config.database;
  return {
    url: d.url,
    directUrl: d.directUrl,
    dataDir: d.dataDir,
    maxConnections: d.poolMax,
    connectTimeoutMs: d.connectTimeoutMs,
    statementTimeoutMs: d.statementTimeoutMs,
    lockTimeoutMs: d.lockTimeoutMs,
    onConnectionLost: (error) => log?.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'database connection lost; the next query opens a new one'),
    onUnprepared: (why) => log?.warn(why),
  };
}

export class DatabaseUnavailable extends DojoError {
  readonly code = 'database_unavailable';
  static from(error: unknown, what: string): DatabaseUnavailable {
    const reason = error instanceof Error ? (error.message || (error as { code?: string }).code || error.name) : String(error);
    return new DatabaseUnavailable(`Could not open ${what}: ${reason}`, { cause: error });
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|57P0|08)/.test(code);
}

export interface BankImport {
  /** How many questions the bank has. */
  questions: number;
  outcome: SyncOutcome;
  /** The files were those of the last sync: nothing was read, parsed or compared. */
  unchanged: boolean;
}

/**
 * Loads the bank from `dir` and syncs it into the database; a bank with errors is refused whole. With
 * `skipUnchanged` (every start), a bank whose files are those of the last sync is not read again.
 */
export async function importBank(connected: Connected, dir: string, now: Date, options: { skipUnchanged?: boolean } = {}): Promise<BankImport> {
  const fingerprint = await bankFingerprint(dir);
  if (options.skipUnchanged) {
    const last = await lastBankSync(connected.db);
    if (last?.fingerprint === fingerprint) {
      return { questions: last.questions, outcome: { added: 0, updated: 0, retired: 0, unchanged: last.questions }, unchanged: true };
    }
  }
  // Loaded only here: a start with an unchanged bank never loads the YAML parser.
  const { formatBankError, loadBank } = await import('./bank/load.js');
  const bank = await loadBank(dir);
  if (bank.errors.length > 0) throw new BankInvalidError(bank.errors.map(formatBankError));
  const outcome = await transaction(connected.db, async (trx) => {
    const synced = await syncBuiltinQuestions(trx, bank.questions, now);
    await recordBankSync(trx, fingerprint, bank.questions.length, now);
    return synced;
  });
  return { questions: bank.questions.length, outcome, unchanged: false };
}

/**
 * The bank's files (names and contents) and the latest migration: a new migration may change how
 * questions are stored, so it syncs once more even when the files are the same.
 */
async function bankFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256').update(`${Object.keys(migrations).at(-1)}\n`);
  const info = await stat(dir).catch(() => undefined);
  const files = info?.isDirectory() ? (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(dir, n)) : [dir];
  for (const file of files) {
    const content = await readFile(file).catch(() => undefined);
    if (!content) return 'unreadable';
    hash.update(`${basename(file)}\n${content.length}\n`).update(content);
  }
  return hash.digest('hex');
}
