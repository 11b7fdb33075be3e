/**
 * Slack OAuth installations. The installation itself (tokens included) is kept whole as JSON, as
 * @slack/oauth advises, with the keys it is looked up by beside it.
 */
import type { Executor } from '../index.js';
import { executor, type Handle } from '../handle.js';
import type { SlackInstallationRow } from '../schema/slack-installation.js';

export interface SlackInstallationRecord {
  /** The workspace id (`T…`), or the org id (`E…`) for an org-wide install. */
  id: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botUserId: string | null;
  botId: string | null;
  installerUserId: string | null;
  /** The @slack/oauth Installation object. */
  installation: unknown;
}

/** Inserts or replaces (a reinstall brings new scopes and tokens) the installation with this id. */
export async function saveSlackInstallation(handle: Handle, record: SlackInstallationRecord, now: Date): Promise<void> {
  const db = executor(handle);
  const values = {
    team_id: record.teamId,
    enterprise_id: record.enterpriseId,
    is_enterprise_install: record.isEnterpriseInstall,
    app_id: record.appId,
    bot_user_id: record.botUserId,
    bot_id: record.botId,
    installer_user_id: record.installerUserId,
    installation: JSON.stringify(record.installation),
    updated_at: now,
  };
  await db
    .insertInto('slack_installation')
    .values({ id: record.id, ...values, installed_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** The installation serving a workspace: its own, else its org's org-wide install. */
export async function findSlackInstallation(
  handle: Handle,
  query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
): Promise<SlackInstallationRecord | undefined> {
  const db = executor(handle);
  if (query.teamId && !query.isEnterpriseInstall) {
    const row = await db.selectFrom('slack_installation').selectAll().where('id', '=', query.teamId).executeTakeFirst();
    if (row) return toRecord(row);
  }
  if (query.enterpriseId) {
    const row = await db
      .selectFrom('slack_installation')
      .selectAll()
      .where('id', '=', query.enterpriseId)
      .where('is_enterprise_install', '=', true)
      .executeTakeFirst();
    if (row) return toRecord(row);
  }
  return undefined;
}

/** The installation with this id, its row locked until the transaction ends (one token refresh at a time). */
export async function lockSlackInstallation(trx: Executor, id: string): Promise<SlackInstallationRecord | undefined> {
  const row = await trx.selectFrom('slack_installation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Replaces the stored installation object (refreshed or re-encrypted tokens), keeping the rest. */
export async function updateSlackInstallationObject(handle: Handle, id: string, installation: unknown, now: Date): Promise<boolean> {
  const db = executor(handle);
  const result = await db.updateTable('slack_installation').set({ installation: JSON.stringify(installation), updated_at: now }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteSlackInstallation(handle: Handle, id: string): Promise<boolean> {
  const db = executor(handle);
  const result = await db.deleteFrom('slack_installation').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listSlackInstallationIds(handle: Handle): Promise<string[]> {
  const db = executor(handle);
  const rows = await db.selectFrom('slack_installation').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

function toRecord(row: Omit<SlackInstallationRow, 'installed_at'>): SlackInstallationRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    enterpriseId: row.enterprise_id,
    isEnterpriseInstall: row.is_enterprise_install,
    appId: row.app_id,
    botUserId: row.bot_user_id,
    botId: row.bot_id,
    installerUserId: row.installer_user_id,
    // pg parses jsonb; a driver that hands back text gets parsed here.
    installation: typeof row.installation === 'string' ? JSON.parse(row.installation) : row.installation,
  };
}
