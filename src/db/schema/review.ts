import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface ReviewTable {
  id: Generated<number>;
  team_id: string;
  answer_id: number;
  mentor_id: number | null;
  scores: ColumnType<Record<string, number>, string | Record<string, number>, string | Record<string, number>>;
  total: number;
  feedback: string;
  best_answer: boolean;
  created_at: Generated<Date>;
}
export type ReviewRow = Selectable<ReviewTable>;
export type NewReviewRow = Insertable<ReviewTable>;
export interface PartialDB { review: ReviewTable }
