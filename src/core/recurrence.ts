/**
 * When a question of the day runs: days and a time, or a cron expression, in an IANA zone. One
 * library (croner) both validates and computes the runs, so whatever is accepted also runs: `L`
 * (last day of the month), `#` (the nth weekday), names, and daylight-saving changes in the zone (a
 * time skipped in spring runs just after the gap, a time shown twice in autumn runs once).
 */
import { Cron } from 'croner';
import { localDate, localParts } from './time.js';

export interface Recurrence {
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  days: number[];
  /** HH:MM local. */
  time: string;
  timezone: string;
  /** A 5-field cron expression; when set, it replaces days and time. */
  cron?: string | null;
}

/** The rule as a cron pattern: `0 9 * * 1,2,3,4,5` for weekdays at 09:00. */
export function patternOf(rule: Recurrence): string {
  if (rule.cron) return rule.cron.trim();
  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  return `${minute} ${hour} * * ${rule.days.map((d) => d % 7).join(',')}`;
}

/**
 * Parsed patterns by pattern and zone: parsing one cost about a twentieth of a fan-out's CPU (issue 13),
 * and a job with no callback keeps no state between the runs it is asked for (each call names its start).
 */
const jobs = new Map<string, Cron>();
function job(pattern: string, timezone: string): Cron {
  const key = `${timezone} ${pattern}`;
  let j = jobs.get(key);
  if (!j) {
    // No callback: croner only computes runs, it starts no timer. A bad pattern throws here, never cached.
    j = new Cron(pattern, { timezone, mode: '5-part' });
    if (jobs.size >= 1000) jobs.clear();
    jobs.set(key, j);
  }
  return j;
}

/**
 * The job's first run after an instant, remembered: a fan-out moves every due schedule on from the same
 * instant, and most share a pattern and zone, so croner's walk (about a millisecond each, a tenth of a
 * 1,000-channel fan-out's CPU, issue 13) runs once for them all. Bounded; a fresh Date goes out each time.
 */
const runs = new Map<string, number | null>();
function runAfter(key: string, j: Cron, from: Date): Date | undefined {
  const k = `${key} ${from.getTime()}`;
  let at = runs.get(k);
  if (at === undefined) {
    at = j.nextRun(from)?.getTime() ?? null;
    if (runs.size >= 10_000) runs.clear();
    runs.set(k, at);
  }
  return at === null ? undefined : new Date(at);
}

const hhmm = (at: Date, zone: string) => {
  const p = localParts(at, zone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

/**
 * Why a cron expression cannot drive a question of the day, or undefined when it can: it must parse,
 * run at least once a year, and run at most once a local day (one question a day is all that posts).
 */
export function cronProblem(expression: string, timezone = 'UTC', now = new Date()): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return 'cron must have 5 fields: minute hour day-of-month month day-of-week, like "0 9 * * 1-5"';
  let runs: Date[];
  try {
    runs = job(expression, timezone).nextRuns(12, now);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : '';
    return `"${expression}" is not a valid cron expression${reason ? ` (${reason})` : ''}; for example "0 9 * * 1-5" is 09:00 on weekdays`;
  }
  if (runs.length === 0 || runs[0]!.getTime() - now.getTime() > 366 * 86_400_000) return `"${expression}" never runs in the coming year (is that date on the calendar?)`;
  for (let i = 1; i < runs.length; i++) {
    if (localDate(runs[i]!, timezone) === localDate(runs[i - 1]!, timezone)) {
      return `"${expression}" runs more than once a day (${hhmm(runs[i - 1]!, timezone)} and ${hhmm(runs[i]!, timezone)}), but only one question of the day posts a day: give one time, like "0 9 * * 1-5"`;
    }
  }
  return undefined;
}

/**
 * The first run strictly after `after` whose local date has no question yet (`taken`: local dates,
 * YYYY-MM-DD in the rule's zone, that already had theirs), or undefined when none falls within a year.
 */
export function nextRun(rule: Recurrence, after: Date, taken: ReadonlySet<string> = new Set()): Date | undefined {
  const j = job(patternOf(rule), rule.timezone);
  const limit = after.getTime() + 366 * 86_400_000;
  const key = `${rule.timezone} ${patternOf(rule)}`;
  let from = after;
  for (let i = 0; i < 400; i++) {
    const at = runAfter(key, j, from);
    if (!at || at.getTime() > limit) return undefined;
    if (!taken.has(localDate(at, rule.timezone))) return at;
    from = at;
  }
  return undefined;
}

/** The next `n` runs after `after` (for "repeats from" estimates). */
export function nextRuns(rule: Recurrence, after: Date, n: number): Date[] {
  return job(patternOf(rule), rule.timezone).nextRuns(n, after);
}
