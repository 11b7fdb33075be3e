import { executor, type Handle } from '../handle.js';
import type { NewSeasonRow, SeasonResultRow, SeasonRow } from '../schema/season.js';

export async function activeSeason(handle: Handle, teamId: string): Promise<SeasonRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('season').selectAll().where('team_id', '=', teamId).where('status', '=', 'active').executeTakeFirst();
}

export async function createSeason(handle: Handle, row: NewSeasonRow): Promise<SeasonRow | undefined> {
  const db = executor(handle);
  return db
    .insertInto('season')
    .values(row)
    .onConflict((oc) => oc.column('team_id').where('status', '=', 'active').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Ends a season once; undefined when it had already ended. */
export async function endSeason(handle: Handle, id: number, now: Date): Promise<SeasonRow | undefined> {
  const db = executor(handle);
  return db.updateTable('season').set({ status: 'ended', ended_at: now }).where('id', '=', id).where('status', '=', 'active').returningAll().executeTakeFirst();
}

export async function claimEndedSeasons(handle: Handle, now: Date): Promise<SeasonRow[]> {
  const db = executor(handle);
  return db.selectFrom('season').selectAll().where('status', '=', 'active').where('ends_at', '<=', now).forUpdate().skipLocked().execute();
}

export async function saveResults(handle: Handle, rows: SeasonResultRow[]): Promise<void> {
  const db = executor(handle);
  if (rows.length) await db.insertInto('season_result').values(rows).execute();
}

export async function lastEndedSeason(handle: Handle, teamId: string): Promise<SeasonRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('season').selectAll().where('team_id', '=', teamId).where('status', '=', 'ended').orderBy('ended_at', 'desc').executeTakeFirst();
}

export async function resultsOf(handle: Handle, seasonId: number): Promise<SeasonResultRow[]> {
  const db = executor(handle);
  return db.selectFrom('season_result').selectAll().where('season_id', '=', seasonId).orderBy('rank').execute();
}

/** The team's ended seasons, newest first, each with its winner (rank 1) when anyone scored. */
export async function pastSeasons(handle: Handle, teamId: string, limit = 10): Promise<(SeasonRow & { winner: string | null; winner_points: number | null })[]> {
  const db = executor(handle);
  return db
    .selectFrom('season')
    .leftJoin('season_result', (j) => j.onRef('season_result.season_id', '=', 'season.id').on('season_result.rank', '=', 1))
    .selectAll('season')
    .select(['season_result.display_name as winner', 'season_result.points as winner_points'])
    .where('season.team_id', '=', teamId)
    .where('season.status', '=', 'ended')
    .orderBy('season.ended_at', 'desc')
    .limit(limit)
    .execute();
}

/** A season of the team by its name (any case); the newest when names repeat. */
export async function seasonByName(handle: Handle, teamId: string, name: string): Promise<SeasonRow | undefined> {
  const db = executor(handle);
  return db
    .selectFrom('season')
    .selectAll()
    .where('team_id', '=', teamId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .orderBy('starts_at', 'desc')
    .executeTakeFirst();
}
