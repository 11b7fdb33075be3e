import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { NewPointEventRow, PointKind } from '../schema/point-event.js';

/** Appends a point event; false when that event (by key) was recorded before. */
export async function addPoints(handle: Handle, row: Omit<NewPointEventRow, 'event_key'> & { kind: PointKind }, key: string): Promise<boolean> {
  const db = executor(handle);
  const inserted = await db
    .insertInto('point_event')
    .values({ ...row, event_key: key })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function pointsOfRounds(handle: Handle, roundIds: number[]): Promise<{ member_id: number; display_name: string; points: number; correct: number }[]> {
  const db = executor(handle);
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

/**
 * Records `answerId` as the round's one best answer: the round row is locked so two mentors picking at
 * once are serialised, and an earlier pick still standing is reversed by an event of its own (the ledger
 * stays append-only). Returns the member whose pick was reversed, if any.
 */
export async function pickBestAnswer(
  handle: Handle,
  row: { team_id: string; member_id: number; channel_id: number; round_id: number; answer_id: number; created_at: Date },
  points: number,
): Promise<{ reversedMemberId?: number }> {
  const db = executor(handle);
  await db.selectFrom('round').select('id').where('team_id', '=', row.team_id).where('id', '=', row.round_id).forUpdate().executeTakeFirst();
  const standing = await db
    .selectFrom('point_event')
    .select(['answer_id', 'member_id', 'channel_id', sql<number>`sum(points)::int`.as('net')])
    .where('team_id', '=', row.team_id)
    .where('round_id', '=', row.round_id)
    .where('kind', 'in', ['best_answer', 'best_answer_reversed'])
    .groupBy(['answer_id', 'member_id', 'channel_id'])
    .having(sql`sum(points)`, '>', 0)
    .execute();
  let reversedMemberId: number | undefined;
  for (const s of standing) {
    if (s.answer_id === null || s.answer_id === row.answer_id) continue;
    await addPoints(db, { ...row, member_id: s.member_id, channel_id: s.channel_id, answer_id: s.answer_id, kind: 'best_answer_reversed', points: -s.net }, `best_answer_reversed:${s.answer_id}`);
    reversedMemberId = s.member_id;
  }
  // The reviews say the same: only this round's newest pick is flagged best.
  await db
    .updateTable('review')
    .set({ best_answer: false })
    .where('team_id', '=', row.team_id)
    .where('best_answer', '=', true)
    .where('answer_id', 'in', (eb) => eb.selectFrom('answer').select('id').where('team_id', '=', row.team_id).where('round_id', '=', row.round_id).where('id', '<>', row.answer_id))
    .execute();
  await addPoints(db, { ...row, kind: 'best_answer', points }, `best_answer:${row.answer_id}`);
  return reversedMemberId !== undefined ? { reversedMemberId } : {};
}
