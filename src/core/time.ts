/**
 * Wall-clock time in IANA zones, by Intl alone: local dates, local time to UTC (correct across
 * daylight-saving changes), and the next scheduled run of a question of the day.
 */
import cron from 'node-cron';

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(at: Date, zone: string): LocalParts & { second: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
  };
}

/** Whether Intl knows this IANA zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  const p = localParts(at, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The zone's offset from UTC at an instant, in minutes (Berlin in winter: +60). */
function offsetMinutes(at: Date, zone: string): number {
  const p = localParts(at, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant at which the zone's clocks show this local time. A time skipped by a spring-forward
 * change runs at the first minute after the gap; a time shown twice (autumn) runs the first time.
 */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day either side cover both sides of any change near this time.
  const early = wall - offsetMinutes(new Date(wall - 86_400_000), zone) * 60_000;
  const late = wall - offsetMinutes(new Date(wall + 86_400_000), zone) * 60_000;
  const shows = (t: number) => {
    const p = localParts(new Date(t), zone);
    return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute;
  };
  const candidates = [early, late].filter(shows).sort((a, b) => a - b);
  // None shows it: the time falls in a spring-forward gap; run it shifted forward by the jump.
  return new Date(candidates[0] ?? early);
}

function addDays(year: number, month: number, day: number, n: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(year, month - 1, day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: ((d.getUTCDay() + 6) % 7) + 1 };
}

export interface Recurrence {
  /** ISO weekdays. */
  days: number[];
  /** HH:MM local. */
  time: string;
  timezone: string;
  /** A 5-field cron expression; when set, it replaces days and time. */
  cron?: string | null;
}

/** Validates a cron expression: a message when it is not one, else undefined. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return 'cron must have 5 fields: minute hour day-of-month month day-of-week, like "0 9 * * 1-5"';
  if (!cron.validate(expression)) return `"${expression}" is not a valid cron expression`;
  return undefined;
}

/** The first scheduled instant strictly after `after`, or undefined when none falls within a year. */
export function nextRun(rule: Recurrence, after: Date): Date | undefined {
  const start = localParts(after, rule.timezone);
  const slots = slotsOf(rule);
  for (let i = 0; i <= 370; i++) {
    const d = addDays(start.year, start.month, start.day, i);
    for (const { hour, minute } of slots.timesOn(d)) {
      const at = zonedToUtc(d.year, d.month, d.day, hour, minute, rule.timezone);
      if (at.getTime() > after.getTime()) return at;
    }
  }
  return undefined;
}

function slotsOf(rule: Recurrence): { timesOn(d: { month: number; day: number; weekday: number }): { hour: number; minute: number }[] } {
  if (rule.cron) {
    const f = cron.parse(rule.cron) as { minute: number[]; hour: number[]; dayOfMonth: number[]; month: number[]; dayOfWeek: number[] };
    const dows = new Set(f.dayOfWeek.map((d) => (d === 0 ? 7 : d)));
    const domRestricted = f.dayOfMonth.length < 31;
    const dowRestricted = dows.size < 7;
    const times = f.hour.flatMap((hour) => f.minute.map((minute) => ({ hour, minute })));
    return {
      timesOn: (d) => {
        if (!f.month.includes(d.month)) return [];
        const domOk = f.dayOfMonth.includes(d.day);
        const dowOk = dows.has(d.weekday);
        // Classic cron: with both day fields restricted, either may match.
        const ok = domRestricted && dowRestricted ? domOk || dowOk : domOk && dowOk;
        return ok ? times : [];
      },
    };
  }
  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  const days = new Set(rule.days);
  return { timesOn: (d) => (days.has(d.weekday) ? [{ hour, minute }] : []) };
}

/** "Tue 24 Nov, 17:00 CET" style, for people. */
export function formatLocal(at: Date, zone: string): string {
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
  // en-US knows America's abbreviations (EST), en-GB Europe's (CET); otherwise GMT+1 is still clear.
  const abbreviation = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const us = abbreviation('en-US');
  const zoneName = us && !us.startsWith('GMT') ? us : (abbreviation('en-GB') ?? us);
  return `${when} ${zoneName ?? zone}`;
}

/** The start (inclusive) of the week (Monday) or month containing `at`, in the zone. */
export function periodStart(at: Date, zone: string, period: 'week' | 'month'): Date {
  const p = localParts(at, zone);
  if (period === 'month') return zonedToUtc(p.year, p.month, 1, 0, 0, zone);
  const monday = addDays(p.year, p.month, p.day, 1 - p.weekday);
  return zonedToUtc(monday.year, monday.month, monday.day, 0, 0, zone);
}

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
