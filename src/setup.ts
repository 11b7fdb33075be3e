/**
 * The steps every entry point shares: open the configured database (migrated), and sync the bank.
 */
import type { Config } from './config.js';
import { connect, type Connected } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { syncBuiltinQuestions, type SyncOutcome } from './db/repos/questions.js';
import { transaction } from './db/tx.js';
import { BankInvalidError } from './errors.js';
import { formatBankError, loadBank } from './bank/load.js';
import type { LoadedQuestion } from './bank/load.js';

export async function openDatabase(config: Config, options: { migrate?: boolean } = {}): Promise<Connected & { applied: string[] }> {
  let connected: Connected;
  try {
    connected = await connect({ url: config.database.url, directUrl: config.database.directUrl, dataDir: config.database.dataDir });
  } catch (error) {
    throw DatabaseUnavailable.from(error, config.database.url ? 'the database at DATABASE_URL' : `the embedded database in ${config.database.dataDir}`);
  }
  try {
    const applied = options.migrate === false ? [] : (await migrateToLatest(connected.db)).applied;
    return { ...connected, applied };
  } catch (error) {
    await connected.close().catch(() => {});
    if (error instanceof Error && 'code' in error && error.code === 'migration_failed' && !isConnectionError(error.cause)) throw error;
    throw DatabaseUnavailable.from(error, config.database.url ? 'the database at DATABASE_URL' : `the embedded database in ${config.database.dataDir}`);
  }
}

export class DatabaseUnavailable extends Error {
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
