/**
 * The `/dojo` grammar: text in (Slack passes it as typed, Discord builds the same text from its typed
 * options, the playground reads it from a line), one intent out, or a usage message that explains what
 * was wrong and how to say it.
 */
import { CATEGORIES, DIFFICULTIES, type Category, type Difficulty } from './questions.js';
import { canonicalZone } from './time.js';

export const QUIZ_KINDS = ['choice', 'open', 'mixed'] as const;
export const PERIODS = ['week', 'month', 'season', 'all'] as const;
export const SCOPES = ['channel', 'team'] as const;
/** Which board: your league (the default in a season with several), everyone, most improved, personal bests, channels. */
export const BOARDS = ['league', 'all', 'improved', 'best', 'channels'] as const;
export const MAX_QUIZ_COUNT = 10;
export const MIN_SECONDS = 10;
export const MAX_SECONDS = 600;

export type QuizKind = (typeof QUIZ_KINDS)[number];
export type Period = (typeof PERIODS)[number];
export type Scope = (typeof SCOPES)[number];
export type Board = (typeof BOARDS)[number];

export interface ScheduleOptions {
  days?: number[];
  time?: string;
  timezone?: string;
  cron?: string;
  difficulty?: { mode: 'rotating' } | { mode: 'fixed'; difficulty: Difficulty } | { mode: 'weighted'; weights: Record<Difficulty, number> };
  topics?: string[];
  categories?: string[];
  kinds?: ('open' | 'choice')[];
  blind?: boolean;
  windowMinutes?: number;
}

export type Intent =
  | { cmd: 'help' }
  | { cmd: 'quiz'; topic?: string; difficulty?: Difficulty; category?: Category; kind: QuizKind; count: number; seconds: number }
  | { cmd: 'quiz-stop' }
  | { cmd: 'question'; topic?: string; difficulty?: Difficulty; category?: Category; kind?: 'open' | 'choice' }
  | { cmd: 'leaderboard'; period: Period; scope: Scope; board?: Board }
  | { cmd: 'stats'; userId?: string }
  | { cmd: 'review' }
  | { cmd: 'schedule-set'; options: ScheduleOptions }
  | { cmd: 'schedule-show' }
  | { cmd: 'schedule-off' }
  | { cmd: 'mentor-add'; userId: string; role: 'mentor' | 'admin' }
  | { cmd: 'mentor-remove'; userId: string }
  | { cmd: 'mentor-list' }
  /** A platform role (Discord role, Slack user group) whose holders become mentors or admins. */
  | { cmd: 'group-add'; groupId: string; groupName?: string; role: 'mentor' | 'admin' }
  | { cmd: 'group-remove'; groupId: string; groupName?: string }
  | { cmd: 'season-start'; name: string; until: string }
  | { cmd: 'season-end' }
  | { cmd: 'season-show'; name?: string }
  | { cmd: 'settings' }
  | { cmd: 'settings-set'; timezone: string }
  | { cmd: 'add-question' }
  | { cmd: 'team-questions'; action: 'list' } | { cmd: 'team-questions'; action: 'edit' | 'retire'; id: number }
  | { cmd: 'practice'; topic?: string }
  | { cmd: 'practice-daily'; time: string; timezone?: string }
  | { cmd: 'practice-off' }
  | { cmd: 'forget-me' }
  | { cmd: 'export' }
  | { cmd: 'export-mine' };

export type Parsed = { ok: true; intent: Intent } | { ok: false; error: string; usage: string };

/** One usage line per subcommand, for `/dojo help` and usage errors. */
export const USAGE: Record<string, string> = {
  help: '/dojo help — what you can do here',
  quiz: `/dojo quiz [topic:T] [difficulty:beginner|intermediate|advanced] [category:C] [kind:choice|open|mixed] [count:1-${MAX_QUIZ_COUNT}] [seconds:${MIN_SECONDS}-${MAX_SECONDS}] — run a quiz round in a thread; /dojo quiz stop ends it`,
  question: '/dojo question [topic] [difficulty] [category:C] [kind:open|choice] — one question for the channel now',
  leaderboard: '/dojo leaderboard [week|month|season|all] [channel|team] [board:league|all|improved|best|channels] — the top 10 and your rank; in a season your league, board:all for everyone',
  stats: '/dojo stats [@member] — answers, review scores, strongest and weakest topics, streaks',
  review: '/dojo review — review the oldest pending answer (mentors)',
  schedule:
    '/dojo schedule set [days:mon-fri] [time:09:00] [tz:Europe/Berlin] [cron:"0 9 * * 1-5"] [difficulty:rotating|beginner|…|weighted:1/2/1] [topics:a,b] [categories:technical,…] [kind:open|choice|mixed] [blind:yes|no] [window:8h] · /dojo schedule show · /dojo schedule off (admins)',
  mentor: '/dojo mentor add @member|@role [role:admin] · /dojo mentor remove @member|@role · /dojo mentor list',
  season: '/dojo season start NAME until:YYYY-MM-DD · /dojo season end · /dojo season show [NAME]',
  settings: '/dojo settings [tz:Europe/Berlin] — the team’s settings: the time zone of boards and seasons (admins change it)',
  'add-question': '/dojo add-question — propose a team question (mentors approve it)',
  'team-questions': '/dojo team-questions [edit N|retire N] — list, edit or retire your team’s own questions (mentors)',
  practice: '/dojo practice [topic:T|weakest] · /dojo practice daily 08:30 [tz:Europe/Berlin] · /dojo practice off — your due question, privately (spaced repetition); daily: one in your DMs at your time',
  'forget-me': '/dojo forget-me — delete your answers, reviews, points and practice (asks first)',
  mine: '/dojo export mine — everything I hold about you, as a file',
  export: '/dojo export — a CSV of the team’s answers and scores (admins)',
  show: '/dojo schedule show · /dojo season show · /dojo mentor list — this channel’s question of the day, the season, the mentors',
};

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Splits on spaces, keeping "quoted text" (straight or curly quotes) together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /(\S*?)["“”]([^"“”]*)["“”](\S*)|(\S+)/g;
  for (const m of text.matchAll(re)) {
    tokens.push(m[4] ?? `${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}`);
  }
  return tokens;
}

/** `<@U123>`, `<@U123|bob>` (Slack), `<@!123>` (Discord): the user id. */
export function parseMention(token: string): string | undefined {
  const m = /^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$/.exec(token);
  return m?.[1];
}

/** `<@&123>` (a Discord role), `<!subteam^S123|@mentors>` (a Slack user group): its id and name. */
export function parseGroupMention(token: string): { id: string; name?: string } | undefined {
  const m = /^<(?:@&|!subteam\^)([A-Za-z0-9_.-]+)(?:\|([^>]*))?>$/.exec(token);
  if (!m) return undefined;
  const name = m[2]?.replace(/^@/, '').trim();
  return { id: m[1]!, ...(name ? { name } : {}) };
}


class Usage extends Error {
  constructor(
    message: string,
    readonly sub: string,
    /** One example of the right way, shown instead of the whole usage line. */
    readonly example?: string,
  ) {
    super(message);
  }
}

const SCHEDULE_EXAMPLE = '/dojo schedule set days:mon-fri time:09:00 tz:Europe/Berlin';
/** Errors about one schedule option show an example of that option alone, not the whole usage line. */
const scheduleUsage = (message: string, option?: string, value?: string) =>
  new Usage(message, 'schedule', option ? `/dojo schedule set ${option}:${value}` : SCHEDULE_EXAMPLE);

interface Args {
  positional: string[];
  named: Map<string, string>;
}

function split(tokens: string[], sub: string, allowed: string[]): Args {
  const args: Args = { positional: [], named: new Map() };
  for (const token of tokens) {
    const m = /^([a-z-]+):(.*)$/i.exec(token);
    if (m && !token.startsWith('<')) {
      const key = m[1]!.toLowerCase();
      if (!allowed.includes(key)) {
        throw new Usage(allowed.length ? `"${key}" is not an option of ${sub}; options: ${allowed.join(', ')}.` : `${sub} takes no options.`, sub);
      }
      if (args.named.has(key)) throw new Usage(`${key} is given twice.`, sub);
      args.named.set(key, m[2] ?? '');
    } else {
      args.positional.push(token);
    }
  }
  return args;
}

function noPositional(args: Args, sub: string) {
  if (args.positional.length) throw new Usage(`I don't understand "${args.positional.join(' ')}".`, sub);
}

function intIn(value: string, name: string, min: number, max: number, sub: string): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Usage(`${name} must be a whole number from ${min} to ${max} (got "${value}").`, sub);
  }
  return Number(value);
}

/**
 * The question filters of quiz and question: named (`topic:databases`) or plain words, where a
 * difficulty or a category name is that, and one other word is the topic. An option given with
 * nothing after it is a mistake, not "any".
 */
function filters(a: Args, sub: string): { topic?: string; difficulty?: Difficulty; category?: Category } {
  for (const key of ['topic', 'difficulty', 'category', 'kind', 'count', 'seconds']) {
    if (a.named.get(key)?.trim() === '') throw new Usage(`${key}: needs a value, like ${EXAMPLE[key]}.`, sub);
  }
  let topic = a.named.get('topic')?.toLowerCase();
  let difficulty = a.named.has('difficulty') ? difficultyOf(a.named.get('difficulty')!, sub) : undefined;
  let category = a.named.has('category') ? categoryOf(a.named.get('category')!, sub) : undefined;
  for (const word of a.positional.map((w) => w.toLowerCase())) {
    const d = DIFFICULTIES.find((x) => x === word);
    const c = CATEGORIES.find((x) => x === word);
    if (d && !difficulty) difficulty = d;
    else if (c && !category) category = c;
    else if (!topic) topic = word;
    else throw new Usage(`I don't understand "${word}": give one topic, like /dojo ${sub} databases or topic:databases.`, sub);
  }
  return { ...(topic ? { topic } : {}), ...(difficulty ? { difficulty } : {}), ...(category ? { category } : {}) };
}

const EXAMPLE: Record<string, string> = { topic: 'topic:databases', difficulty: 'difficulty:beginner', category: 'category:behavioral', kind: 'kind:open', count: 'count:3', seconds: 'seconds:60' };

function categoryOf(value: string, sub: string): Category {
  const c = CATEGORIES.find((x) => x === value.toLowerCase());
  if (!c) throw new Usage(`category must be one of ${CATEGORIES.join(', ')} (got "${value}").`, sub);
  return c;
}

function difficultyOf(value: string, sub: string): Difficulty {
  const d = DIFFICULTIES.find((x) => x === value.toLowerCase());
  if (!d) throw new Usage(`difficulty must be one of ${DIFFICULTIES.join(', ')} (got "${value}").`, sub);
  return d;
}

export function parseCommand(text: string): Parsed {
  const tokens = tokenize(text.trim());
  const sub = (tokens[0] ?? 'help').toLowerCase();
  const rest = tokens.slice(1);
  try {
    return { ok: true, intent: parseSub(sub, rest) };
  } catch (error) {
    if (error instanceof Usage) {
      const example = error.example ?? (error.sub === 'schedule' ? SCHEDULE_EXAMPLE : undefined);
      return { ok: false, error: error.message, usage: example ? `Example: ${example}` : `Usage: ${USAGE[error.sub] ?? Object.values(USAGE).join('\n')}` };
    }
    throw error;
  }
}

function parseSub(sub: string, rest: string[]): Intent {
  switch (sub) {
    case 'help':
      return { cmd: 'help' };
    case 'quiz': {
      if (rest.length === 1 && rest[0]?.toLowerCase() === 'stop') return { cmd: 'quiz-stop' };
      const a = split(rest, sub, ['topic', 'difficulty', 'category', 'kind', 'count', 'seconds']);
      const f = filters(a, sub);
      const kind = a.named.get('kind')?.toLowerCase() ?? 'mixed';
      if (!(QUIZ_KINDS as readonly string[]).includes(kind)) throw new Usage(`kind must be choice, open or mixed (got "${kind}").`, sub);
      return {
        cmd: 'quiz',
        ...f,
        kind: kind as QuizKind,
        count: a.named.has('count') ? intIn(a.named.get('count')!, 'count', 1, MAX_QUIZ_COUNT, sub) : 5,
        seconds: a.named.has('seconds') ? intIn(a.named.get('seconds')!, 'seconds', MIN_SECONDS, MAX_SECONDS, sub) : kind === 'choice' ? 30 : 120,
      };
    }
    case 'question': {
      const a = split(rest, sub, ['topic', 'difficulty', 'category', 'kind']);
      const f = filters(a, sub);
      const kind = a.named.get('kind')?.toLowerCase();
      if (kind !== undefined && kind !== 'open' && kind !== 'choice') throw new Usage(`kind must be open or choice (got "${kind}").`, sub);
      return { cmd: 'question', ...f, ...(kind ? { kind } : {}) };
    }
    case 'leaderboard':
    case 'board': {
      let period: Period | undefined;
      let scope: Scope = 'team';
      let board: Board | undefined;
      for (const word of rest.map((w) => w.toLowerCase())) {
        if (word.startsWith('board:')) {
          const b = word.slice('board:'.length);
          if (!(BOARDS as readonly string[]).includes(b)) throw new Usage(`board must be one of ${BOARDS.join(', ')} (got "${b}").`, 'leaderboard');
          board = b as Board;
        } else if ((PERIODS as readonly string[]).includes(word)) period = word as Period;
        else if ((SCOPES as readonly string[]).includes(word)) scope = word as Scope;
        else throw new Usage(`"${word}" is not a period (week, month, season, all), a scope (channel, team) or a board (board:improved).`, 'leaderboard');
      }
      if ((board === 'improved' || board === 'best') && (period === 'season' || period === 'all')) {
        throw new Usage(`board:${board} compares weeks or months: say week or month.`, 'leaderboard');
      }
      if (scope === 'channel' && (board === 'league' || board === 'channels')) throw new Usage(`board:${board} is about the whole team: leave out channel.`, 'leaderboard');
      return { cmd: 'leaderboard', period: period ?? 'week', scope, ...(board ? { board } : {}) };
    }
    case 'stats': {
      if (rest.length === 0) return { cmd: 'stats' };
      const userId = rest.length === 1 ? parseMention(rest[0]!) : undefined;
      if (!userId) throw new Usage('Name one member with @, or nobody for your own stats.', sub);
      return { cmd: 'stats', userId };
    }
    case 'review':
      if (rest.length) throw new Usage('review takes no options.', sub);
      return { cmd: 'review' };
    case 'schedule':
      return parseSchedule(rest);
    case 'mentor':
    case 'mentors': {
      const action = rest[0]?.toLowerCase();
      if (action === 'list' && rest.length === 1) return { cmd: 'mentor-list' };
      if (action === 'add' || action === 'remove') {
        const a = split(rest.slice(1), 'mentor', action === 'add' ? ['role'] : []);
        const group = a.positional.length === 1 ? parseGroupMention(a.positional[0]!) : undefined;
        const groupRole = (a.named.get('role') ?? 'mentor').toLowerCase();
        if (group && groupRole !== 'mentor' && groupRole !== 'admin') throw new Usage(`role must be mentor or admin (got "${groupRole}").`, 'mentor');
        const named = group?.name ? { groupName: group.name } : {};
        if (group) return action === 'remove' ? { cmd: 'group-remove', groupId: group.id, ...named } : { cmd: 'group-add', groupId: group.id, ...named, role: groupRole as 'mentor' | 'admin' };
        const userId = a.positional.length === 1 ? parseMention(a.positional[0]!) : undefined;
        if (!userId) throw new Usage(`Name one member or role with @, like /dojo mentor ${action} @alex or @Mentors.`, 'mentor');
        if (action === 'remove') return { cmd: 'mentor-remove', userId };
        const role = (a.named.get('role') ?? 'mentor').toLowerCase();
        if (role !== 'mentor' && role !== 'admin') throw new Usage(`role must be mentor or admin (got "${role}").`, 'mentor');
        return { cmd: 'mentor-add', userId, role };
      }
      throw new Usage(action ? `"${action}" is not a mentor command.` : 'Say add, remove or list.', 'mentor');
    }
    case 'season': {
      const action = rest[0]?.toLowerCase();
      if (action === 'end' && rest.length === 1) return { cmd: 'season-end' };
      if (action === 'show') return { cmd: 'season-show', ...(rest.length > 1 ? { name: rest.slice(1).join(' ') } : {}) };
      if (action === 'start') {
        const a = split(rest.slice(1), 'season', ['until']);
        const name = a.positional.join(' ').trim();
        if (!name) throw new Usage('Give the season a name, like /dojo season start "Winter 2026" until:2027-03-01.', 'season');
        if (name.length > 60) throw new Usage('A season name is at most 60 characters.', 'season');
        const until = a.named.get('until');
        // Date.parse rolls 2027-02-30 over to 2 March; a date must read back as typed.
        if (!until || !/^\d{4}-\d{2}-\d{2}$/.test(until) || !isCalendarDate(until)) {
          throw new Usage(until && /^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until} is not a date on the calendar.` : 'until must be a date like 2027-03-01.', 'season');
        }
        return { cmd: 'season-start', name, until };
      }
      throw new Usage(action ? `"${action}" is not a season command.` : 'Say start, end or show.', 'season');
    }
    case 'settings': {
      const a = split(rest, sub, ['tz', 'timezone']);
      noPositional(a, sub);
      const tz = a.named.get('tz') ?? a.named.get('timezone');
      return tz === undefined ? { cmd: 'settings' } : { cmd: 'settings-set', timezone: zoneOf(tz, sub) };
    }
    case 'team-questions': {
      const action = (rest[0] ?? 'list').toLowerCase();
      if (action === 'list' && rest.length <= 1) return { cmd: 'team-questions', action: 'list' };
      if ((action === 'edit' || action === 'retire') && rest.length === 2) {
        return { cmd: 'team-questions', action, id: intIn(rest[1]!.replace(/^#/, ''), 'The question number', 1, 2_000_000_000, sub) };
      }
      throw new Usage('Say list, edit N or retire N (N is the number /dojo team-questions shows).', sub);
    }
    case 'practice':
      return parsePractice(rest);
    case 'export':
      if (rest.length === 1 && rest[0]!.toLowerCase() === 'mine') return { cmd: 'export-mine' };
      if (rest.length) throw new Usage('Say /dojo export mine for your own data (the team export takes no options).', sub);
      return { cmd: sub };
    case 'add-question':
    case 'forget-me':
      if (rest.length) throw new Usage(`${sub} takes no options.`, sub);
      return { cmd: sub };
    default:
      throw new Usage(`"${sub}" is not a dojo command. Try /dojo help.`, 'help');
  }
}

/** `HH:MM` on a 24-hour clock, zero-padded, or undefined. */
function clockTime(value: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  return m && Number(m[1]) <= 23 && Number(m[2]) <= 59 ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

function parsePractice(rest: string[]): Intent {
  const action = rest[0]?.toLowerCase();
  if (action === 'off' && rest.length === 1) return { cmd: 'practice-off' };
  if (action === 'daily') {
    const a = split(rest.slice(1), 'practice', ['time', 'tz', 'timezone']);
    const given = a.named.get('time') ?? a.positional[0];
    if (a.positional.length > (a.named.has('time') ? 0 : 1)) throw new Usage(`I don't understand "${a.positional.join(' ')}".`, 'practice', '/dojo practice daily 08:30 tz:Europe/Berlin');
    const time = given === undefined ? undefined : clockTime(given);
    if (!time) throw new Usage(given ? `The time must be HH:MM on a 24-hour clock (got "${given}").` : 'Give a time, like 08:30.', 'practice', '/dojo practice daily 08:30 tz:Europe/Berlin');
    const tz = a.named.get('tz') ?? a.named.get('timezone');
    return { cmd: 'practice-daily', time, ...(tz !== undefined ? { timezone: zoneOf(tz, 'practice') } : {}) };
  }
  const a = split(rest, 'practice', ['topic']);
  if (a.positional.length > 1 || (a.positional.length && a.named.has('topic'))) throw new Usage(`I don't understand "${a.positional.join(' ')}".`, 'practice');
  const topic = (a.named.get('topic') ?? a.positional[0])?.toLowerCase();
  if (topic === '') throw new Usage('topic: needs a value, like topic:databases or topic:weakest.', 'practice');
  return { cmd: 'practice', ...(topic ? { topic } : {}) };
}

function parseSchedule(rest: string[]): Intent {
  const action = rest[0]?.toLowerCase();
  if (action === 'show' && rest.length === 1) return { cmd: 'schedule-show' };
  if (action === 'off' && rest.length === 1) return { cmd: 'schedule-off' };
  if (action !== 'set') throw new Usage(action ? `"${action}" is not a schedule command.` : 'Say set, show or off.', 'schedule', `${SCHEDULE_EXAMPLE} · /dojo schedule show · /dojo schedule off`);
  const a = split(rest.slice(1), 'schedule', ['days', 'time', 'tz', 'timezone', 'cron', 'difficulty', 'topics', 'categories', 'kind', 'blind', 'window']);
  noPositional(a, 'schedule');
  const o: ScheduleOptions = {};
  const days = a.named.get('days');
  if (days !== undefined) o.days = parseDays(days);
  const time = a.named.get('time');
  if (time !== undefined) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(time);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw scheduleUsage(`time must be HH:MM on a 24-hour clock (got "${time}").`, 'time', '09:00');
    o.time = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  }
  const tz = a.named.get('tz') ?? a.named.get('timezone');
  if (tz !== undefined) o.timezone = zoneOf(tz, 'schedule');
  const cron = a.named.get('cron');
  if (cron !== undefined) o.cron = cron;
  const difficulty = a.named.get('difficulty')?.toLowerCase();
  if (difficulty !== undefined) {
    if (difficulty === 'rotating') o.difficulty = { mode: 'rotating' };
    else if (difficulty.startsWith('weighted:')) {
      const parts = difficulty.slice('weighted:'.length).split('/');
      if (parts.length !== 3 || parts.some((p) => !/^\d{1,2}$/.test(p)) || parts.every((p) => Number(p) === 0)) {
        throw scheduleUsage('weighted difficulty is three whole numbers for beginner/intermediate/advanced.', 'difficulty', 'weighted:1/2/1');
      }
      const [b, i, adv] = parts.map(Number) as [number, number, number];
      o.difficulty = { mode: 'weighted', weights: { beginner: b, intermediate: i, advanced: adv } };
    } else if ((DIFFICULTIES as readonly string[]).includes(difficulty)) o.difficulty = { mode: 'fixed', difficulty: difficulty as Difficulty };
    else throw scheduleUsage(`difficulty must be rotating, ${DIFFICULTIES.join(', ')} or weighted:B/I/A (got "${difficulty}").`, 'difficulty', 'rotating');
  }
  const list = (value: string) => value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (a.named.has('topics')) o.topics = list(a.named.get('topics')!);
  if (a.named.has('categories')) o.categories = list(a.named.get('categories')!);
  const kind = a.named.get('kind')?.toLowerCase();
  if (kind !== undefined) {
    if (!(QUIZ_KINDS as readonly string[]).includes(kind)) throw scheduleUsage(`kind must be open, choice or mixed (got "${kind}").`, 'kind', 'open');
    o.kinds = kind === 'mixed' ? [] : [kind as 'open' | 'choice'];
  }
  const blind = a.named.get('blind')?.toLowerCase();
  if (blind !== undefined) {
    if (!['yes', 'no', 'true', 'false', 'on', 'off'].includes(blind)) throw scheduleUsage(`blind must be yes or no (got "${blind}").`, 'blind', 'yes');
    o.blind = ['yes', 'true', 'on'].includes(blind);
  }
  const window = a.named.get('window');
  if (window !== undefined) {
    const m = /^(\d+)(m|h|d)$/.exec(window.toLowerCase());
    const minutes = m ? Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'] : NaN;
    if (!(minutes >= 5 && minutes <= 10080)) throw scheduleUsage(`window must be a duration from 5m to 7d, like 30m or 1d (got "${window}").`, 'window', '8h');
    o.windowMinutes = minutes;
  }
  return { cmd: 'schedule-set', options: o };
}

function isCalendarDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
}

/** A zone as its canonical IANA name (`utc` -> `UTC`), or a usage error naming it. */
function zoneOf(tz: string, sub: string): string {
  const zone = canonicalZone(tz);
  if (!zone) throw new Usage(`"${tz}" is not a time zone I know; use an IANA name like America/New_York.`, sub, `/dojo ${sub === 'schedule' ? 'schedule set' : sub === 'practice' ? 'practice daily 08:30' : sub} tz:Europe/Berlin`);
  return zone;
}

function parseDays(value: string): number[] {
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

/** The help lines a member with this role may use. */
export function helpLines(role: 'admin' | 'mentor' | 'member'): string[] {
  const member = ['quiz', 'question', 'leaderboard', 'stats', 'practice', 'add-question', 'mine', 'forget-me', 'help', 'show'];
  const mentor = [...member, 'review', 'team-questions'];
  const admin = [...mentor.filter((k) => k !== 'show'), 'schedule', 'mentor', 'season', 'settings', 'export'];
  const allowed = role === 'admin' ? admin : role === 'mentor' ? mentor : member;
  return allowed.map((k) => USAGE[k]!);
}
