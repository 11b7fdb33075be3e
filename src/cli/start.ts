import { loadConfig } from '../config.js';
import { RefusedToStart, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { BUILTIN_QUESTIONS_DIR } from '../paths.js';
import { firstStartInChild } from '../first-start.js';
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
  if (!options.forcePlayground && !platforms.length) refuseWithoutPlatforms(config.production, io.interactive);
  const say = platforms.length || !io.interactive ? io.err : io.out;
  say('Interview Dojo');
  say(`  ✓ configuration ok (${platforms.length ? platforms.join(' and ') : 'no Slack or Discord credentials: terminal playground'})`);
  for (const warning of config.warnings) say(`  ! ${warning}`);
  const log = createLogger(config.logLevel ?? (platforms.length ? 'info' : 'warn'));
  // A first start on PGlite makes the database in a child process, so the bot starts at a restart's size.
  const made = await firstStartInChild(config, log);
  const db = await openDatabase(config, { log });
  try {
    const where = db.kind === 'pglite' ? `embedded PGlite in ${db.location}` : `Postgres at ${db.location}`;
    const applied = made?.applied ?? db.applied;
    say(`  ✓ database: ${where}${applied.length ? ` (${applied.length} migration${applied.length === 1 ? '' : 's'} applied)` : ', up to date'}`);
    const { questions, outcome } = made?.bank ?? (await importBank(db, BUILTIN_QUESTIONS_DIR, new Date(), { skipUnchanged: true }));
    const changes = outcome.added + outcome.updated + outcome.retired;
    say(`  ✓ question bank: ${questions} questions${changes ? ` (${outcome.added} added, ${outcome.updated} updated, ${outcome.retired} retired)` : ', in sync'}`);
    if (platforms.length) {
      // Listen for the signal before starting: a deploy may stop a machine that is still starting.
      const signal = io.waitForSignal();
      const stop = await runServer(config, db, adapterFactories, log);
      say(`  ✓ listening on port ${config.port}; Ctrl-C stops`);
      await signal;
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

/** A server never falls back to the playground: on Fly (or with no terminal) it would read nothing and exit 0. */
function refuseWithoutPlatforms(production: boolean, interactive: boolean): void {
  const credentials = 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), or DISCORD_TOKEN (see .env.example)';
  if (production) throw new RefusedToStart(`No Slack or Discord credentials in production (NODE_ENV=production or on Fly.io): ${credentials}.`);
  if (!interactive) throw new RefusedToStart(`No Slack or Discord credentials and no terminal for the playground: ${credentials}, or feed a script to \`dojo playground\`.`);
}
