import type { Generated, Insertable, Selectable } from 'kysely';

export type PointKind = 'participation' | 'correct' | 'speed' | 'streak' | 'review' | 'best_answer';

export interface PointEventTable {
  id: Generated<number>;
  team_id: string;
  member_id: number;
  channel_id: number | null;
  round_id: number | null;
  answer_id: number | null;
  kind: PointKind;
  points: number;
  /** Unique per team: the same fact can only ever score once. */
  event_key: string;
  created_at: Generated<Date>;
}
export type PointEventRow = Selectable<PointEventTable>;
export type NewPointEventRow = Insertable<PointEventTable>;
export interface PartialDB { point_event: PointEventTable }
