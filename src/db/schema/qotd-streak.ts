/**
 * A member's current question-of-the-day run in a channel, one row while it is above 0, kept by triggers
 * on round and answer in the same transaction as every write that can change it (migration
 * 20261201T160000Z-qotd-streaks; the definition is src/core/streaks.ts); never written by the app.
 */
export interface QotdStreakTable {
  team_id: string;
  member_id: number;
  channel_id: number;
  run: number;
}
export interface PartialDB { qotd_streak: QotdStreakTable }
