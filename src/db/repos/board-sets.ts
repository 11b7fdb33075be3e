/**
 * Board sets (migration 20261130T170000Z): the per-member totals of each team's current week, month
 * and running season, built from the rollups once and kept by triggers with every ledger write, so a
 * board of those periods reads one row per member. The tick builds the sets of the current periods and
 * drops the others; a board whose set is not built (yet) reads the rollups instead, with the same result.
 */
import { sql, type RawBuilder } from 'kysely';
import { executor, type Handle } from '../handle.js';
import { transaction } from '../tx.js';
import { memberSums } from './boards.js';

const lockKey = (teamId: string) => sql`hashtextextended(${`board_set:${teamId}`}, 0)`;

/** The periods whose sets should exist: each team's week and month (from local midnight, open) and its running season. */
function wanted(now: Date): RawBuilder<unknown> {
  return sql`select t.id as team_id, date_trunc('week', ${now}::timestamptz at time zone t.timezone) at time zone t.timezone as starts_at, null::timestamptz as ends_at
      from team t where exists (select 1 from ledger_rollup r where r.team_id = t.id and r.grain = 'all')
    union all
    select t.id, date_trunc('month', ${now}::timestamptz at time zone t.timezone) at time zone t.timezone, null
      from team t where exists (select 1 from ledger_rollup r where r.team_id = t.id and r.grain = 'all')
    union all
    select s.team_id, s.starts_at, s.ends_at from season s where s.status = 'active'`;
}

const samePeriod = (a: string, b: string) => sql.raw(`${a}.team_id = ${b}.team_id and ${a}.starts_at = ${b}.starts_at and coalesce(${a}.ends_at, 'infinity') = coalesce(${b}.ends_at, 'infinity')`);

/**
 * Builds the missing sets of the current periods and drops the sets of past ones, each in a short
 * transaction of its own that holds the team's lock; a team whose ledger stays busy past a short wait is
 * left for the next tick. Returns how many sets it built.
 */
export async function refreshBoardSets(handle: Handle, now: Date): Promise<number> {
  const db = executor(handle);
  const missing = await sql<{ team_id: string; starts_at: Date; ends_at: Date | null }>`
    select w.* from (${wanted(now)}) w where not exists (select 1 from board_set b where ${samePeriod('b', 'w')})`.execute(db);
  const stale = await sql<{ id: number; team_id: string }>`
    select b.id, b.team_id from board_set b where not exists (select 1 from (${wanted(now)}) w where ${samePeriod('b', 'w')})`.execute(db);
  let built = 0;
  for (const s of stale.rows) await dropBoardSet(db, s.team_id, s.id);
  for (const p of missing.rows) if (await buildBoardSet(db, p.team_id, p.starts_at, p.ends_at ?? undefined)) built++;
  return built;
}

/** Builds the set of [from, to) (open without `to`) of a team in a transaction of its own; false when it exists or the team's ledger is being written. */
export async function buildBoardSet(handle: Handle, teamId: string, from: Date, to?: Date): Promise<boolean> {
  return underLock(handle, teamId, async (trx) => {
    // A statement after the lock: its snapshot holds every event committed before any later one could start.
    const set = await sql<{ id: number }>`insert into board_set (team_id, starts_at, ends_at) values (${teamId}, ${from}, ${to ?? null})
      on conflict do nothing returning id`.execute(executor(trx));
    const id = set.rows[0]?.id;
    if (id === undefined) return false;
    await sql`insert into board_set_total (set_id, member_id, points, answers, events)
      select ${id}::int, s.member_id, s.points, s.answers, s.events from ${memberSums(teamId, { from, ...(to ? { to } : {}) }, true)} s`.execute(executor(trx));
    return true;
  });
}

/**
 * Drops a set under the team's lock (a write that read the set before the drop would otherwise add to a
 * set that is gone); false when the team's ledger is being written (the next tick tries again).
 */
export async function dropBoardSet(handle: Handle, teamId: string, id: number): Promise<boolean> {
  return underLock(handle, teamId, async (trx) => {
    await sql`delete from board_set where id = ${id} and team_id = ${teamId}`.execute(executor(trx));
    return true;
  });
}

/**
 * Takes the team's lock for a build or a drop: waits for the ledger writes under way (short transactions;
 * writes that come later queue behind it), but no longer than LOCK_WAIT, so a busy team is left for the
 * next tick rather than holding writers up.
 */
async function locked(trx: Handle, teamId: string): Promise<boolean> {
  const db = executor(trx);
  await sql`select set_config('lock_timeout', ${`${LOCK_WAIT_MS}ms`}, true)`.execute(db);
  try {
    await sql`select pg_advisory_xact_lock(${lockKey(teamId)})`.execute(db);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw new Busy();
    throw error;
  }
}

const LOCK_WAIT_MS = 250;
class Busy extends Error {}

/** A build or drop under the team's lock; false when the lock was not had in time. */
async function underLock(handle: Handle, teamId: string, fn: (trx: Handle) => Promise<boolean>): Promise<boolean> {
  try {
    return await transaction(executor(handle), async (trx) => (await locked(trx, teamId)) && fn(trx));
  } catch (error) {
    if (error instanceof Busy) return false;
    throw error;
  }
}
