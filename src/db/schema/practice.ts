import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string | T, string | T>;

/** A member's FSRS card for one question (ts-fsrs's Card, plus what undoes its last review). */
export interface PracticeCardTable {
  member_id: number;
  question_id: number;
  team_id: string;
  due: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  /** 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  last_review: Date | null;
  /** 1 again, 2 hard, 3 good, 4 easy. */
  last_rating: number | null;
  /** What gave the last review (`round:12`, `review:41`, `practice:3`): the same source again replaces it. */
  last_source: string | null;
  /** The card before its last review, as JSON. */
  previous: Json<Record<string, unknown> | null>;
  updated_at: Generated<Date>;
}

/** A member's opt-in daily practice DM. */
export interface PracticeReminderTable {
  member_id: number;
  team_id: string;
  local_time: string;
  timezone: string;
  next_at: Date;
  last_sent_at: Date | null;
  created_at: Generated<Date>;
}

export type PracticeCardRow = Selectable<PracticeCardTable>;
export type NewPracticeCardRow = Insertable<PracticeCardTable>;
export type PracticeReminderRow = Selectable<PracticeReminderTable>;
export interface PartialDB {
  practice_card: PracticeCardTable;
  practice_reminder: PracticeReminderTable;
}
