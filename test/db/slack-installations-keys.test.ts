/**
 * Rotating DOJO_ENCRYPTION_KEY: installations sealed under the old key (or stored in the clear before
 * encryption) are read and written back under the new one, on use or all at once.
 */
import type { Installation } from '@slack/oauth';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInstallations, reencryptInstallations } from '../../adapters/slack/installations.js';
import { ManualClock } from '../../src/core/clock.js';
import { listSlackInstallationIds, saveSlackInstallation } from '../../src/db/repos/slack-installations.js';
import { secretBox } from '../../src/secrets.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');
const clock = new ManualClock(new Date('2026-11-30T10:00:00Z'));

const installation = (teamId: string): Installation => ({
  team: { id: teamId, name: teamId },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: { id: 'B1', userId: 'UBOT', token: `xoxb-${teamId}`, scopes: ['chat:write'] },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

describe(`rotating the encryption key of Slack installations, ${backend}`, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(async () => t.close());

  const raw = async (id: string) => JSON.stringify((await t.db.selectFrom('slack_installation').select('installation').where('id', '=', id).executeTakeFirstOrThrow()).installation);
  const keyId = (text: string) => /enc:v1:([0-9a-f]{8}):/.exec(text)?.[1];

  it('reads a token sealed under the old key and seals it under the new one on first use', async () => {
    await postgresInstallations({ db: t.db, clock, secrets: secretBox({ key: OLD }) }).storeInstallation(installation('T1'));
    const before = keyId(await raw('T1'));
    const rotating = postgresInstallations({ db: t.db, clock, secrets: secretBox({ key: NEW, oldKey: OLD }) });
    expect((await rotating.find('T1'))?.bot?.token).toBe('xoxb-T1');
    expect(keyId(await raw('T1'))).not.toBe(before);
    // The old key can go now.
    expect((await postgresInstallations({ db: t.db, clock, secrets: secretBox({ key: NEW }) }).find('T1'))?.bot?.token).toBe('xoxb-T1');
  });

  it('re-encrypts every installation at once, including ones stored in the clear', async () => {
    await postgresInstallations({ db: t.db, clock, secrets: secretBox({ key: OLD }) }).storeInstallation(installation('T2'));
    await saveSlackInstallation(
      t.db,
      { id: 'T3', teamId: 'T3', enterpriseId: null, isEnterpriseInstall: false, appId: null, botUserId: 'UBOT', botId: 'B1', installerUserId: null, installation: installation('T3') },
      clock.now(),
    );
    expect(await raw('T3')).toContain('xoxb-T3');
    const box = secretBox({ key: NEW, oldKey: OLD });
    expect(await reencryptInstallations(t.db, box, await listSlackInstallationIds(t.db), clock.now())).toBe(2);
    expect(await reencryptInstallations(t.db, box, await listSlackInstallationIds(t.db), clock.now())).toBe(0);
    expect(await raw('T3')).not.toContain('xoxb-T3');
    const onlyNew = postgresInstallations({ db: t.db, clock, secrets: secretBox({ key: NEW }) });
    for (const id of ['T1', 'T2', 'T3']) expect((await onlyNew.find(id))?.bot?.token).toBe(`xoxb-${id}`);
  });
});
