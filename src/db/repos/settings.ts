import type { Executor } from '../index.js';

/** Sets the team's time zone (boards' weeks and months, season dates, new schedules). */
export async function setTeamTimezone(db: Executor, teamId: string, timezone: string): Promise<void> {
  await db.updateTable('team').set({ timezone }).where('id', '=', teamId).execute();
}
