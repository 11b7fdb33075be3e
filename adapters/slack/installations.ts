/**
 * The @slack/oauth InstallationStore over Postgres (src/db/repos/slack-installations.ts): what the OAuth
 * redirect stores, and what `find` reads to give a workspace its bot token.
 *
 * Tokens are sealed at rest (tokens.ts, DOJO_ENCRYPTION_KEY); a row read under the old key (or from
 * before encryption) is written back under the current one. With token rotation, `find` refreshes a
 * token about to expire, one refresh at a time per installation across instances (the row is locked).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Clock } from '../../src/core/ports.js';
import type { Executor } from '../../src/db/index.js';
import {
  deleteSlackInstallation,
  findSlackInstallation,
  lockSlackInstallation,
  saveSlackInstallation,
  updateSlackInstallationObject,
} from '../../src/db/repos/slack-installations.js';
import { transaction } from '../../src/db/tx.js';
import type { Logger } from '../../src/log.js';
import { secretBox, type SecretBox } from '../../src/secrets.js';
import { botTokenExpiring, openInstallation, refreshBotToken, sealInstallation, type Rotation } from './tokens.js';

export interface InstallationStoreOptions {
  db: Executor;
  clock: Clock;
  /** Seals tokens at rest; without a key they are stored as they are. */
  secrets?: SecretBox;
  /** The app's credentials, to refresh rotating tokens (oauth.v2.access). */
  rotation?: Rotation;
  log?: Logger;
  /** Called after an installation is stored or deleted (drops cached tokens). */
  onChange?: (id: string) => void;
}

export interface Installations extends InstallationStore {
  /** The installation serving a workspace (its own, or its org's), or undefined when there is none. */
  find(teamId: string, enterpriseId?: string): Promise<Installation | undefined>;
  /** Removes a workspace's installation (the app was uninstalled there, or its token revoked). */
  remove(teamId: string): Promise<void>;
}

const idOf = (installation: Installation) => (installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id);

export function postgresInstallations({ db, clock, secrets = secretBox(), rotation, log, onChange }: InstallationStoreOptions): Installations {
  const refreshing = new Map<string, Promise<Installation>>();
  // After a failed refresh, the token in hand is used for a minute before Slack is asked again.
  const failedAt = new Map<string, number>();
  const nowS = () => Math.floor(clock.now().getTime() / 1000);

  const read = async (query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => {
    const found = await findSlackInstallation(db, query);
    if (!found) return undefined;
    const { installation, stale } = openInstallation(secrets, found.id, found.installation as Installation);
    if (stale && secrets.sealing) {
      // Sealed under DOJO_ENCRYPTION_KEY_OLD (or not at all): written back under the current key.
      await updateSlackInstallationObject(db, found.id, sealInstallation(secrets, found.id, installation), clock.now()).catch((error: unknown) =>
        log?.warn({ err: error, installationId: found.id }, 'could not re-encrypt a Slack installation; will try again'),
      );
    }
    return { id: found.id, installation };
  };

  /** Refreshes under the row's lock; another instance may have refreshed already (then theirs is used). */
  const refresh = (id: string, installation: Installation): Promise<Installation> => {
    const running = refreshing.get(id);
    if (running) return running;
    if (Date.now() - (failedAt.get(id) ?? -Infinity) < 60_000) return Promise.resolve(installation);
    const work = transaction(db, async (trx) => {
      const locked = await lockSlackInstallation(trx, id);
      if (!locked) return installation;
      const current = openInstallation(secrets, id, locked.installation as Installation).installation;
      if (!botTokenExpiring(current, nowS())) return current;
      const renewed = await refreshBotToken(rotation!, current, nowS());
      await updateSlackInstallationObject(trx, id, sealInstallation(secrets, id, renewed), clock.now());
      log?.info({ installationId: id, expiresAt: renewed.bot?.expiresAt }, 'refreshed a rotating Slack bot token');
      failedAt.delete(id);
      return renewed;
    })
      .catch((error: unknown) => {
        // The current token may still work for a while; the next use tries again.
        if (!failedAt.has(id)) log?.error({ err: error, installationId: id }, 'could not refresh a rotating Slack bot token; using the current one meanwhile');
        failedAt.set(id, Date.now());
        return installation;
      })
      .finally(() => refreshing.delete(id));
    refreshing.set(id, work);
    return work;
  };

  const find = async (query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) => {
    const found = await read(query);
    if (!found) return undefined;
    if (rotation && botTokenExpiring(found.installation, nowS())) return { id: found.id, installation: await refresh(found.id, found.installation) };
    return found;
  };

  return {
    async storeInstallation(installation: Installation) {
      const id = idOf(installation);
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
          installation: sealInstallation(secrets, id, installation),
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
      const found = await findSlackInstallation(db, query);
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

/** Re-encrypts every stored installation under the current key (`dojo slack reencrypt`); how many changed. */
export async function reencryptInstallations(db: Executor, secrets: SecretBox, ids: string[], now: Date): Promise<number> {
  let changed = 0;
  for (const id of ids) {
    changed += await transaction(db, async (trx) => {
      const locked = await lockSlackInstallation(trx, id);
      if (!locked) return 0;
      const { installation, stale } = openInstallation(secrets, id, locked.installation as Installation);
      if (!stale) return 0;
      await updateSlackInstallationObject(trx, id, sealInstallation(secrets, id, installation), now);
      return 1;
    });
  }
  return changed;
}
