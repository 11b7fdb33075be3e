/**
 * The `dojo` command. Every failure a person can cause (bad environment, bad arguments, a bank with
 * mistakes, an unreachable database) ends in a short message and an exit code, never a stack trace.
 */
import { ConfigError } from '../config.js';
import { BankInvalidError, BankPathError, PlatformRejected, RefusedToStart, UsageError } from '../errors.js';
import { DatabaseUnavailable } from '../setup.js';
import { PortInUse } from '../http.js';
import { startCommand } from './start.js';
import type { Io } from './io.js';

export const USAGE = `Usage: dojo <command>

Commands:
  start                         run the bot: Slack and/or Discord from the environment,
                                with neither the terminal playground
  playground [--start ISO] [--seed N]
                                the terminal playground (reads a script from stdin when piped)
  migrate [--down]              bring the database schema up to date (--down undoes it all)
  questions validate [path]     check question packs (default: the built-in bank)
  questions import [path]       sync the packs into the database by question id
  questions list [--topic T] [--difficulty D] [--kind K] [--json] [path]
  slack manifest --url URL      print the Slack app manifest for a bot reachable at URL
  slack reencrypt               seal stored Slack tokens under DOJO_ENCRYPTION_KEY (key rotation)
  discord register [--guild ID] register the /dojo command on Discord (globally or in one server)
  help                          this text

Configuration comes from environment variables; see the README.`;

export async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      case 'start':
        return await startCommand(rest, io);
      case 'playground':
        return await startCommand(rest, io, { forcePlayground: true });
      // The other commands are loaded when run: the server never loads the YAML parser or the bank's checks.
      case 'migrate':
        return await (await import('./migrate.js')).migrateCommand(rest, io);
      case 'questions':
        return await (await import('./questions.js')).questionsCommand(rest, io);
      case 'slack':
        return await (await import('./slack.js')).slackCommand(rest, io);
      case 'discord':
        return await (await import('./discord.js')).discordCommand(rest, io);
      default:
        throw new UsageError(`Unknown command "${command}".`, USAGE);
    }
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof ConfigError) {
    io.err('Interview Dojo cannot start: the environment has a problem.');
    for (const problem of error.problems) io.err(`  ${problem}`);
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(error.message);
    if (error.usage) io.err(`\n${error.usage}`);
    return 2;
  }
  if (error instanceof BankInvalidError) {
    for (const problem of error.problems) io.err(problem);
    io.err(`\nThe question bank has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}; nothing was imported.`);
    return 1;
  }
  if (error instanceof RefusedToStart) {
    io.err(error.message);
    return 2;
  }
  if (error instanceof PlatformRejected || error instanceof BankPathError || error instanceof DatabaseUnavailable || error instanceof PortInUse) {
    io.err(error.message);
    return 1;
  }
  if (error instanceof Error && 'code' in error && error.code === 'migration_failed') {
    io.err(`Database migration failed: ${error.message}`);
    return 1;
  }
  io.err(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
