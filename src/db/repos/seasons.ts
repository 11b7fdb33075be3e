import type { Executor } from '../index.js';
import type { NewSeasonRow, SeasonResultRow, SeasonRow } from '../schema/season.js';

export async function activeSeason(db: Executor, teamId: string): Promise<SeasonRow | undefined> {
  return db.selectFrom('season').selectAll().where('team_id', '=', teamId).where('status', '=', 'active').executeTakeFirst();
}

export async function createSeason(db: Executor, row: NewSeasonRow): Promise<SeasonRow | undefined> {
  return db
    .insertInto('season')
    .values(row)
    .onConflict((oc) => oc.column('team_id').where('status', '=', 'active').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Ends a season once; undefined when it had already ended. */
export async function endSeason(db: Executor, id: number, now: Date): Promise<SeasonRow | undefined> {
  return db.updateTable('season').set({ status: 'ended', ended_at: now }).where('id', '=', id).where('status', '=', 'active').returningAll().executeTakeFirst();
}

export async function claimEndedSeasons(db: Executor, now: Date): Promise<SeasonRow[]> {
  return db.selectFrom('season').selectAll().where('status', '=', 'active').where('ends_at', '<=', now).forUpdate().skipLocked().execute();
}

export async function saveResults(db: Executor, rows: SeasonResultRow[]): Promise<void> {
  if (rows.length) await db.insertInto('season_result').values(rows).execute();
}

export async function lastEndedSeason(db: Executor, teamId: string): Promise<SeasonRow | undefined> {
  return db.selectFrom('season').selectAll().where('team_id', '=', teamId).where('status', '=', 'ended').orderBy('ended_at', 'desc').executeTakeFirst();
}

export async function resultsOf(db: Executor, seasonId: number): Promise<SeasonResultRow[]> {
  return db.selectFrom('season_result').selectAll().where('season_id', '=', seasonId).orderBy('rank').execute();
}

/** The team's ended seasons, newest first, each with its winner (rank 1) when anyone scored. */
export async function pastSeasons(db: Executor, teamId: string, limit = 10): Promise<(SeasonRow & { winner: string | null; winner_points: number | null })[]> {
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
export async function seasonByName(db: Executor, teamId: string, name: string): Promise<SeasonRow | undefined> {
  return db
    .selectFrom('season')
    .selectAll()
    .where('team_id', '=', teamId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .orderBy('starts_at', 'desc')
    .executeTakeFirst();
}
