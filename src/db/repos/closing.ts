/**
 * A unit of work that only reads until its end and then writes in one statement (issue 13): the event
 * receipt and the outbox rows the work queued, in one autocommitted statement, so a board costs no
 * BEGIN, no separate outbox insert and no COMMIT. The statement is atomic, so the rows are written only
 * with a fresh receipt and a replayed delivery writes nothing, as in a transaction; and when the unit
 * ran on cached team, member and channel rows, only if the team's tenancy_version is still the one they
 * were read at (the check the tenancy statement would have made at the start, made at the end instead).
 */
import { sql, type RawBuilder } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { OutboxRow } from '../schema/outbox.js';
import { PREPARED } from '../prepared.js';

export interface ClosingOutbox {
  team_id: string;
  channel_id: number | null;
  schedule_id: number | null;
  round_id: number | null;
  payload: unknown;
  now: Date;
  correlation_id: string | null;
  /** Inserted already claimed by this owner, until `now + leaseMs`. */
  owner: string;
  leaseMs: number;
}

export interface Receipt {
  platform: string;
  deliveryId: string;
  now: Date;
}

/** The team's tenancy_version the unit's rows were read at (from memory): nothing is written unless it is still current. */
export interface Expect {
  teamId: string;
  version: number;
}

export interface Closed {
  /** false: the expected version was not current; nothing was written (read the rows again and rerun). */
  current: boolean;
  /** false: the delivery was recorded before (a replay); nothing was written. */
  fresh: boolean;
  outbox: OutboxRow[];
}

/**
 * Checks the expected version (if any), records the receipt (if any) and, when both pass, inserts the
 * rows; returns the verdicts and the inserted rows in the order given. Nothing to check or write: no statement.
 */
/** The version check (`k`) and the receipt (`d`) as common table expressions, and whether the receipt is fresh. */
function verdicts(receipt: Receipt | undefined, expect: Expect | undefined): { d: RawBuilder<unknown>; fresh: RawBuilder<unknown> } {
  const id = receipt?.deliveryId ?? null;
  const ok = expect ? sql`((select tenancy_version from team where id = ${expect.teamId}) = ${expect.version}::bigint)` : sql`true`;
  const d = sql`k as (select ${ok} as current),
    d as (insert into processed_delivery (platform, delivery_id, received_at)
    select ${receipt?.platform ?? null}::text, ${id}::text, ${receipt?.now ?? null}::timestamptz where ${id}::text is not null and (select current from k)
    on conflict (platform, delivery_id) do nothing returning 1)`;
  return { d, fresh: sql`(${id}::text is null or exists (select 1 from d))` };
}

/**
 * A unit's last read as its closing statement, for a unit that queued no outbox row: the version check
 * and the receipt go with the read (`query`: a select of one row), in one atomic statement, so a read
 * that fails records nothing. Returns the verdicts and the row, as JSON (null when the read found none; read whatever the verdicts say).
 */
export async function closeWithRead<R>(handle: Handle, receipt: Receipt | undefined, expect: Expect | undefined, query: RawBuilder<R>): Promise<{ current: boolean; fresh: boolean; row: R | null }> {
  const { d, fresh } = verdicts(receipt, expect);
  // One row whatever the read finds (the receipt is written either way).
  // Prepared (the hot reads, /dojo stats and the boards, close here; the result is three fixed columns).
  const r = await sql<{ closing_current: boolean; closing_fresh: boolean; closing_row: R | null }>`${PREPARED}with ${d}
    select (select current from k) as closing_current, ${fresh} as closing_fresh, row_to_json(x) as closing_row
    from (select 1) as one left join lateral (${query}) x on true`.execute(executor(handle));
  const row = r.rows[0]!;
  return { current: row.closing_current, fresh: row.closing_fresh, row: row.closing_row };
}

export async function closeUnit(handle: Handle, receipt: Receipt | undefined, rows: ClosingOutbox[], expect?: Expect): Promise<Closed> {
  if (!receipt && !expect && rows.length === 0) return { current: true, fresh: true, outbox: [] };
  const { d, fresh } = verdicts(receipt, expect);
  if (rows.length === 0) {
    const r = await sql<{ current: boolean; fresh: boolean }>`${PREPARED}with ${d} select (select current from k) as current, ${fresh} as fresh`.execute(executor(handle));
    return { current: r.rows[0]!.current, fresh: r.rows[0]!.fresh, outbox: [] };
  }
  const values = sql.join(
    rows.map(
      (row, i) => sql`(${i}::int, ${row.team_id}::text, ${row.channel_id}::int, ${row.schedule_id}::int, ${row.round_id}::int, ${JSON.stringify(row.payload)}::jsonb,
        ${new Date(row.now.getTime() + row.leaseMs)}::timestamptz, ${row.now}::timestamptz, ${row.correlation_id}::text, ${row.owner}::text)`,
    ),
  );
  const r = await sql<OutboxRow & { current: boolean; fresh: boolean }>`with ${d},
    v (n, team_id, channel_id, schedule_id, round_id, payload, next_attempt_at, created_at, correlation_id, owner) as (values ${values}),
    o as (insert into outbox (team_id, channel_id, schedule_id, round_id, payload, next_attempt_at, created_at, last_error, correlation_id, owner, claims)
      select team_id, channel_id, schedule_id, round_id, payload, next_attempt_at, created_at, null, correlation_id, owner, 1 from v where (select current from k) and ${fresh} order by n
      returning *)
    select (select current from k) as current, ${fresh} as fresh, o.* from (select 1) as one left join o on true order by o.id`.execute(executor(handle));
  const first = r.rows[0]!;
  const outbox = r.rows.filter((x) => x.id !== null).map(({ current: _c, fresh: _f, ...row }) => row);
  return { current: first.current, fresh: first.fresh, outbox };
}
