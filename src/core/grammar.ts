/**
 * The `/dojo` text grammar (Slack, the playground): words in, one intent out, or a usage message that
 * explains what was wrong and how to say it. Named options (`topic:databases`) and plain words are
 * sorted out here; the values are checked by the builders every platform shares (intents.ts).
 */
import { CATEGORIES, DIFFICULTIES } from './question-model.js';
import { PERIODS, SCOPES, type Intent, type Parsed } from './commands.js';
import { leaderboardIntent, mentorIntent, practiceDailyIntent, practiceIntent, questionIntent, quizIntent, seasonShowIntent, seasonStartIntent, settingsIntent, teamQuestionsIntent, type FilterValues } from './intents.js';
import { scheduleSetIntent } from './schedule-intent.js';
import { parsedFrom, SCHEDULE_EXAMPLE, Usage } from './usage.js';

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

/**
 * The question filters of quiz and question, named (`topic:databases`) or plain words, where a
 * difficulty or a category name is that, and one other word is the topic.
 */
function filters(a: Args, sub: string): FilterValues & Record<string, string | undefined> {
  const values: Record<string, string | undefined> = Object.fromEntries(a.named);
  for (const word of a.positional.map((w) => w.toLowerCase())) {
    const d = DIFFICULTIES.find((x) => x === word);
    const c = CATEGORIES.find((x) => x === word);
    if (d && values.difficulty === undefined) values.difficulty = d;
    else if (c && values.category === undefined) values.category = c;
    else if (values.topic === undefined) values.topic = word;
    else throw new Usage(`I don't understand "${word}": give one topic, like /dojo ${sub} databases or topic:databases.`, sub);
  }
  return values;
}

export function parseCommand(text: string): Parsed {
  const tokens = tokenize(text.trim());
  const sub = (tokens[0] ?? 'help').toLowerCase();
  return parsedFrom(() => parseSub(sub, tokens.slice(1)));
}

function parseSub(sub: string, rest: string[]): Intent {
  switch (sub) {
    case 'help':
      return { cmd: 'help' };
    case 'quiz':
      if (rest.length === 1 && rest[0]?.toLowerCase() === 'stop') return { cmd: 'quiz-stop' };
      return quizIntent(filters(split(rest, sub, ['topic', 'difficulty', 'category', 'kind', 'count', 'seconds']), sub));
    case 'question':
      return questionIntent(filters(split(rest, sub, ['topic', 'difficulty', 'category', 'kind']), sub));
    case 'leaderboard':
    case 'board': {
      const values: { period?: string; scope?: string; board?: string } = {};
      for (const word of rest.map((w) => w.toLowerCase())) {
        if (word.startsWith('board:')) values.board = word.slice('board:'.length);
        else if ((PERIODS as readonly string[]).includes(word)) values.period = word;
        else if ((SCOPES as readonly string[]).includes(word)) values.scope = word;
        else throw new Usage(`"${word}" is not a period (week, month, season, all), a scope (channel, team) or a board (board:improved).`, 'leaderboard');
      }
      return leaderboardIntent(values);
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
        const only = a.positional.length === 1 ? a.positional[0]! : undefined;
        const group = only === undefined ? undefined : parseGroupMention(only);
        const userId = only === undefined || group ? undefined : parseMention(only);
        return mentorIntent(action, { ...(userId ? { userId } : {}), ...(group ? { group } : {}), ...(a.named.has('role') ? { role: a.named.get('role')! } : {}) });
      }
      throw new Usage(action ? `"${action}" is not a mentor command.` : 'Say add, remove or list.', 'mentor');
    }
    case 'season': {
      const action = rest[0]?.toLowerCase();
      if (action === 'end' && rest.length === 1) return { cmd: 'season-end' };
      if (action === 'show') return seasonShowIntent(rest.slice(1).join(' '));
      if (action === 'start') {
        const a = split(rest.slice(1), 'season', ['until']);
        return seasonStartIntent({ name: a.positional.join(' '), ...(a.named.has('until') ? { until: a.named.get('until')! } : {}) });
      }
      throw new Usage(action ? `"${action}" is not a season command.` : 'Say start, end or show.', 'season');
    }
    case 'settings': {
      const a = split(rest, sub, ['tz', 'timezone']);
      noPositional(a, sub);
      return settingsIntent(a.named.get('tz') ?? a.named.get('timezone'));
    }
    case 'team-questions': {
      const action = (rest[0] ?? 'list').toLowerCase();
      if (action === 'list' && rest.length <= 1) return { cmd: 'team-questions', action: 'list' };
      if ((action === 'edit' || action === 'retire') && rest.length === 2) return teamQuestionsIntent(action, rest[1]!.replace(/^#/, ''));
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

function parsePractice(rest: string[]): Intent {
  const action = rest[0]?.toLowerCase();
  if (action === 'off' && rest.length === 1) return { cmd: 'practice-off' };
  if (action === 'daily') {
    const a = split(rest.slice(1), 'practice', ['time', 'tz', 'timezone']);
    if (a.positional.length > (a.named.has('time') ? 0 : 1)) throw new Usage(`I don't understand "${a.positional.join(' ')}".`, 'practice', '/dojo practice daily 08:30 tz:Europe/Berlin');
    const time = a.named.get('time') ?? a.positional[0];
    const tz = a.named.get('tz') ?? a.named.get('timezone');
    return practiceDailyIntent({ ...(time !== undefined ? { time } : {}), ...(tz !== undefined ? { tz } : {}) });
  }
  const a = split(rest, 'practice', ['topic']);
  if (a.positional.length > 1 || (a.positional.length && a.named.has('topic'))) throw new Usage(`I don't understand "${a.positional.join(' ')}".`, 'practice');
  return practiceIntent(a.named.get('topic') ?? a.positional[0]);
}

function parseSchedule(rest: string[]): Intent {
  const action = rest[0]?.toLowerCase();
  if (action === 'show' && rest.length === 1) return { cmd: 'schedule-show' };
  if (action === 'off' && rest.length === 1) return { cmd: 'schedule-off' };
  if (action !== 'set') throw new Usage(action ? `"${action}" is not a schedule command.` : 'Say set, show or off.', 'schedule', `${SCHEDULE_EXAMPLE} · /dojo schedule show · /dojo schedule off`);
  const a = split(rest.slice(1), 'schedule', ['days', 'time', 'tz', 'timezone', 'cron', 'difficulty', 'topics', 'categories', 'kind', 'blind', 'window']);
  noPositional(a, 'schedule');
  const { timezone, ...values } = Object.fromEntries(a.named);
  return scheduleSetIntent({ ...values, ...(values.tz === undefined && timezone !== undefined ? { tz: timezone } : {}) });
}
