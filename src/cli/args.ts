import { UsageError } from '../errors.js';

/** Runs node's parseArgs and turns its errors (unknown option, missing value) into usage help. */
export function parseOrUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(message ?? 'Bad arguments.', usage);
  }
}
