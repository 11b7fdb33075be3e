import { executor, type Handle } from '../handle.js';

/** Sets the team's time zone (boards' weeks and months, season dates, new schedules). */
export async function setTeamTimezone(handle: Handle, teamId: string, timezone: string): Promise<void> {
  const db = executor(handle);
  await db.updateTable('team').set({ timezone }).where('id', '=', teamId).execute();
}
