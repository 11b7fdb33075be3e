/**
 * The @slack/oauth InstallationStore over Postgres (src/db/repos/slack-installations.ts): what the OAuth
 * redirect stores, and what `find` reads to give a workspace its bot token.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Clock } from '../../src/core/ports.js';
import type { Executor } from '../../src/db/index.js';
import { deleteSlackInstallation, findSlackInstallation, saveSlackInstallation } from '../../src/db/repos/slack-installations.js';

export interface InstallationStoreOptions {
  db: Executor;
  clock: Clock;
  /** Called after an installation is stored or deleted (drops cached tokens). */
  onChange?: (id: string) => void;
}

export interface Installations extends InstallationStore {
  /** The installation serving a workspace (its own, or its org's), or undefined when there is none. */
  find(teamId: string, enterpriseId?: string): Promise<Installation | undefined>;
  /** Removes a workspace's installation (the app was uninstalled there). */
  remove(teamId: string): Promise<void>;
}

export function postgresInstallations({ db, clock, onChange }: InstallationStoreOptions): Installations {
  const find = async (query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => {
    const found = await findSlackInstallation(db, query);
    return found ? { id: found.id, installation: found.installation as Installation } : undefined;
  };
  return {
    async storeInstallation(installation: Installation) {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (!id) throw new Error('an installation names neither a workspace nor an org');
      await saveSlackInstallation(
        db,
        {
          id,
          teamId: installation.team?.id ?? null,
          enterpriseId: installation.enterprise?.id ?? null,
          isEnterpriseInstall: installation.isEnterpriseInstall === true,
          appId: installation.appId ?? null,
          botUserId: installation.bot?.userId ?? null,
          botId: installation.bot?.id ?? null,
          installerUserId: installation.user.id ?? null,
          installation,
        },
        clock.now(),
      );
      onChange?.(id);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await find(query);
      if (!found) throw new Error(`no installation for ${query.teamId ?? query.enterpriseId ?? 'this workspace'}`);
      return found.installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      const found = await find(query);
      if (found && (await deleteSlackInstallation(db, found.id))) onChange?.(found.id);
    },
    async find(teamId, enterpriseId) {
      return (await find({ teamId, enterpriseId }))?.installation;
    },
    async remove(teamId) {
      if (await deleteSlackInstallation(db, teamId)) onChange?.(teamId);
    },
  };
}
