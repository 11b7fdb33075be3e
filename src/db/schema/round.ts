import type { Generated, Insertable, Selectable } from 'kysely';

export type RoundKind = 'qotd' | 'quiz' | 'practice';

export interface RoundTable {
  id: Generated<number>;
  team_id: string;
  channel_id: number;
  kind: RoundKind;
  question_id: number;
  schedule_id: number | null;
  quiz_id: number | null;
  position: number | null;
  /** YYYY-MM-DD in the schedule's time zone (question of the day only). */
  local_date: string | null;
  blind: boolean;
  status: 'open' | 'closed';
  opened_at: Generated<Date>;
  closes_at: Date;
  closed_at: Date | null;
  message_ref: string | null;
  thread_ref: string | null;
  started_by: number | null;
}
export type RoundRow = Selectable<RoundTable>;
export type NewRoundRow = Insertable<RoundTable>;
export interface PartialDB { round: RoundTable }
