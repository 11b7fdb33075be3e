import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrateDownAll } from '../db/migrate.js';
import { openDatabase } from '../setup.js';
import { parseOrUsage } from './args.js';
import type { Io } from './io.js';

const USAGE = 'Usage: dojo migrate [--down]';

export async function migrateCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOrUsage(() => parseArgs({ args, options: { down: { type: 'boolean' } }, allowPositionals: false }), USAGE);
  const config = loadConfig(io.env);
  const db = await openDatabase(config, { migrate: !values.down });
  try {
    if (values.down) {
      const { applied } = await migrateDownAll(db.db);
      io.out(applied.length ? `Undid ${applied.length} migration(s) on ${db.location}: ${applied.join(', ')}` : `Nothing to undo on ${db.location}.`);
    } else {
      io.out(db.applied.length ? `Applied ${db.applied.length} migration(s) on ${db.location}: ${db.applied.join(', ')}` : `The database at ${db.location} is up to date.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
