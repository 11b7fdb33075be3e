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
export interface PartialDB { ledger_rollup: LedgerRollupTable }
