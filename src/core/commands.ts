/**
 * What a `/dojo` command asks for, as the core reads it: one Intent per subcommand, with its values
 * checked. Platforms get there two ways: text through the grammar (grammar.ts: Slack, the playground)
 * or typed options through the shared builders (intents.ts: Discord).
 */
import type { Category, Difficulty } from './question-model.js';

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
