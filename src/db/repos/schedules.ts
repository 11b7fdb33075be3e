import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { NewScheduleRow, ScheduleRow } from '../schema/schedule.js';

export async function upsertSchedule(handle: Handle, row: NewScheduleRow): Promise<ScheduleRow> {
  const db = executor(handle);
  const { team_id: _t, channel_id: _c, created_by: _b, ...rest } = row;
  return db
    .insertInto('schedule')
    .values(row)
    .onConflict((oc) => oc.column('channel_id').doUpdateSet({ ...rest, updated_at: row.updated_at }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function scheduleOfChannel(handle: Handle, channelId: number): Promise<ScheduleRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('schedule').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
}

export async function schedulesOfTeam(handle: Handle, teamId: string): Promise<(ScheduleRow & { channel_name: string; platform_channel_id: string })[]> {
  const db = executor(handle);
  return db
    .selectFrom('schedule')
    .innerJoin('channel', 'channel.id', 'schedule.channel_id')
    .selectAll('schedule')
    .select(['channel.name as channel_name', 'channel.platform_channel_id'])
    .where('schedule.team_id', '=', teamId)
    .orderBy('channel.name')
    .execute();
}

/** Enabled schedules that are due, locked; another instance skips them. */
export async function claimDueSchedules(handle: Handle, now: Date, limit = 20): Promise<ScheduleRow[]> {
  const db = executor(handle);
  return db
    .selectFrom('schedule')
    .selectAll()
    .where('enabled', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function setNextRun(handle: Handle, id: number, next: Date | null, now: Date): Promise<void> {
  const db = executor(handle);
  await db.updateTable('schedule').set({ next_run_at: next, updated_at: now }).where('id', '=', id).execute();
}

/** Turns a channel's schedule off: 'none' without one, 'already' when it was off. */
export async function disableSchedule(handle: Handle, channelId: number, now: Date): Promise<'off' | 'already' | 'none'> {
  const db = executor(handle);
  const row = await db
    .updateTable('schedule')
    .set({ enabled: false, paused_reason: 'Turned off', next_run_at: null, updated_at: now })
    .where('channel_id', '=', channelId)
    .where('enabled', '=', true)
    .returning('id')
    .executeTakeFirst();
  if (row) return 'off';
  return (await scheduleOfChannel(db, channelId)) ? 'already' : 'none';
}

/** Pauses a schedule after failed posts; undefined when it was not running. */
export async function pauseSchedule(handle: Handle, id: number, reason: string, now: Date, error = reason): Promise<{ channel: string; channelName: string } | undefined> {
  const db = executor(handle);
  const row = await db
    .updateTable('schedule')
    .set({ enabled: false, paused_reason: reason, next_run_at: null, last_error: error, updated_at: now })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .returning('channel_id')
    .executeTakeFirst();
  if (!row) return undefined;
  const channel = await db.selectFrom('channel').select(['platform_channel_id', 'name']).where('id', '=', row.channel_id).executeTakeFirstOrThrow();
  return { channel: channel.platform_channel_id, channelName: channel.name };
}

/** Local dates (YYYY-MM-DD) from `since` on that already had their question of the day in a channel. */
export async function postedDates(handle: Handle, channelId: number, since: string): Promise<Set<string>> {
  const db = executor(handle);
  const rows = await db
    .selectFrom('round')
    .select(sql<string>`local_date::text`.as('day'))
    .where('channel_id', '=', channelId)
    .where('kind', '=', 'qotd')
    .where('local_date', '>=', since)
    .execute();
  return new Set(rows.map((r) => r.day));
}
