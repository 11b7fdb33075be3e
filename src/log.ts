/** Operational logs (pino, JSON on stderr). People-facing CLI output goes to stdout, not here. */
import { pino, type Logger } from 'pino';
import { correlationId } from './core/correlation.js';

export type { Logger } from 'pino';

/** JSON lines on stderr (or `destination`, for tests). */
export function createLogger(level: string, destination: { write(line: string): void } = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: { app: 'interview-dojo' },
      // Every line about a delivery names it, however deep in the core it was written.
      mixin: () => {
        const id = correlationId();
        return id ? { correlationId: id } : {};
      },
      // Secrets must never reach a log line, even inside an error's context.
      redact: ['*.token', '*.botToken', '*.signingSecret', '*.appToken', '*.password', 'config.database.url'],
    },
    destination,
  );
}
