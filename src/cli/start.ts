import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { BUILTIN_QUESTIONS_DIR } from '../paths.js';
import { importBank, openDatabase } from '../setup.js';
import type { Io } from './io.js';

export async function startCommand(args: string[], io: Io): Promise<number> {
  if (args.length > 0) throw new UsageError(`dojo start takes no arguments (got ${args.join(' ')}).`, 'Usage: dojo start');
  const config = loadConfig(io.env);
  const platforms = [config.slack && 'Slack', config.discord && 'Discord'].filter(Boolean);
  io.out('Interview Dojo');
  io.out(`  ✓ configuration ok (${platforms.length ? platforms.join(' and ') : 'no Slack or Discord credentials: terminal playground'})`);
  const db = await openDatabase(config);
  try {
    const where = db.kind === 'pglite' ? `embedded PGlite in ${db.location}` : `Postgres at ${db.location}`;
    io.out(`  ✓ database: ${where}${db.applied.length ? ` (${db.applied.length} migration${db.applied.length === 1 ? '' : 's'} applied)` : ', up to date'}`);
    const { questions, outcome } = await importBank(db, BUILTIN_QUESTIONS_DIR, new Date());
    const changes = outcome.added + outcome.updated + outcome.retired;
    io.out(`  ✓ question bank: ${questions.length} questions${changes ? ` (${outcome.added} added, ${outcome.updated} updated, ${outcome.retired} retired)` : ', in sync'}`);
  } finally {
    await db.close();
  }
  if (platforms.length) {
    io.err(`The ${platforms.join(' and ')} adapter is not part of this build yet; see the README's roadmap.`);
    return 1;
  }
  io.out('Ready. The terminal playground is the next piece to land; your data is kept for it.');
  return 0;
}
