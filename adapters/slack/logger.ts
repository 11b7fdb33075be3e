/** Bolt's, @slack/oauth's and the WebClient's logging, sent to the app's pino logger. */
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../../src/log.js';

const LEVELS: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

export function boltLogger(log: Logger): SlackLogger {
  let level: LogLevel = LEVELS[log.level] ?? LogLevel.ERROR;
  const write = (at: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const [first, ...rest] = msg;
    if (first instanceof Error) log[at]({ err: first }, rest.map(String).join(' ') || first.message);
    else log[at](msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
