/** A member's league in a season (tier 0 is the lowest), and how the season ended for them there. */
export interface LeaguePlacementTable {
  season_id: number;
  member_id: number;
  team_id: string;
  tier: number;
  /** Set when the season ends: the member's shared rank in the league, season points, the tier earned. */
  final_rank: number | null;
  final_points: number | null;
  next_tier: number | null;
}

/** The weekly recap's claim: one row per team and week (the week's Monday, local date). */
export interface WeeklyRecapTable {
  team_id: string;
  week_start: string;
  posted_at: Date;
}
export interface PartialDB { league_placement: LeaguePlacementTable; weekly_recap: WeeklyRecapTable }
