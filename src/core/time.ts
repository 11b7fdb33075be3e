/**
 * Wall-clock time in IANA zones, by Intl alone: local dates and local time to UTC (correct across
 * daylight-saving changes). When a schedule runs is recurrence.ts.
 */
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

/**
 * Recent answers by zone and instant: formatToParts is the costly part, and a fan-out asks about the same
 * instant (1,000 schedules due at 08:00) once a schedule (issue 13). Bounded; a copy goes out each time.
 */
const recent = new Map<string, LocalParts & { second: number }>();

export function localParts(at: Date, zone: string): LocalParts & { second: number } {
  const key = `${at.getTime()} ${zone}`;
  const known = recent.get(key);
  if (known) return { ...known };
  const parts = readParts(at, zone);
  if (recent.size >= 1000) recent.clear();
  recent.set(key, parts);
  return { ...parts };
}

function readParts(at: Date, zone: string): LocalParts & { second: number } {
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

/**
 * Old zone names that Intl still accepts but that mislead: EST, MST and HST are fixed offsets that
 * never move to summer time (EST is not New York's time for half the year), and the others are
 * aliases whose canonical form (CET -> Europe/Brussels) would surprise the person who typed them.
 */
const LEGACY_ZONES: Record<string, { suggest: string; fixedOffset?: string }> = {
  EST: { suggest: 'America/New_York', fixedOffset: 'UTC−5' },
  MST: { suggest: 'America/Denver', fixedOffset: 'UTC−7' },
  HST: { suggest: 'Pacific/Honolulu', fixedOffset: 'UTC−10' },
  EST5EDT: { suggest: 'America/New_York' },
  CST6CDT: { suggest: 'America/Chicago' },
  MST7MDT: { suggest: 'America/Denver' },
  PST8PDT: { suggest: 'America/Los_Angeles' },
  CET: { suggest: 'Europe/Berlin' },
  MET: { suggest: 'Europe/Berlin' },
  EET: { suggest: 'Europe/Athens' },
  WET: { suggest: 'Europe/Lisbon' },
};

/**
 * The zone's canonical IANA name as people should see it (`utc` -> `UTC`, `europe/berlin` ->
 * `Europe/Berlin`, `US/Eastern` -> `America/New_York`), or undefined when Intl does not know it.
 * Legacy names keep their own spelling (EST stays EST) so the warning about them makes sense.
 */
export function canonicalZone(zone: string): string | undefined {
  if (!isTimeZone(zone)) return undefined;
  const legacy = Object.keys(LEGACY_ZONES).find((k) => k === zone.toUpperCase());
  if (legacy) return legacy;
  const etc = /^etc\/gmt([+-]\d{1,2})$/i.exec(zone);
  if (etc) return `Etc/GMT${etc[1]}`;
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** A warning for a zone that is accepted but probably not what was meant, with a better name. */
export function zoneWarning(zone: string): string | undefined {
  const legacy = LEGACY_ZONES[zone];
  if (legacy?.fixedOffset) return `${zone} is a fixed offset (${legacy.fixedOffset}) that never changes for summer time; for local time there, use tz:${legacy.suggest}.`;
  if (legacy) return `${zone} is an old zone name; a city zone such as tz:${legacy.suggest} says what you mean.`;
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(zone);
  if (etc) return `${zone} is a fixed offset (UTC${etc[1] === '+' ? '−' : '+'}${etc[2]}: these names flip the sign) that never changes for summer time; a city zone such as tz:America/New_York follows local clocks.`;
  return undefined;
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

/** Formatters by locale, options and zone: building one costs about a tenth of a millisecond, and a fan-out formats a time per post. */
const shortFormatters = new Map<string, Intl.DateTimeFormat>();
function shortFormatter(locale: 'en-GB' | 'en-US', zone: string, what: 'when' | 'zone'): Intl.DateTimeFormat {
  const key = `${locale} ${what} ${zone}`;
  let f = shortFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, what === 'when' ? { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } : { timeZone: zone, timeZoneName: 'short' });
    // Zones are few (IANA names a few hundred); the bound only keeps a flood of odd names from growing it.
    if (shortFormatters.size >= 1000) shortFormatters.clear();
    shortFormatters.set(key, f);
  }
  return f;
}

/** "Tue 24 Nov, 17:00 CET" style, for people. */
export function formatLocal(at: Date, zone: string): string {
  const when = shortFormatter('en-GB', zone, 'when').format(at);
  // en-US knows America's abbreviations (EST), en-GB Europe's (CET); otherwise GMT+1 is still clear.
  const abbreviation = (locale: 'en-GB' | 'en-US') => shortFormatter(locale, zone, 'zone').formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const us = abbreviation('en-US');
  const zoneName = us && !us.startsWith('GMT') ? us : (abbreviation('en-GB') ?? us);
  return `${when} ${zoneName ?? zone}`;
}

/**
 * Periods already worked out, per zone and kind: [start, end) in ms, where end is the next period's start.
 * Every instant in [start, end) has its local date in that period, so its start is `start` (what
 * periodStart would compute again with five Intl look-ups: a stats chart asks for 13 weeks at each command).
 */
const knownPeriods = new Map<string, { start: number; end: number }[]>();
const KNOWN_PER_ZONE = 32;
const KNOWN_ZONES = 256;

/** The start (inclusive) of the week (Monday) or month containing `at`, in the zone. */
export function periodStart(at: Date, zone: string, period: 'week' | 'month'): Date {
  const key = `${period}\n${zone}`;
  const t = at.getTime();
  const known = knownPeriods.get(key);
  const hit = known?.find((k) => k.start <= t && t < k.end);
  if (hit) return new Date(hit.start);
  const start = computePeriodStart(at, zone, period).getTime();
  // A week later plus half a day, or 32 days later (months have at most 31): inside the next period.
  const end = computePeriodStart(new Date(start + (period === 'week' ? 7.5 : 32) * 86_400_000), zone, period).getTime();
  // Only a period that contains `at` is kept (an instant before a zone's first rule could fall outside).
  if (start <= t && t < end) {
    if (!known && knownPeriods.size >= KNOWN_ZONES) knownPeriods.clear();
    const list = known ?? [];
    list.push({ start, end });
    if (list.length > KNOWN_PER_ZONE) list.shift();
    knownPeriods.set(key, list);
  }
  return new Date(start);
}

/** periodStart without the memory of known periods (its test compares the two). */
export function computePeriodStart(at: Date, zone: string, period: 'week' | 'month'): Date {
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
