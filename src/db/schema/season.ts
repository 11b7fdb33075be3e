import type { Generated, Insertable, Selectable } from 'kysely';

export interface SeasonTable {
  id: Generated<number>;
  team_id: string;
  channel_id: number | null;
  name: string;
  status: 'active' | 'ended';
  starts_at: Date;
  ends_at: Date;
  ended_at: Date | null;
}
export type SeasonRow = Selectable<SeasonTable>;
export type NewSeasonRow = Insertable<SeasonTable>;

export interface SeasonResultTable {
  season_id: number;
  rank: number;
  member_id: number | null;
  display_name: string;
  points: number;
  answers: number;
}
export type SeasonResultRow = Selectable<SeasonResultTable>;
export interface PartialDB { season: SeasonTable; season_result: SeasonResultTable }
