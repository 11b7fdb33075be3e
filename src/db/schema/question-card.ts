import type { Selectable } from 'kysely';

/** A reviewer's Approve/Reject card (a direct message) for a pending team question. */
export interface QuestionCardTable {
  team_id: string;
  question_id: number;
  message_ref: string;
}
export type QuestionCardRow = Selectable<QuestionCardTable>;
export interface PartialDB { question_card: QuestionCardTable }
