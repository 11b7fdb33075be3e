import type { Generated, Insertable, Selectable } from 'kysely';

export interface AnswerTable {
  id: Generated<number>;
  team_id: string;
  round_id: number;
  member_id: number;
  body: string;
  choice_index: number | null;
  response_ms: number | null;
  status: 'active' | 'withdrawn';
  late: boolean;
  review_status: 'none' | 'pending' | 'reviewed';
  claimed_by: number | null;
  claim_expires_at: Date | null;
  reminded_at: Date | null;
  answered_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type AnswerRow = Selectable<AnswerTable>;
export type NewAnswerRow = Insertable<AnswerTable>;

export interface AnswerPartTable {
  id: Generated<number>;
  answer_id: number;
  message_ref: string;
  body: string;
  deleted: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type AnswerPartRow = Selectable<AnswerPartTable>;
export interface PartialDB { answer: AnswerTable; answer_part: AnswerPartTable }
