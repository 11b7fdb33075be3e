import type { Generated } from 'kysely';

/**
 * Per-member sums of the ledger per UTC day, UTC month and all time (bucket 1970-01-01), kept by triggers
 * on point_event in the same transaction as every insert and delete; never written by the app.
 */
export interface LedgerRollupTable {
  team_id: string;
  member_id: number;
  grain: 'day' | 'month' | 'all';
  bucket: string;
  points: string;
  answers: number;
  events: number;
}

/** A board's period (a team's week, month or season) whose per-member totals are kept (board-sets.ts in repos). */
export interface BoardSetTable {
  id: Generated<number>;
  team_id: string;
  starts_at: Date;
  ends_at: Date | null;
  built_at: Generated<Date>;
}
/** Per-member totals of a board set, kept by triggers with every ledger write; never written by the app after the build. */
export interface BoardSetTotalTable {
  set_id: number;
  member_id: number;
  points: string;
  answers: number;
  events: number;
}
export interface PartialDB { ledger_rollup: LedgerRollupTable; board_set: BoardSetTable; board_set_total: BoardSetTotalTable }
