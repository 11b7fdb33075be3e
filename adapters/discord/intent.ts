/**
 * A slash command's typed options -> the core's intent, built with the core's own builders, so a bad
 * value gets the same friendly message as on Slack, and no value is turned back into text to be
 * parsed again (a season named `Winter "Cup" 2026` reaches the core as it was typed).
 */
import { ApplicationCommandOptionType, type CommandInteractionOption } from 'discord.js';
import type { Intent, Parsed } from '../../src/core/commands.js';
import { leaderboardIntent, mentorIntent, practiceDailyIntent, practiceIntent, questionIntent, quizIntent, seasonShowIntent, seasonStartIntent, settingsIntent, teamQuestionsIntent, type GroupValue } from '../../src/core/intents.js';
import { scheduleSetIntent } from '../../src/core/schedule-intent.js';
import { parsedFrom, Usage } from '../../src/core/usage.js';

/** The subcommand's words (`['season', 'start']`) and its options by name. */
export interface Invocation {
  path: string[];
  options: Map<string, CommandInteractionOption>;
}

export function invocationOf(data: readonly CommandInteractionOption[]): Invocation {
  const path: string[] = [];
  const options = new Map<string, CommandInteractionOption>();
  const walk = (list: readonly CommandInteractionOption[]) => {
    for (const option of list) {
      if (option.type === ApplicationCommandOptionType.SubcommandGroup || option.type === ApplicationCommandOptionType.Subcommand) {
        path.push(option.name);
        walk(option.options ?? []);
      } else {
        options.set(option.name, option);
      }
    }
  };
  walk(data);
  return { path, options };
}

/** Typed reads of the options; a value of another type than registered is said, not guessed at. */
class Values {
  constructor(
    private readonly options: Map<string, CommandInteractionOption>,
    private readonly sub: string,
  ) {}

  private read<T>(name: string, type: ApplicationCommandOptionType, check: (v: unknown) => v is T): T | undefined {
    const option = this.options.get(name);
    if (!option) return undefined;
    if (option.type !== type || !check(option.value)) throw new Usage(`${name} has a value of the wrong kind; run the command again.`, this.sub);
    return option.value;
  }

  string(name: string): string | undefined {
    return this.read(name, ApplicationCommandOptionType.String, (v): v is string => typeof v === 'string');
  }

  integer(name: string): number | undefined {
    return this.read(name, ApplicationCommandOptionType.Integer, (v): v is number => typeof v === 'number');
  }

  boolean(name: string): boolean | undefined {
    return this.read(name, ApplicationCommandOptionType.Boolean, (v): v is boolean => typeof v === 'boolean');
  }

  /** A user option: the user's id. */
  user(name: string): string | undefined {
    return this.read(name, ApplicationCommandOptionType.User, (v): v is string => typeof v === 'string');
  }

  /** A role option: its id and, when Discord resolved it, its name. */
  role(name: string): GroupValue | undefined {
    const id = this.read(name, ApplicationCommandOptionType.Role, (v): v is string => typeof v === 'string');
    const roleName = this.options.get(name)?.role?.name;
    return id === undefined ? undefined : { id, ...(roleName ? { name: roleName } : {}) };
  }

  /** The named string options that are given, as a record for the core's builders. */
  strings<K extends string>(...names: K[]): Partial<Record<K, string>> {
    const out: Partial<Record<K, string>> = {};
    for (const name of names) {
      const value = this.string(name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function build(path: string[], v: Values): Intent {
  switch (path.join(' ')) {
    case 'help':
      return { cmd: 'help' };
    case 'quiz':
      return quizIntent(defined({ ...v.strings('topic', 'difficulty', 'category', 'kind'), count: v.integer('count'), seconds: v.integer('seconds') }));
    case 'quiz-stop':
      return { cmd: 'quiz-stop' };
    case 'question':
      return questionIntent(v.strings('topic', 'difficulty', 'category', 'kind'));
    case 'leaderboard':
      return leaderboardIntent(v.strings('period', 'scope', 'board'));
    case 'stats': {
      const userId = v.user('member');
      return userId ? { cmd: 'stats', userId } : { cmd: 'stats' };
    }
    case 'review':
    case 'add-question':
    case 'practice-off':
    case 'forget-me':
    case 'export':
    case 'export-mine':
      return { cmd: path[0] as 'review' | 'add-question' | 'practice-off' | 'forget-me' | 'export' | 'export-mine' };
    case 'practice':
      return practiceIntent(v.string('topic'));
    case 'practice-daily':
      return practiceDailyIntent(v.strings('time', 'tz'));
    case 'schedule set':
      return scheduleSetIntent(defined({ ...v.strings('days', 'time', 'tz', 'cron', 'difficulty', 'topics', 'categories', 'kind', 'window'), blind: v.boolean('blind') }));
    case 'schedule show':
      return { cmd: 'schedule-show' };
    case 'schedule off':
      return { cmd: 'schedule-off' };
    case 'mentor add':
    case 'mentor remove':
      return mentorIntent(path[1] as 'add' | 'remove', defined({ userId: v.user('member'), group: v.role('group'), role: v.string('role') }));
    case 'mentor list':
      return { cmd: 'mentor-list' };
    case 'season start':
      return seasonStartIntent(v.strings('name', 'until'));
    case 'season end':
      return { cmd: 'season-end' };
    case 'season show':
      return seasonShowIntent(v.string('name'));
    case 'settings':
      return settingsIntent(v.string('tz'));
    case 'team-questions list':
      return { cmd: 'team-questions', action: 'list' };
    case 'team-questions edit':
    case 'team-questions retire':
      return teamQuestionsIntent(path[1] as 'edit' | 'retire', v.integer('number') ?? '');
    default:
      throw new Usage(`"${path.join(' ')}" is not a dojo command. Try /dojo help.`, 'help');
  }
}

/** The intent of a slash command (or the friendly error its values gave), from its typed options. */
export function commandIntent(data: readonly CommandInteractionOption[]): { words: string; parsed: Parsed } {
  const { path, options } = invocationOf(data);
  const sub = path[0] ?? 'help';
  return { words: path.join(' ') || 'help', parsed: parsedFrom(() => build(path.length ? path : ['help'], new Values(options, sub))) };
}
