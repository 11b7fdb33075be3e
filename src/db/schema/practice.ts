import type { Generated, Insertable, Selectable } from 'kysely';

export type SelfRating = 'knew' | 'unsure' | 'didnt';

export interface PracticeStateTable {
  member_id: number;
  question_id: number;
  team_id: string;
  last_rating: SelfRating;
  interval_days: Generated<number>;
  seen_count: Generated<number>;
  due_at: Date;
  updated_at: Generated<Date>;
}
export type PracticeStateRow = Selectable<PracticeStateTable>;
export type NewPracticeStateRow = Insertable<PracticeStateTable>;
export interface PartialDB { practice_state: PracticeStateTable }
