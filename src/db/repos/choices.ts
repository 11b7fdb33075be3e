/**
 * A choice click in two statements (issue 13): the round with its question's option count, then the
 * member's pick inserted or changed in one upsert that also says what it was before. The click used to
 * read the round, the question and the answer and then write, each a round trip of its own.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { RoundRow } from '../schema/round.js';
import { cached, entriesOf, type TenancyInput } from './tenancy-cache.js';
import { PREPARED } from '../prepared.js';

/** The round (the team's own) and how many options its question has (0 for an open question). */
export async function choiceRound(handle: Handle, teamId: string, roundId: number): Promise<(RoundRow & { option_count: number }) | undefined> {
  const db = executor(handle);
  const row = await db
    .selectFrom('round')
    .innerJoin('question', 'question.id', 'round.question_id')
    .selectAll('round')
    .select(sql<number>`coalesce(jsonb_array_length(question.options), 0)`.as('option_count'))
    .where('round.team_id', '=', teamId)
    .where('round.id', '=', roundId)
    .where((eb) => eb.or([eb('question.team_id', 'is', null), eb('question.team_id', '=', teamId)]))
    // Held to the end of the pick's transaction: a close in progress (which updates the round) is waited
    // for and then seen, and a close that comes later waits for the pick, so no pick lands unscored behind a close.
    .forShare('round')
    .executeTakeFirst();
  return row ? { ...row, option_count: Number(row.option_count) } : undefined;
}

export interface Pick {
  teamId: string;
  roundId: number;
  memberId: number;
  index: number;
  body: string;
  responseMs: number;
  now: Date;
}

/**
 * Records a member's pick on a choice round: a new answer, or the existing one changed to this pick
 * (active again); `first` when it is the member's first answer, else `previous` is the pick before.
 */
export async function recordPick(handle: Handle, p: Pick): Promise<{ first: boolean; previous: number | null }> {
  const db = executor(handle);
  // `before` reads the statement's snapshot (the row as it was); the upsert takes the row's lock itself.
  const result = await sql<{ previous: number | null; first: boolean }>`
    with before as (select choice_index from answer where round_id = ${p.roundId} and member_id = ${p.memberId}),
    upsert as (
      insert into answer as a (team_id, round_id, member_id, body, choice_index, response_ms, status, late, review_status, answered_at, updated_at)
      values (${p.teamId}, ${p.roundId}, ${p.memberId}, ${p.body}, ${p.index}, ${p.responseMs}, 'active', false, 'none', ${p.now}, ${p.now})
      on conflict (round_id, member_id) do update set
        choice_index = excluded.choice_index, response_ms = excluded.response_ms, body = excluded.body, status = 'active', updated_at = excluded.updated_at
      returning 1)
    select (select choice_index from before) as previous, not exists (select 1 from before) as first from upsert`.execute(db);
  const row = result.rows[0]!;
  return { first: row.first, previous: row.previous };
}

export interface QuickPick {
  platform: string;
  /** The event's delivery id: recorded with the pick, so a replay changes nothing. */
  deliveryId: string | null;
  teamId: string;
  /** The team's tenancy version the cached member was read at: the pick is made only if it still holds. */
  version: number;
  roundId: number;
  memberId: number;
  index: number;
  body: string;
  now: Date;
}

/**
 * A choice click in one statement, with no transaction around it (a single statement is atomic): when the
 * team's version still matches and the round is open with that option, records the event receipt and
 * the pick; else writes nothing and says `made: false`, and the caller takes the full path. `fresh`
 * false: the delivery was recorded before (a replay), nothing changed.
 */
export async function pickAtOnce(handle: Handle, p: QuickPick): Promise<{ made: false } | { made: true; fresh: boolean; first: boolean; previous: number | null }> {
  const db = executor(handle);
  // Prepared (prepared.ts): every click on a card runs it; four named columns.
  const result = await sql<{ ok: boolean; fresh: boolean; first: boolean; previous: number | null }>`${PREPARED}
    with ok as (
      select r.id, r.opened_at from round r join question q on q.id = r.question_id
      where r.team_id = ${p.teamId} and r.id = ${p.roundId} and (q.team_id is null or q.team_id = ${p.teamId})
        and r.status <> 'closed' and r.closes_at > ${p.now} and ${p.index} < coalesce(jsonb_array_length(q.options), 0)
        and (select tenancy_version from team where id = ${p.teamId}) = ${p.version}
      -- A close (which updates the round) waits for this pick to commit; a pick that reaches a round being
      -- closed waits for the close and then sees it closed, and writes nothing.
      for share of r),
    d as (
      insert into processed_delivery (platform, delivery_id, received_at)
      select ${p.platform}, ${p.deliveryId}, ${p.now} where ${p.deliveryId}::text is not null and exists (select 1 from ok)
      on conflict (platform, delivery_id) do nothing returning 1),
    before as (select choice_index from answer where round_id = ${p.roundId} and member_id = ${p.memberId}),
    upsert as (
      insert into answer as a (team_id, round_id, member_id, body, choice_index, response_ms, status, late, review_status, answered_at, updated_at)
      select ${p.teamId}, ok.id, ${p.memberId}, ${p.body}, ${p.index}, greatest(0, floor(extract(epoch from (${p.now}::timestamptz - ok.opened_at)) * 1000))::int, 'active', false, 'none', ${p.now}, ${p.now}
      from ok where ${p.deliveryId}::text is null or exists (select 1 from d)
      on conflict (round_id, member_id) do update set
        choice_index = excluded.choice_index, response_ms = excluded.response_ms, body = excluded.body, status = 'active', updated_at = excluded.updated_at
      returning 1)
    select exists (select 1 from ok) as ok, exists (select 1 from upsert) as fresh, not exists (select 1 from before) as first, (select choice_index from before) as previous`.execute(db);
  const row = result.rows[0]!;
  return row.ok ? { made: true, fresh: row.fresh, first: row.first, previous: row.previous } : { made: false };
}

/**
 * The event's cached team, member and channel when they need no write (tenancy-cache.ts), for pickAtOnce,
 * which checks the team's version itself; `confirm` with the time it started, once it did.
 */
export function cachedForPick(root: object, input: TenancyInput) {
  const e = entriesOf(root);
  const hit = cached(e, input);
  if (!hit) return undefined;
  const confirm = (checkedAt: number) => {
    const entry = e.teams.get(hit.team.id);
    if (entry?.row === hit.team) entry.checkedAt = checkedAt;
  };
  return { ...hit, confirm };
}
