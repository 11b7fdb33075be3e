import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

import type { Category, ChoiceOption, Difficulty, QuestionKind, StarGuide } from '../../core/question-model.js';

export type { Category, ChoiceOption, Difficulty, QuestionKind, StarGuide };
export type QuestionStatus = 'active' | 'retired' | 'pending' | 'rejected';

type Json<T> = ColumnType<T, string | T, string | T>;

export interface QuestionTable {
  id: Generated<number>;
  team_id: string | null;
  external_id: string;
  pack: string | null;
  kind: QuestionKind;
  category: Category;
  difficulty: Difficulty;
  topics: string[];
  prompt: string;
  key_points: Json<string[]>;
  reference_answer: string | null;
  star_guide: Json<StarGuide | null>;
  options: Json<ChoiceOption[] | null>;
  explanation: string | null;
  follow_ups: Json<string[] | null>;
  hint: string | null;
  further_reading: Json<string[] | null>;
  status: QuestionStatus;
  source: 'builtin' | 'team';
  content_hash: string;
  created_by: number | null;
  decided_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  retired_at: Date | null;
}
export type QuestionRow = Selectable<QuestionTable>;
export type NewQuestionRow = Insertable<QuestionTable>;
export interface PartialDB { question: QuestionTable }
