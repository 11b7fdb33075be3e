/**
 * A command said wrongly, and how every platform shows it: what was wrong, then the subcommand's usage
 * line (or one example of the right way). The checks that raise it live in intents.ts and
 * schedule-intent.ts; the text grammar adds its own for words it cannot place.
 */
import type { Intent, Parsed } from './commands.js';
import { USAGE } from './help.js';
import { canonicalZone } from './time.js';

export class Usage extends Error {
  constructor(
    message: string,
    readonly sub: string,
    /** One example of the right way, shown instead of the whole usage line. */
    readonly example?: string,
  ) {
    super(message);
  }
}

export const SCHEDULE_EXAMPLE = '/dojo schedule set days:mon-fri time:09:00 tz:Europe/Berlin';

/** Errors about one schedule option show an example of that option alone, not the whole usage line. */
export const scheduleUsage = (message: string, option?: string, value?: string) =>
  new Usage(message, 'schedule', option ? `/dojo schedule set ${option}:${value}` : SCHEDULE_EXAMPLE);

/** Runs an intent builder; a Usage error becomes the friendly failure every platform shows. */
export function parsedFrom(build: () => Intent): Parsed {
  try {
    return { ok: true, intent: build() };
  } catch (error) {
    if (!(error instanceof Usage)) throw error;
    const example = error.example ?? (error.sub === 'schedule' ? SCHEDULE_EXAMPLE : undefined);
    return { ok: false, error: error.message, usage: example ? `Example: ${example}` : `Usage: ${USAGE[error.sub] ?? Object.values(USAGE).join('\n')}` };
  }
}

export function intIn(value: string | number, name: string, min: number, max: number, sub: string): number {
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new Usage(`${name} must be a whole number from ${min} to ${max} (got "${text}").`, sub);
  }
  return Number(text);
}

/** A zone as its canonical IANA name (`utc` -> `UTC`), or a usage error naming it. */
export function zoneOf(tz: string, sub: string): string {
  const zone = canonicalZone(tz);
  if (!zone) throw new Usage(`"${tz}" is not a time zone I know; use an IANA name like America/New_York.`, sub, `/dojo ${sub === 'schedule' ? 'schedule set' : sub === 'practice' ? 'practice daily 08:30' : sub} tz:Europe/Berlin`);
  return zone;
}

/** `HH:MM` on a 24-hour clock, zero-padded, or undefined. */
export function clockTime(value: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  return m && Number(m[1]) <= 23 && Number(m[2]) <= 59 ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}
