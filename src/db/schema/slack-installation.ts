import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** An OAuth installation of the Slack app (adapters/slack reads it through repos/slack-installations). */
export interface SlackInstallationTable {
  id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  app_id: string | null;
  bot_user_id: string | null;
  bot_id: string | null;
  installer_user_id: string | null;
  installation: ColumnType<unknown, string, string>;
  installed_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type SlackInstallationRow = Selectable<SlackInstallationTable>;
export type NewSlackInstallationRow = Insertable<SlackInstallationTable>;
export interface PartialDB { slack_installation: SlackInstallationTable }
