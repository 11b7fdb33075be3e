import { sql } from 'kysely';
import type { Executor } from '../index.js';
import type { NewPointEventRow, PointKind } from '../schema/point-event.js';

/** Appends a point event; false when that event (by key) was recorded before. */
export async function addPoints(db: Executor, row: Omit<NewPointEventRow, 'event_key'> & { kind: PointKind }, key: string): Promise<boolean> {
  const inserted = await db
    .insertInto('point_event')
    .values({ ...row, event_key: key })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface BoardRow {
  member_id: number;
  display_name: string;
  platform_user_id: string;
  points: number;
  answers: number;
}

/** Points and answered rounds per member over a time range, best first. */
export async function board(db: Executor, teamId: string, range: { from?: Date; to?: Date; channelId?: number }): Promise<BoardRow[]> {
  let q = db
    .selectFrom('point_event as p')
    .innerJoin('member as m', 'm.id', 'p.member_id')
    .select([
      'p.member_id',
      'm.display_name',
      'm.platform_user_id',
      sql<number>`sum(p.points)::int`.as('points'),
      sql<number>`count(distinct p.answer_id) filter (where p.kind = 'participation')::int`.as('answers'),
    ])
    .where('p.team_id', '=', teamId)
    .where('m.forgotten_at', 'is', null);
  if (range.from) q = q.where('p.created_at', '>=', range.from);
  if (range.to) q = q.where('p.created_at', '<', range.to);
  if (range.channelId !== undefined) q = q.where('p.channel_id', '=', range.channelId);
  return q
    .groupBy(['p.member_id', 'm.display_name', 'm.platform_user_id'])
    .orderBy('points', 'desc')
    .orderBy('answers', 'desc')
    .orderBy('m.display_name')
    .execute();
}

export async function pointsOfRounds(db: Executor, roundIds: number[]): Promise<{ member_id: number; display_name: string; points: number; correct: number }[]> {
  if (roundIds.length === 0) return [];
  return db
    .selectFrom('point_event as p')
    .innerJoin('member as m', 'm.id', 'p.member_id')
    .select([
      'p.member_id',
      'm.display_name',
      sql<number>`sum(p.points)::int`.as('points'),
      sql<number>`count(*) filter (where p.kind = 'correct')::int`.as('correct'),
    ])
    .where('p.round_id', 'in', roundIds)
    .groupBy(['p.member_id', 'm.display_name'])
    .orderBy('points', 'desc')
    .orderBy('m.display_name')
    .execute();
}
