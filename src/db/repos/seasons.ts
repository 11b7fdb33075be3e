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
