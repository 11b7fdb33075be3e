import type { Generated, Insertable, Selectable } from 'kysely';

/** `best_answer_reversed` takes back a best-answer pick when a later review picks another answer of the round. */
export type PointKind = 'participation' | 'correct' | 'speed' | 'streak' | 'review' | 'best_answer' | 'best_answer_reversed';

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
