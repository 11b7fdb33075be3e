import { sql } from 'kysely';
import { executor, type Handle } from '../handle.js';
import type { ChannelRow } from '../schema/channel.js';
import type { MemberRow, Role } from '../schema/member.js';
import type { Platform, TeamRow } from '../schema/team.js';
import { noteTenancyWrite } from './tenancy-cache.js';

export function teamKey(platform: Platform, externalId: string): string {
  return `${platform}:${externalId}`;
}

/** The team row for a workspace or guild, created on first sight. */
export async function ensureTeam(handle: Handle, platform: Platform, externalId: string, name: string, timezone: string): Promise<TeamRow> {
  const db = executor(handle);
  const id = teamKey(platform, externalId);
  await db
    .insertInto('team')
    .values({ id, platform, external_id: externalId, name, timezone })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return db.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function findTeam(handle: Handle, id: string): Promise<TeamRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('team').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The member row for a user, created on first sight; keeps the display name and platform-admin flag
 * current. `platformAdmin` undefined means the platform could not tell this time: the stored flag stays.
 */
export async function ensureMember(handle: Handle, teamId: string, userId: string, name: string, platformAdmin: boolean | undefined): Promise<MemberRow> {
  const db = executor(handle);
  return db
    .insertInto('member')
    .values({ team_id: teamId, platform_user_id: userId, display_name: name, role: 'member', platform_admin: platformAdmin ?? false, forgotten_at: null })
    .onConflict((oc) =>
      oc.columns(['team_id', 'platform_user_id']).doUpdateSet({
        display_name: sql`case when excluded.display_name = '' then member.display_name else excluded.display_name end`,
        platform_admin: platformAdmin === undefined ? sql<boolean>`member.platform_admin` : platformAdmin,
        forgotten_at: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Fills members' blank display names, many in one statement (a named, forgotten or unknown member is left as is). */
export async function fillMemberNames(handle: Handle, names: readonly { teamId: string; userId: string; name: string }[]): Promise<void> {
  const rows = names.filter((n) => n.name !== '').map((n) => ({ team_id: n.teamId, user_id: n.userId, name: n.name }));
  if (rows.length === 0) return;
  const db = executor(handle);
  await sql`update member m set display_name = n.name
    from json_to_recordset(${JSON.stringify(rows)}::json) as n(team_id text, user_id text, name text)
    where m.team_id = n.team_id and m.platform_user_id = n.user_id and m.display_name = '' and m.forgotten_at is null`.execute(db);
}

export async function findMemberByUser(handle: Handle, teamId: string, userId: string): Promise<MemberRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('member').selectAll().where('team_id', '=', teamId).where('platform_user_id', '=', userId).executeTakeFirst();
}

export async function findMember(handle: Handle, teamId: string, memberId: number): Promise<MemberRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('member').selectAll().where('team_id', '=', teamId).where('id', '=', memberId).executeTakeFirst();
}

export async function setRole(handle: Handle, teamId: string, memberId: number, role: Role): Promise<void> {
  const db = executor(handle);
  noteTenancyWrite(teamId);
  await db.updateTable('member').set({ role }).where('team_id', '=', teamId).where('id', '=', memberId).execute();
}

/**
 * Members whose role is one of these, as effectiveRole decides it: appointed by name, a platform admin,
 * or holding a platform role the team maps (the roles they were last seen with).
 */
export async function membersWithRole(handle: Handle, teamId: string, roles: Role[]): Promise<MemberRow[]> {
  const db = executor(handle);
  return db
    .selectFrom('member as m')
    .innerJoin('team as t', 't.id', 'm.team_id')
    .selectAll('m')
    .where('m.team_id', '=', teamId)
    .where('m.forgotten_at', 'is', null)
    .where(
      sql<Role>`case when m.platform_admin or m.role = 'admin' or m.platform_role_ids && t.admin_role_ids then 'admin'
        when m.role = 'mentor' or m.platform_role_ids && t.mentor_role_ids then 'mentor' else 'member' end`,
      'in',
      roles,
    )
    .orderBy('m.display_name')
    .execute();
}

export async function ensureChannel(handle: Handle, teamId: string, channelId: string, name: string): Promise<ChannelRow> {
  const db = executor(handle);
  return db
    .insertInto('channel')
    .values({ team_id: teamId, platform_channel_id: channelId, name })
    .onConflict((oc) =>
      oc.columns(['team_id', 'platform_channel_id']).doUpdateSet({
        name: sql`case when excluded.name = '' then channel.name else excluded.name end`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findChannel(handle: Handle, id: number): Promise<ChannelRow | undefined> {
  const db = executor(handle);
  return db.selectFrom('channel').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Forgets the event receipts from before `before` (platforms stop retrying long before). */
export async function forgetEventReceipts(handle: Handle, before: Date): Promise<void> {
  const db = executor(handle);
  await db.deleteFrom('processed_delivery').where('received_at', '<', before).execute();
}

/**
 * Maps a platform role (Discord role id, Slack user group id) to a dojo role for its holders, or
 * unmaps it (`role` null). A role maps to one dojo role at most. Returns what it mapped to before.
 */
export async function setGroupRole(handle: Handle, teamId: string, groupId: string, role: 'mentor' | 'admin' | null): Promise<'mentor' | 'admin' | null> {
  const db = executor(handle);
  noteTenancyWrite(teamId);
  const team = await db.selectFrom('team').select(['admin_role_ids', 'mentor_role_ids']).where('id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  const before = team.admin_role_ids.includes(groupId) ? 'admin' : team.mentor_role_ids.includes(groupId) ? 'mentor' : null;
  const without = (ids: string[]) => ids.filter((id) => id !== groupId);
  await db
    .updateTable('team')
    .set({
      admin_role_ids: role === 'admin' ? [...without(team.admin_role_ids), groupId] : without(team.admin_role_ids),
      mentor_role_ids: role === 'mentor' ? [...without(team.mentor_role_ids), groupId] : without(team.mentor_role_ids),
    })
    .where('id', '=', teamId)
    .execute();
  return before;
}
