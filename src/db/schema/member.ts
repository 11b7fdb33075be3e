import type { Generated, Insertable, Selectable } from 'kysely';

export type Role = 'admin' | 'mentor' | 'member';

export interface MemberTable {
  id: Generated<number>;
  team_id: string;
  platform_user_id: string;
  display_name: string;
  role: Role;
  platform_admin: boolean;
  /** The platform roles (Discord roles, Slack user groups) the member was last seen holding. */
  platform_role_ids: Generated<string[]>;
  forgotten_at: Date | null;
  created_at: Generated<Date>;
}
export type MemberRow = Selectable<MemberTable>;
export type NewMemberRow = Insertable<MemberTable>;
export interface PartialDB { member: MemberTable }
