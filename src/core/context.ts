/** What every flow of the core gets: its dependencies, and the transaction it runs in. */
import type { Drawing } from '../charts/drawing.js';
import type { Channel, Handle, Member, Role, Team, TxContext } from '../db/repos/types.js';
import type { Logger } from '../log.js';
import type { ChatPort, Clock, InboundEvent, TeamRef } from './ports.js';
import type { Sender } from './sender.js';

export interface Deps {
  /** The database, for repositories (src/db/repos) and units of work; the core cannot query it. */
  db: Handle;
  chat: ChatPort;
  clock: Clock;
  log: Logger;
  /** Random numbers in [0, 1); seeded in tests so selection is deterministic. */
  random: () => number;
  /** The time zone of teams seen for the first time (DOJO_TIMEZONE). */
  defaultTimezone: string;
  /** Bounded chart work: pictures that follow replies are offered here, and skipped when it is full. */
  drawing: Drawing;
}

/** A unit of work: one transaction, with chat posts queued to follow its commit. */
export interface Work {
  deps: Deps;
  /** The open transaction, for repositories; the core cannot query it. */
  trx: Handle;
  tx: TxContext;
  now: Date;
  /** Where set (the tick), outbox posts after the commit go to this paced, parallel sender instead of one by one. */
  sender?: Sender;
}

/** A unit of work on behalf of a person's event. */
export interface Ctx extends Work {
  event: InboundEvent;
  team: Team;
  teamRef: TeamRef;
  member: Member;
  /** The member's effective role: platform admins are always admins. */
  role: Role;
  channel: Channel;
}

export function teamRefOf(team: Team): TeamRef {
  return { platform: team.platform, id: team.external_id, name: team.name };
}

export function effectiveRole(member: Member, team?: Team, roleIds: string[] = []): Role {
  if (member.platform_admin || member.role === 'admin') return 'admin';
  if (team && roleIds.some((id) => team.admin_role_ids.includes(id))) return 'admin';
  if (member.role === 'member' && team && roleIds.some((id) => team.mentor_role_ids.includes(id))) return 'mentor';
  return member.role;
}

const RANK: Record<Role, number> = { member: 0, mentor: 1, admin: 2 };
export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
