import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface QuizParams {
  topic?: string;
  difficulty?: string;
  kind: 'choice' | 'open' | 'mixed';
  count: number;
}

export interface QuizTable {
  id: Generated<number>;
  team_id: string;
  channel_id: number;
  started_by: number | null;
  status: 'running' | 'finished' | 'stopped';
  params: ColumnType<QuizParams, string | QuizParams, string | QuizParams>;
  question_ids: number[];
  current_position: Generated<number>;
  seconds_per_question: number;
  thread_ref: string | null;
  message_ref: string | null;
  started_at: Generated<Date>;
  ended_at: Date | null;
}
export type QuizRow = Selectable<QuizTable>;
export type NewQuizRow = Insertable<QuizTable>;
export interface PartialDB { quiz: QuizTable }
