/**
 * The steps every entry point shares: open the configured database (migrated), and sync the bank.
 */
import { DojoError } from './core/errors.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { connect, type Connected, type DatabaseOptions } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { syncBuiltinQuestions, type SyncOutcome } from './db/repos/questions.js';
import { transaction } from './db/tx.js';
import { BankInvalidError, RefusedToStart } from './errors.js';
import { formatBankError, loadBank } from './bank/load.js';
import type { LoadedQuestion } from './bank/load.js';

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

/** Loads the bank from `dir` and syncs it into the database; a bank with errors is refused whole. */
export async function importBank(connected: Connected, dir: string, now: Date): Promise<{ questions: LoadedQuestion[]; outcome: SyncOutcome }> {
  const bank = await loadBank(dir);
  if (bank.errors.length > 0) throw new BankInvalidError(bank.errors.map(formatBankError));
  const outcome = await transaction(connected.db, (trx) => syncBuiltinQuestions(trx, bank.questions, now));
  return { questions: bank.questions, outcome };
}
