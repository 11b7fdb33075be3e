/**
 * Intents from named values, checked the same way whatever form the command came in: the text grammar
 * (grammar.ts) and Discord's typed options (adapters/discord/intent.ts) both end here, so a bad value
 * gets the same friendly message (usage.ts), with the usage line or an example of the right way.
 */
import { BOARDS, MAX_QUIZ_COUNT, MAX_SECONDS, MIN_SECONDS, PERIODS, QUIZ_KINDS, SCOPES, type Board, type Intent, type Period, type QuizKind, type Scope } from './commands.js';
import { CATEGORIES, DIFFICULTIES, type Category, type Difficulty } from './question-model.js';
import { clockTime, intIn, Usage, zoneOf } from './usage.js';

const EXAMPLE: Record<string, string> = { topic: 'topic:databases', difficulty: 'difficulty:beginner', category: 'category:behavioral', kind: 'kind:open', count: 'count:3', seconds: 'seconds:60' };

/** An option given with nothing after it is a mistake, not "any". */
function noneEmpty(values: Record<string, string | number | undefined>, sub: string): void {
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') throw new Usage(`${key}: needs a value, like ${EXAMPLE[key] ?? `${key}:…`}.`, sub);
  }
}

export function categoryOf(value: string, sub: string): Category {
  const c = CATEGORIES.find((x) => x === value.toLowerCase());
  if (!c) throw new Usage(`category must be one of ${CATEGORIES.join(', ')} (got "${value}").`, sub);
  return c;
}

export function difficultyOf(value: string, sub: string): Difficulty {
  const d = DIFFICULTIES.find((x) => x === value.toLowerCase());
  if (!d) throw new Usage(`difficulty must be one of ${DIFFICULTIES.join(', ')} (got "${value}").`, sub);
  return d;
}

export interface FilterValues {
  topic?: string;
  difficulty?: string;
  category?: string;
  kind?: string;
}

function filtersOf(v: FilterValues, sub: string): { topic?: string; difficulty?: Difficulty; category?: Category } {
  const topic = v.topic?.toLowerCase();
  const difficulty = v.difficulty !== undefined ? difficultyOf(v.difficulty, sub) : undefined;
  const category = v.category !== undefined ? categoryOf(v.category, sub) : undefined;
  return { ...(topic ? { topic } : {}), ...(difficulty ? { difficulty } : {}), ...(category ? { category } : {}) };
}

export function quizIntent(v: FilterValues & { count?: string | number; seconds?: string | number }): Intent {
  noneEmpty({ ...v }, 'quiz');
  const f = filtersOf(v, 'quiz');
  const kind = v.kind?.toLowerCase() ?? 'mixed';
  if (!(QUIZ_KINDS as readonly string[]).includes(kind)) throw new Usage(`kind must be choice, open or mixed (got "${kind}").`, 'quiz');
  return {
    cmd: 'quiz',
    ...f,
    kind: kind as QuizKind,
    count: v.count !== undefined ? intIn(v.count, 'count', 1, MAX_QUIZ_COUNT, 'quiz') : 5,
    seconds: v.seconds !== undefined ? intIn(v.seconds, 'seconds', MIN_SECONDS, MAX_SECONDS, 'quiz') : kind === 'choice' ? 30 : 120,
  };
}

export function questionIntent(v: FilterValues): Intent {
  noneEmpty({ ...v }, 'question');
  const f = filtersOf(v, 'question');
  const kind = v.kind?.toLowerCase();
  if (kind !== undefined && kind !== 'open' && kind !== 'choice') throw new Usage(`kind must be open or choice (got "${kind}").`, 'question');
  return { cmd: 'question', ...f, ...(kind ? { kind } : {}) };
}

export function leaderboardIntent(v: { period?: string; scope?: string; board?: string }): Intent {
  const bad = (word: string) => new Usage(`"${word}" is not a period (week, month, season, all), a scope (channel, team) or a board (board:improved).`, 'leaderboard');
  const period = v.period?.toLowerCase();
  const scope = v.scope?.toLowerCase() ?? 'team';
  const board = v.board?.toLowerCase();
  if (period !== undefined && !(PERIODS as readonly string[]).includes(period)) throw bad(period);
  if (!(SCOPES as readonly string[]).includes(scope)) throw bad(scope);
  if (board !== undefined && !(BOARDS as readonly string[]).includes(board)) throw new Usage(`board must be one of ${BOARDS.join(', ')} (got "${board}").`, 'leaderboard');
  if ((board === 'improved' || board === 'best') && (period === 'season' || period === 'all')) {
    throw new Usage(`board:${board} compares weeks or months: say week or month.`, 'leaderboard');
  }
  if (scope === 'channel' && (board === 'league' || board === 'channels')) throw new Usage(`board:${board} is about the whole team: leave out channel.`, 'leaderboard');
  return { cmd: 'leaderboard', period: (period ?? 'week') as Period, scope: scope as Scope, ...(board ? { board: board as Board } : {}) };
}

/** A platform role (Discord role, Slack user group): its id, and its name where the platform says it. */
export interface GroupValue {
  id: string;
  name?: string;
}

/** `mentor add|remove` of one member or one group (never both, never neither). */
export function mentorIntent(action: 'add' | 'remove', v: { userId?: string; group?: GroupValue; role?: string }): Intent {
  const role = (v.role ?? 'mentor').toLowerCase();
  if (v.group && !v.userId) {
    const named = v.group.name?.trim() ? { groupName: v.group.name.trim() } : {};
    if (action === 'remove') return { cmd: 'group-remove', groupId: v.group.id, ...named };
    if (role !== 'mentor' && role !== 'admin') throw new Usage(`role must be mentor or admin (got "${role}").`, 'mentor');
    return { cmd: 'group-add', groupId: v.group.id, ...named, role };
  }
  if (!v.userId || v.group) throw new Usage(`Name one member or role with @, like /dojo mentor ${action} @alex or @Mentors.`, 'mentor');
  if (action === 'remove') return { cmd: 'mentor-remove', userId: v.userId };
  if (role !== 'mentor' && role !== 'admin') throw new Usage(`role must be mentor or admin (got "${role}").`, 'mentor');
  return { cmd: 'mentor-add', userId: v.userId, role };
}

function isCalendarDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

export function seasonStartIntent(v: { name?: string; until?: string }): Intent {
  const name = v.name?.trim() ?? '';
  if (!name) throw new Usage('Give the season a name, like /dojo season start "Winter 2026" until:2027-03-01.', 'season');
  if (name.length > 60) throw new Usage('A season name is at most 60 characters.', 'season');
  const until = v.until;
  // Date.parse rolls 2027-02-30 over to 2 March; a date must read back as typed.
  if (!until || !/^\d{4}-\d{2}-\d{2}$/.test(until) || !isCalendarDate(until)) {
    throw new Usage(until && /^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until} is not a date on the calendar.` : 'until must be a date like 2027-03-01.', 'season');
  }
  return { cmd: 'season-start', name, until };
}

export function seasonShowIntent(name?: string): Intent {
  const trimmed = name?.trim();
  return { cmd: 'season-show', ...(trimmed ? { name: trimmed } : {}) };
}

export function settingsIntent(tz?: string): Intent {
  return tz === undefined ? { cmd: 'settings' } : { cmd: 'settings-set', timezone: zoneOf(tz, 'settings') };
}

export function teamQuestionsIntent(action: 'edit' | 'retire', id: string | number): Intent {
  return { cmd: 'team-questions', action, id: intIn(id, 'The question number', 1, 2_000_000_000, 'team-questions') };
}

export function practiceIntent(topic?: string): Intent {
  const t = topic?.trim().toLowerCase();
  if (t === '') throw new Usage('topic: needs a value, like topic:databases or topic:weakest.', 'practice');
  return { cmd: 'practice', ...(t ? { topic: t } : {}) };
}

const PRACTICE_DAILY_EXAMPLE = '/dojo practice daily 08:30 tz:Europe/Berlin';

export function practiceDailyIntent(v: { time?: string; tz?: string }): Intent {
  const time = v.time === undefined ? undefined : clockTime(v.time);
  if (!time) throw new Usage(v.time ? `The time must be HH:MM on a 24-hour clock (got "${v.time}").` : 'Give a time, like 08:30.', 'practice', PRACTICE_DAILY_EXAMPLE);
  return { cmd: 'practice-daily', time, ...(v.tz !== undefined ? { timezone: zoneOf(v.tz, 'practice') } : {}) };
}
