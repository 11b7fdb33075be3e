/**
 * `/dojo help` and usage lines as the platform takes `/dojo`: as text (`/dojo quiz stop`: Slack, the
 * playground), or as the platform's own subcommands and options (`/dojo quiz-stop`: Discord).
 */
import { MAX_QUIZ_COUNT, MAX_SECONDS, MIN_SECONDS } from './commands.js';
import type { ChatCapabilities } from './ports.js';

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

/** The help lines a member with this role may use. */
export function helpLines(role: 'admin' | 'mentor' | 'member'): string[] {
  const member = ['quiz', 'question', 'leaderboard', 'stats', 'practice', 'add-question', 'mine', 'forget-me', 'help', 'show'];
  const mentor = [...member, 'review', 'team-questions'];
  const admin = [...mentor.filter((k) => k !== 'show'), 'schedule', 'mentor', 'season', 'settings', 'export'];
  const allowed = role === 'admin' ? admin : role === 'mentor' ? mentor : member;
  return allowed.map((k) => USAGE[k]!);
}

type Style = ChatCapabilities['commandStyle'];

/**
 * Where `/dojo` takes typed options, the lines that read differently: option names where the text
 * grammar has positional words, and subcommand names that differ (test/unit/help.test.ts checks every
 * line against the registered Discord command). Lines not here read the same on every platform.
 */
const OPTION_USAGE: Record<string, string> = {
  quiz: `/dojo quiz [topic] [difficulty] [category] [kind] [count:1-${MAX_QUIZ_COUNT}] [seconds:${MIN_SECONDS}-${MAX_SECONDS}] — run a quiz round in a thread; /dojo quiz-stop ends it`,
  leaderboard: '/dojo leaderboard [period:week|month|season|all] [scope:channel|team] [board:league|all|improved|best|channels] — the top 10 and your rank; in a season your league, board:all for everyone',
  stats: '/dojo stats [member:@someone] — answers, review scores, strongest and weakest topics, streaks',
  schedule:
    '/dojo schedule set [days:mon-fri] [time:09:00] [tz:Europe/Berlin] [cron:0 9 * * 1-5] [difficulty:rotating|beginner|…|weighted:1/2/1] [topics:a,b] [categories:technical,…] [kind] [blind] [window:8h] · /dojo schedule show · /dojo schedule off (admins)',
  mentor: '/dojo mentor add member:@someone or group:@role [role:admin] · /dojo mentor remove member:@someone or group:@role · /dojo mentor list',
  season: '/dojo season start name:NAME until:YYYY-MM-DD · /dojo season end · /dojo season show [name:NAME]',
  practice: '/dojo practice [topic:T|weakest] · /dojo practice-daily time:08:30 [tz:Europe/Berlin] · /dojo practice-off — your due question, privately (spaced repetition); daily: one in your DMs at your time',
  mine: '/dojo export-mine — everything I hold about you, as a file',
  'team-questions': '/dojo team-questions list · /dojo team-questions edit number:N · /dojo team-questions retire number:N — list, edit or retire your team’s own questions (mentors)',
};

/** Subcommands written as other words where `/dojo` takes options. */
const OPTION_WORDS: Record<string, string> = { 'quiz stop': 'quiz-stop', 'practice off': 'practice-off', 'practice daily': 'practice-daily', 'export mine': 'export-mine' };

/** `/dojo <words>` as this platform takes it (`quiz stop` is `quiz-stop` on Discord). */
export function commandFor(style: Style, words: string): string {
  return `/dojo ${style === 'options' ? (OPTION_WORDS[words] ?? words) : words}`;
}

/** The help lines a member with this role may use, as this platform takes them. */
export function helpFor(role: 'admin' | 'mentor' | 'member', style: Style): string[] {
  const lines = helpLines(role);
  if (style === 'text') return lines;
  return lines.map((line) => {
    const key = Object.keys(USAGE).find((k) => USAGE[k] === line);
    return (key && OPTION_USAGE[key]) || line;
  });
}

/** A usage line from the grammar (parseCommand's), as this platform takes it. */
export function usageFor(usage: string, style: Style): string {
  // The grammar says "Usage: <line>" (or "Example: ..." for one option): swap in this platform's line.
  const prefix = 'Usage: ';
  if (style === 'text' || !usage.startsWith(prefix)) return usage;
  const lines = usage.slice(prefix.length).split('\n');
  const platform = lines.map((line) => OPTION_USAGE[Object.keys(USAGE).find((k) => USAGE[k] === line) ?? ''] ?? line);
  return `${prefix}${platform.join('\n')}`;
}
