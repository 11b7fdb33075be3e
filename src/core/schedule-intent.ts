/**
 * `schedule set` from named values (days, time, tz, ...), for the text grammar and typed options alike:
 * each value checked, with an example of that option alone when it is wrong.
 */
import { QUIZ_KINDS, type Intent, type ScheduleOptions } from './commands.js';
import { DIFFICULTIES, type Difficulty } from './question-model.js';
import { clockTime, scheduleUsage, zoneOf } from './usage.js';

export interface ScheduleValues {
  days?: string;
  time?: string;
  tz?: string;
  cron?: string;
  difficulty?: string;
  topics?: string;
  categories?: string;
  kind?: string;
  /** yes/no as typed, or a platform's boolean. */
  blind?: string | boolean;
  window?: string;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function scheduleSetIntent(v: ScheduleValues): Intent {
  const o: ScheduleOptions = {};
  if (v.days !== undefined) o.days = daysOf(v.days);
  if (v.time !== undefined) {
    const time = clockTime(v.time);
    if (!time) throw scheduleUsage(`time must be HH:MM on a 24-hour clock (got "${v.time}").`, 'time', '09:00');
    o.time = time;
  }
  if (v.tz !== undefined) o.timezone = zoneOf(v.tz, 'schedule');
  if (v.cron !== undefined) o.cron = v.cron;
  if (v.difficulty !== undefined) o.difficulty = difficultyModeOf(v.difficulty.toLowerCase());
  const list = (value: string) => value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (v.topics !== undefined) o.topics = list(v.topics);
  if (v.categories !== undefined) o.categories = list(v.categories);
  const kind = v.kind?.toLowerCase();
  if (kind !== undefined) {
    if (!(QUIZ_KINDS as readonly string[]).includes(kind)) throw scheduleUsage(`kind must be open, choice or mixed (got "${kind}").`, 'kind', 'open');
    o.kinds = kind === 'mixed' ? [] : [kind as 'open' | 'choice'];
  }
  if (typeof v.blind === 'boolean') o.blind = v.blind;
  else if (v.blind !== undefined) {
    const blind = v.blind.toLowerCase();
    if (!['yes', 'no', 'true', 'false', 'on', 'off'].includes(blind)) throw scheduleUsage(`blind must be yes or no (got "${blind}").`, 'blind', 'yes');
    o.blind = ['yes', 'true', 'on'].includes(blind);
  }
  if (v.window !== undefined) {
    const m = /^(\d+)(m|h|d)$/.exec(v.window.toLowerCase());
    const minutes = m ? Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'] : NaN;
    if (!(minutes >= 5 && minutes <= 10080)) throw scheduleUsage(`window must be a duration from 5m to 7d, like 30m or 1d (got "${v.window}").`, 'window', '8h');
    o.windowMinutes = minutes;
  }
  return { cmd: 'schedule-set', options: o };
}

function difficultyModeOf(difficulty: string): NonNullable<ScheduleOptions['difficulty']> {
  if (difficulty === 'rotating') return { mode: 'rotating' };
  if (difficulty.startsWith('weighted:')) {
    const parts = difficulty.slice('weighted:'.length).split('/');
    if (parts.length !== 3 || parts.some((p) => !/^\d{1,2}$/.test(p)) || parts.every((p) => Number(p) === 0)) {
      throw scheduleUsage('weighted difficulty is three whole numbers for beginner/intermediate/advanced.', 'difficulty', 'weighted:1/2/1');
    }
    const [b, i, adv] = parts.map(Number) as [number, number, number];
    return { mode: 'weighted', weights: { beginner: b, intermediate: i, advanced: adv } };
  }
  if ((DIFFICULTIES as readonly string[]).includes(difficulty)) return { mode: 'fixed', difficulty: difficulty as Difficulty };
  throw scheduleUsage(`difficulty must be rotating, ${DIFFICULTIES.join(', ')} or weighted:B/I/A (got "${difficulty}").`, 'difficulty', 'rotating');
}

function daysOf(value: string): number[] {
  const v = value.toLowerCase();
  if (v === 'daily' || v === 'every-day' || v === 'everyday') return [1, 2, 3, 4, 5, 6, 7];
  if (v === 'weekdays') return [1, 2, 3, 4, 5];
  const days = new Set<number>();
  for (const part of v.split(',')) {
    const range = part.split('-');
    const idx = range.map((d) => DAY_NAMES.indexOf(d.slice(0, 3)));
    if (range.some((d) => d.length < 3) || idx.some((i) => i < 0) || range.length > 2) {
      throw scheduleUsage(`days must be day names like mon-fri, mon,wed,fri, weekdays or daily (got "${value}").`, 'days', 'mon-fri');
    }
    const [from, to = from] = idx as [number, number?];
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d + 1);
      if (d === to) break;
    }
  }
  return [...days].sort((x, y) => x - y);
}
