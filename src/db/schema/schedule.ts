import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type DifficultyPolicy =
  | { mode: 'fixed'; difficulty: 'beginner' | 'intermediate' | 'advanced' }
  | { mode: 'rotating' }
  | { mode: 'weighted'; weights: { beginner: number; intermediate: number; advanced: number } };

export interface ScheduleTable {
  id: Generated<number>;
  team_id: string;
  channel_id: number;
  days: number[];
  local_time: string;
  timezone: string;
  cron: string | null;
  difficulty_policy: ColumnType<DifficultyPolicy, string | DifficultyPolicy, string | DifficultyPolicy>;
  topics: string[];
  categories: string[];
  kinds: ('open' | 'choice')[];
  blind: boolean;
  window_minutes: number;
  enabled: boolean;
  paused_reason: string | null;
  next_run_at: Date | null;
  failure_count: Generated<number>;
  last_error: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ScheduleRow = Selectable<ScheduleTable>;
export type NewScheduleRow = Insertable<ScheduleTable>;
export interface PartialDB { schedule: ScheduleTable }
