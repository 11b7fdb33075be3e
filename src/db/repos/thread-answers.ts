/**
 * First answers in a round's thread, many at once, in one statement (issue 13's group commit).
 *
 * Exact, with no cache to trust: the round id each item carries is only a hint (which round the thread
 * belonged to when this process last looked), and the statement itself checks everything the answer
 * depends on, under its own snapshot: the round is still the newest one with this thread ref, open, not
 * blind, not past its close, of an open question, in the item's team. It records an item only when
 * this is the member's first answer on the round and the member row needs no change (a new member is
 * inserted); then the answer, its first part and the event receipt are written together, atomically with
 * the rest of the batch. A receipt already committed answers 'duplicate'. Anything else (a later message
 * of the member, a late or blind round, a renamed member, a row another transaction is writing right
 * now) is written nothing and answered 'other': the caller takes the full path for it.
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import { PREPARED } from '../prepared.js';

export interface ThreadAnswerItem {
  platform: string;
  deliveryId: string;
  teamId: string;
  userId: string;
  /** '' when unknown (the stored name stays). */
  userName: string;
  /** undefined: unknown (the stored flag stays). */
  platformAdmin: boolean | undefined;
  threadRef: string;
  /** The round this thread had when last looked up: checked, not trusted. */
  roundId: number;
  messageRef: string;
  body: string;
  at: Date;
}

export type ThreadAnswerResult = 'recorded' | 'duplicate' | 'other';

export async function recordFirstAnswers(handle: Handle, items: readonly ThreadAnswerItem[]): Promise<ThreadAnswerResult[]> {
  if (items.length === 0) return [];
  const db = executor(handle);
  const input = JSON.stringify(
    items.map((x, k) => ({
      k,
      platform: x.platform,
      delivery_id: x.deliveryId,
      team_id: x.teamId,
      user_id: x.userId,
      user_name: x.userName,
      admin: x.platformAdmin ?? null,
      thread_ref: x.threadRef,
      round_id: x.roundId,
      message_ref: x.messageRef,
      body: x.body,
      at: x.at.toISOString(),
    })),
  );
  // The final division fails the whole statement (nothing written) if an answer was made without its
  // receipt: a receipt committed after the answer was gone, which the caller then takes the long way.
  // Prepared (prepared.ts): one text whatever the batch (the answers go as one JSON value), named columns.
  const result = await sql<{ k: number; duplicate: boolean; made: boolean; receipt_check: number }>`${PREPARED}
    with i as (
      select * from json_to_recordset(${input}::json) as i(k int, platform text, delivery_id text, team_id text, user_id text,
        user_name text, admin boolean, thread_ref text, round_id int, message_ref text, body text, at timestamptz)),
    dup as (select i.k from i join processed_delivery d on d.platform = i.platform and d.delivery_id = i.delivery_id),
    r as (
      select i.*, rd.opened_at from i
      join round rd on rd.id = i.round_id and rd.team_id = i.team_id and rd.thread_ref = i.thread_ref
      join question q on q.id = rd.question_id and q.kind = 'open'
      where rd.status <> 'closed' and i.at < rd.closes_at and not rd.blind
        and not exists (select 1 from round newer where newer.team_id = i.team_id and newer.thread_ref = i.thread_ref and newer.id > rd.id)
        and not exists (select 1 from dup where dup.k = i.k)
      -- A close in progress (which updates the round) is waited for and then seen; a later close waits for these answers.
      for share of rd),
    mi as (
      insert into member (team_id, platform_user_id, display_name, role, platform_admin, forgotten_at)
      select r.team_id, r.user_id, r.user_name, 'member', coalesce(r.admin, false), null from r order by r.team_id, r.user_id
      on conflict (team_id, platform_user_id) do nothing
      returning id, team_id, platform_user_id),
    mm as (
      select id, team_id, platform_user_id from mi
      union all
      select m.id, m.team_id, m.platform_user_id from member m join r on m.team_id = r.team_id and m.platform_user_id = r.user_id
      where m.forgotten_at is null and (r.user_name = '' or r.user_name = m.display_name) and (r.admin is null or r.admin = m.platform_admin)),
    ok as (
      select r.*, mm.id as member_id from r join mm on mm.team_id = r.team_id and mm.platform_user_id = r.user_id
      where not exists (select 1 from answer a where a.round_id = r.round_id and a.member_id = mm.id)),
    a as (
      insert into answer (team_id, round_id, member_id, body, choice_index, response_ms, status, late, review_status, answered_at, updated_at)
      select ok.team_id, ok.round_id, ok.member_id, ok.body, null, greatest(0, floor(extract(epoch from ok.at - ok.opened_at) * 1000))::int,
        'active', false, 'pending', ok.at, ok.at
      from ok order by ok.round_id, ok.member_id
      on conflict (round_id, member_id) do nothing
      returning id, round_id, member_id),
    made as (select ok.k, ok.platform, ok.delivery_id, ok.message_ref, ok.body, ok.at, a.id as answer_id from ok join a on a.round_id = ok.round_id and a.member_id = ok.member_id),
    d as (
      insert into processed_delivery (platform, delivery_id, received_at) select platform, delivery_id, at from made
      on conflict (platform, delivery_id) do nothing returning platform, delivery_id),
    p as (insert into answer_part (answer_id, message_ref, body, created_at, updated_at) select answer_id, message_ref, body, at, at from made)
    select i.k, exists (select 1 from dup where dup.k = i.k) as duplicate, made.k is not null as made,
      1 / (case when made.k is not null and not exists (select 1 from d where d.platform = made.platform and d.delivery_id = made.delivery_id) then 0 else 1 end) as receipt_check
    from i left join made on made.k = i.k
    order by i.k`.execute(db);
  const out: ThreadAnswerResult[] = items.map(() => 'other');
  for (const row of result.rows) out[Number(row.k)] = row.made ? 'recorded' : row.duplicate ? 'duplicate' : 'other';
  return out;
}

const MAX_HINTS = 10_000;
const hints = new WeakMap<object, Map<string, number>>();

/** The round a thread belonged to when this process last looked (per database handle, bounded). */
export function roundHint(root: object, teamId: string, threadRef: string): number | undefined {
  return hints.get(root)?.get(`${teamId}\n${threadRef}`);
}

/** Remembers (a round id) or forgets (undefined) which round a thread belongs to. */
export function setRoundHint(root: object, teamId: string, threadRef: string, roundId: number | undefined): void {
  let map = hints.get(root);
  if (!map) hints.set(root, (map = new Map()));
  const key = `${teamId}\n${threadRef}`;
  map.delete(key);
  if (roundId === undefined) return;
  map.set(key, roundId);
  if (map.size > MAX_HINTS) map.delete(map.keys().next().value!);
}
