import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { BUILTIN_QUESTIONS_DIR } from '../paths.js';
import { importBank, openDatabase } from '../setup.js';
import { runPlayground, runServer } from '../main.js';
import { adapterFactories } from '../adapters.js';
import { parseArgs } from 'node:util';
import { parseOrUsage } from './args.js';
import type { Io } from './io.js';

/** `dojo start` (Slack and/or Discord, else the playground) and `dojo playground`. */
export async function startCommand(args: string[], io: Io, options: { forcePlayground?: boolean } = {}): Promise<number> {
  const usage = options.forcePlayground ? 'Usage: dojo playground [--start 2026-11-23T07:00:00Z] [--seed N]' : 'Usage: dojo start';
  const { values } = parseOrUsage(() => parseArgs({ args, options: options.forcePlayground ? { start: { type: 'string' }, seed: { type: 'string' } } : {}, allowPositionals: false }), usage);
  const start = values.start !== undefined ? new Date(String(values.start)) : undefined;
  if (start && Number.isNaN(start.getTime())) throw new UsageError(`--start must be a date and time like 2026-11-23T07:00:00Z (got "${values.start}").`, usage);
  const seed = values.seed !== undefined ? Number(values.seed) : undefined;
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${values.seed}").`, usage);
  const config = loadConfig(io.env);
  const platforms = options.forcePlayground ? [] : [config.slack && 'Slack', config.discord && 'Discord'].filter(Boolean);
  const say = platforms.length || !io.interactive ? io.err : io.out;
  say('Interview Dojo');
  say(`  ✓ configuration ok (${platforms.length ? platforms.join(' and ') : 'no Slack or Discord credentials: terminal playground'})`);
  const db = await openDatabase(config);
  try {
    const where = db.kind === 'pglite' ? `embedded PGlite in ${db.location}` : `Postgres at ${db.location}`;
    say(`  ✓ database: ${where}${db.applied.length ? ` (${db.applied.length} migration${db.applied.length === 1 ? '' : 's'} applied)` : ', up to date'}`);
    const { questions, outcome } = await importBank(db, BUILTIN_QUESTIONS_DIR, new Date());
    const changes = outcome.added + outcome.updated + outcome.retired;
    say(`  ✓ question bank: ${questions.length} questions${changes ? ` (${outcome.added} added, ${outcome.updated} updated, ${outcome.retired} retired)` : ', in sync'}`);
    if (platforms.length) {
      const stop = await runServer(config, db, adapterFactories);
      say(`  ✓ listening on port ${config.port}; Ctrl-C stops`);
      await io.waitForSignal();
      await stop();
      return 0;
    }
    if (io.interactive) {
      io.out('\nThe playground: you are in #general as @you (an admin). Try /dojo help, /dojo quiz count:3,');
      io.out('/dojo schedule set time:09:00, then :advance 1d. Others speak with @name, e.g. @bob > my answer.');
    }
    await runPlayground(config, db, { start, seed, input: io.stdin, interactive: io.interactive, write: io.out, color: io.color });
    return 0;
  } finally {
    await db.close();
  }
}
