/**
 * Team, member and channel of an event in one round trip, and usually from memory (issue 13).
 *
 * Correctness: a version check, not a TTL. `team.tenancy_version` is bumped by triggers in the writer's
 * own transaction on every change to the team, its members or channels (roles, settings, group
 * mappings, names, forget-me; by this instance, another one or by hand). A cached row is used only when
 * the version read by this event's own statement (the one that records its event receipt, so the check
 * costs no extra round trip) equals the version the rows were read at. Otherwise one statement records
 * the event receipt and upserts all three rows, writing only what changed (a conditional upsert), and the
 * cache is refilled after the commit. The cache is per database handle, bounded (least recently used
 * out first).
 */
import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { Executor } from '../index.js';
import type { ChannelRow } from '../schema/channel.js';
import type { MemberRow } from '../schema/member.js';
import type { Platform, TeamRow } from '../schema/team.js';
import { teamKey } from './tenancy.js';
import { LruMap } from './lru.js';

export interface TenancyInput {
  platform: Platform;
  teamExternalId: string;
  teamName: string;
  timezone: string;
  userId: string;
  userName: string;
  /** undefined: the platform could not tell this time, the stored flag stays. */
  platformAdmin: boolean | undefined;
  /** The platform roles the event says the member holds; undefined when the platform did not say. */
  platformRoleIds?: string[] | undefined;
  channelId: string;
  channelName: string;
  deliveryId?: string;
  now: Date;
}

export interface Tenancy {
  team: TeamRow;
  member: MemberRow;
  channel: ChannelRow;
  /** false: the event's receipt was recorded before (a replay). */
  fresh: boolean;
}

/** Each row with the team's tenancy_version it was read at: all three must match the database's. */
export interface Entries {
  /** checkedAt: when the database last confirmed the team's version (performance.now()). */
  teams: LruMap<{ row: TeamRow; checkedAt: number }>;
  members: LruMap<{ row: MemberRow; version: number }>;
  channels: LruMap<{ row: ChannelRow; version: number }>;
}

const caches = new WeakMap<object, Entries>();
export function entriesOf(root: object): Entries {
  let e = caches.get(root);
  if (!e) caches.set(root, (e = { teams: new LruMap(), members: new LruMap(), channels: new LruMap() }));
  return e;
}

/** The cached rows, if all three are there and need no write for this event (names, admin flag). */
export function cached(e: Entries, input: TenancyInput): Omit<Tenancy, 'fresh'> | undefined {
  const teamId = teamKey(input.platform, input.teamExternalId);
  const team = e.teams.get(teamId)?.row;
  const m = e.members.get(`${teamId}\n${input.userId}`);
  const c = e.channels.get(`${teamId}\n${input.channelId}`);
  if (!team || !m || !c || m.version !== team.tenancy_version || c.version !== team.tenancy_version) return undefined;
  const [member, channel] = [m.row, c.row];
  if (member.forgotten_at !== null || (input.userName !== '' && member.display_name !== input.userName)) return undefined;
  if (input.platformAdmin !== undefined && member.platform_admin !== input.platformAdmin) return undefined;
  if (input.platformRoleIds !== undefined && !sameRoles(member.platform_role_ids, input.platformRoleIds)) return undefined;
  if (input.channelName !== '' && channel.name !== input.channelName) return undefined;
  return { team, member, channel };
}

/** The roles as stored: sorted, each once (so an unchanged set is never written again). */
export function roleSet(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

function sameRoles(stored: readonly string[], seen: readonly string[]): boolean {
  const want = roleSet(seen);
  return stored.length === want.length && stored.every((id, i) => id === want[i]);
}

/** How long after the database last confirmed a team's version `peekTenancy` may still answer from memory. */
const PEEK_FRESH_MS = 1_000;
/** When this process last wrote a team's tenancy rows (roles, group mappings, settings): peeks wait for a check. */
const lastWrite = new LruMap<number>();

/** Repositories that change a team, member or channel row call this, so help in an ack never shows a stale role. */
export function noteTenancyWrite(teamId: string): void {
  lastWrite.set(teamId, performance.now());
}

/**
 * The member's cached rows without asking the database: for answers that change nothing and only
 * depend on the role, like help in Slack's ack. Only while the database confirmed the team's version
 * within the last second and this process wrote nothing to the team since (so the role shown is at
 * most a second old when another instance changed it); undefined otherwise.
 */
export function peekTenancy(root: object, platform: Platform, teamExternalId: string, userId: string): { team: TeamRow; member: MemberRow } | undefined {
  const e = caches.get(root);
  const teamId = teamKey(platform, teamExternalId);
  const team = e?.teams.get(teamId);
  const m = e?.members.get(`${teamId}\n${userId}`);
  if (!team || !m || m.version !== team.row.tenancy_version || m.row.forgotten_at !== null) return undefined;
  const now = performance.now();
  if (now - team.checkedAt > PEEK_FRESH_MS || team.checkedAt <= (lastWrite.get(teamId) ?? -Infinity)) return undefined;
  return { team: team.row, member: m.row };
}

/**
 * The event's rows from memory alone, for a unit that checks `team.tenancy_version` in its own closing
 * statement (closing.ts) instead of at its start; `confirmTenancy` once that statement found it current.
 */
export const cachedTenancy = (root: object, input: TenancyInput) => cached(entriesOf(root), input);
export function confirmTenancy(root: object, team: TeamRow, checkedAt: number): void {
  const entry = caches.get(root)?.teams.get(team.id);
  if (entry?.row === team) entry.checkedAt = checkedAt;
}

/** Forgets what is cached for a handle (tests that write behind the triggers' back, e.g. truncating). */
export function clearTenancyCache(root: object): void {
  caches.delete(root);
}

/**
 * Records the event's receipt (when it has a delivery id) and returns the event's team, member and channel, created on
 * first sight. `root` is the database handle the cache belongs to; `trx` the event's transaction.
 */
export async function resolveTenancy(root: object, handle: Handle, input: TenancyInput, afterCommit: (fn: () => void) => void): Promise<Tenancy> {
  const trx = executor(handle);
  const e = entriesOf(root);
  const teamId = teamKey(input.platform, input.teamExternalId);
  const hit = cached(e, input);
  if (hit) {
    const checkedAt = performance.now();
    const check = await sql<{ fresh: boolean; version: number | null }>`
      with d as (
        insert into processed_delivery (platform, delivery_id, received_at)
        select ${input.platform}, ${input.deliveryId ?? null}, ${input.now} where ${input.deliveryId ?? null}::text is not null
        on conflict (platform, delivery_id) do nothing returning 1)
      select exists (select 1 from d) as fresh, (select tenancy_version from team where id = ${teamId}) as version`.execute(trx);
    const row = check.rows[0]!;
    const fresh = input.deliveryId ? row.fresh : true;
    if (row.version !== null && Number(row.version) === hit.team.tenancy_version) {
      const entry = e.teams.get(teamId);
      if (entry?.row === hit.team) entry.checkedAt = checkedAt;
      return { ...hit, fresh };
    }
    // Changed since: read again (the event receipt is recorded already).
    const readAt = performance.now();
    const rows = await upsertAll(trx, { ...input, deliveryId: undefined });
    afterCommit(() => remember(e, rows, readAt));
    return { ...rows, fresh };
  }
  const readAt = performance.now();
  const rows = await upsertAll(trx, input);
  // Only committed rows are cached: a member inserted by a transaction that rolls back never was.
  afterCommit(() => remember(e, rows, readAt));
  return rows;
}

/** `readAt`: when the statement that read the rows started (a write noted after it makes them unfit for peeks). */
function remember(e: Entries, rows: Omit<Tenancy, 'fresh'>, readAt: number): void {
  const version = rows.team.tenancy_version;
  e.teams.set(rows.team.id, { row: rows.team, checkedAt: readAt });
  e.members.set(`${rows.team.id}\n${rows.member.platform_user_id}`, { row: rows.member, version });
  e.channels.set(`${rows.team.id}\n${rows.channel.platform_channel_id}`, { row: rows.channel, version });
}

type Flat = Record<string, unknown> & { fresh: boolean };

/**
 * One statement: the event receipt, then team, member and channel inserted on first sight and
 * updated only when a name, the admin flag or forget-me changed (an unchanged row is read, not written).
 * A row another transaction inserted after this statement's snapshot (a first event of a team racing
 * another) is missed once: tried again with a new snapshot, the event receipt already recorded by the first try.
 */
async function upsertAll(trx: Executor, input: TenancyInput): Promise<Tenancy> {
  const teamId = teamKey(input.platform, input.teamExternalId);
  const admin = input.platformAdmin ?? null;
  const roles = input.platformRoleIds === undefined ? null : roleSet(input.platformRoleIds);
  let deliveryId = input.deliveryId ?? null;
  let fresh = true;
  for (let attempt = 1; ; attempt++) {
    const result = await sql<Flat>`
      with d as (
        insert into processed_delivery (platform, delivery_id, received_at)
        select ${input.platform}, ${deliveryId}, ${input.now} where ${deliveryId}::text is not null
        on conflict (platform, delivery_id) do nothing returning 1),
      ti as (
        insert into team (id, platform, external_id, name, timezone) values (${teamId}, ${input.platform}, ${input.teamExternalId}, ${input.teamName}, ${input.timezone})
        on conflict (id) do nothing returning *),
      t as (select * from ti union all select * from team where id = ${teamId} and not exists (select 1 from ti)),
      mi as (
        insert into member as m (team_id, platform_user_id, display_name, role, platform_admin, platform_role_ids, forgotten_at)
        values (${teamId}, ${input.userId}, ${input.userName}, 'member', coalesce(${admin}::boolean, false), coalesce(${roles}::text[], '{}'), null)
        on conflict (team_id, platform_user_id) do update set
          display_name = case when excluded.display_name = '' then m.display_name else excluded.display_name end,
          platform_admin = coalesce(${admin}::boolean, m.platform_admin),
          platform_role_ids = coalesce(${roles}::text[], m.platform_role_ids),
          forgotten_at = null
        where m.forgotten_at is not null or (excluded.display_name <> '' and excluded.display_name <> m.display_name)
          or m.platform_admin is distinct from coalesce(${admin}::boolean, m.platform_admin)
          or m.platform_role_ids is distinct from coalesce(${roles}::text[], m.platform_role_ids)
        returning *),
      mm as (select * from mi union all select * from member where team_id = ${teamId} and platform_user_id = ${input.userId} and not exists (select 1 from mi)),
      ci as (
        insert into channel as c (team_id, platform_channel_id, name) values (${teamId}, ${input.channelId}, ${input.channelName})
        on conflict (team_id, platform_channel_id) do update set name = excluded.name
        where excluded.name <> '' and excluded.name <> c.name
        returning *),
      cc as (select * from ci union all select * from channel where team_id = ${teamId} and platform_channel_id = ${input.channelId} and not exists (select 1 from ci))
      select exists (select 1 from d) as fresh,
        t.id as t_id, t.platform as t_platform, t.external_id as t_external_id, t.name as t_name, t.timezone as t_timezone,
        t.admin_role_ids as t_admin_role_ids, t.mentor_role_ids as t_mentor_role_ids, t.created_at as t_created_at, t.tenancy_version as t_tenancy_version,
        mm.id as m_id, mm.display_name as m_display_name, mm.role as m_role, mm.platform_admin as m_platform_admin, mm.platform_role_ids as m_platform_role_ids,
        mm.forgotten_at as m_forgotten_at, mm.created_at as m_created_at,
        cc.id as c_id, cc.name as c_name, cc.created_at as c_created_at
      from (select 1) as one left join t on true left join mm on true left join cc on true`.execute(trx);
    const r = result.rows[0]!;
    if (attempt === 1) fresh = r.fresh;
    if (r.t_id === null || r.m_id === null || r.c_id === null) {
      // The event receipt is recorded by now (in this transaction): the next try must not count it a replay.
      deliveryId = null;
      if (attempt < 3) continue;
      throw new Error(`could not resolve the team, member and channel of ${teamId}`);
    }
    const team: TeamRow = {
      id: r.t_id as string,
      platform: r.t_platform as Platform,
      external_id: r.t_external_id as string,
      name: r.t_name as string,
      timezone: r.t_timezone as string,
      admin_role_ids: r.t_admin_role_ids as string[],
      mentor_role_ids: r.t_mentor_role_ids as string[],
      created_at: r.t_created_at as Date,
      tenancy_version: Number(r.t_tenancy_version),
    };
    const member: MemberRow = {
      id: r.m_id as number,
      team_id: teamId,
      platform_user_id: input.userId,
      display_name: r.m_display_name as string,
      role: r.m_role as MemberRow['role'],
      platform_admin: r.m_platform_admin as boolean,
      platform_role_ids: r.m_platform_role_ids as string[],
      forgotten_at: r.m_forgotten_at as Date | null,
      created_at: r.m_created_at as Date,
    };
    const channel: ChannelRow = { id: r.c_id as number, team_id: teamId, platform_channel_id: input.channelId, name: r.c_name as string, created_at: r.c_created_at as Date };
    return { team, member, channel, fresh: input.deliveryId ? fresh : true };
  }
}
