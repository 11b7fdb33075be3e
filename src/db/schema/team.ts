import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Platform = 'slack' | 'discord' | 'playground' | 'memory';

export interface TeamTable {
  id: string;
  platform: Platform;
  external_id: string;
  name: string;
  timezone: string;
  admin_role_ids: Generated<string[]>;
  /** Platform roles (Discord role ids, Slack user group ids) whose holders are mentors. */
  mentor_role_ids: Generated<string[]>;
  created_at: Generated<Date>;
  /** Moved by triggers on any change to the team, its members or channels (the hot-path cache checks it). */
  tenancy_version: Generated<number>;
}
export type TeamRow = Selectable<TeamTable>;
export type NewTeamRow = Insertable<TeamTable>;
export type TeamUpdate = Updateable<TeamTable>;
export interface PartialDB { team: TeamTable }
