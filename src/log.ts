/** Operational logs (pino, JSON on stderr). People-facing CLI output goes to stdout, not here. */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'interview-dojo' },
      // Secrets must never reach a log line, even inside an error's context.
      redact: ['*.token', '*.botToken', '*.signingSecret', '*.appToken', '*.password', 'config.database.url'],
    },
    pino.destination(2),
  );
}
