/**
 * Two instances find one rotating Slack token about to expire at the same moment: Slack's refresh
 * tokens are single-use, so only one may exchange it, and both must end up with the new token.
 */
import type { Installation } from '@slack/oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInstallations } from '../../adapters/slack/installations.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Connected } from '../../src/db/index.js';
import { secretBox } from '../../src/secrets.js';
import { testDb, TEST_DATABASE_URL, type TestDb } from '../helpers/db.js';
import { FakeSlack } from '../fakes/slack/server.js';

const KEY = 'ab'.repeat(32);
const NOW = new Date('2026-11-30T10:00:00Z');
const nowS = NOW.getTime() / 1000;

describe.runIf(TEST_DATABASE_URL)('refreshing a rotating Slack token from two instances', () => {
  let t: TestDb;
  let other: Connected;
  let fake: FakeSlack;
  beforeAll(async () => {
    t = await testDb();
    other = await t.another();
    fake = await FakeSlack.start();
  });
  afterAll(async () => {
    await fake.stop();
    await other.close();
    await t.close();
  });

  it('exchanges the refresh token once, and both instances use the new token', async () => {
    const workspace = { teamId: 'T7', name: 'Seven', token: 'xoxb-seven', botUserId: 'UBOT7', botId: 'BBOT7' };
    fake.rotating(workspace, { refreshToken: 'xoxe-1-seven', expiresIn: 43_200 });
    const store = (db: Connected) =>
      postgresInstallations({
        db: db.db,
        clock: new ManualClock(NOW),
        secrets: secretBox({ key: KEY }),
        rotation: { clientId: '1111.2222', clientSecret: 'client-secret', clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
      });
    const installation: Installation = {
      team: { id: 'T7', name: 'Seven' },
      enterprise: undefined,
      user: { id: 'U1', token: undefined, scopes: undefined },
      bot: { id: 'BBOT7', userId: 'UBOT7', token: 'xoxb-seven', refreshToken: 'xoxe-1-seven', expiresAt: nowS + 600, scopes: ['chat:write'] },
      isEnterpriseInstall: false,
      authVersion: 'v2',
    };
    await store(t).storeInstallation(installation);
    // A slow Slack keeps the first refresh in flight while the second instance asks.
    fake.delays.set('oauth.v2.access', 200);
    const [a, b] = await Promise.all([store(t).find('T7'), store(other).find('T7')]);
    expect(fake.callsOf('oauth.v2.access').map((c) => c.args.refresh_token)).toEqual(['xoxe-1-seven']);
    expect([a?.bot?.token, b?.bot?.token]).toEqual(['xoxb-seven.r1', 'xoxb-seven.r1']);
    expect(a?.bot?.expiresAt).toBe(nowS + 43_200);
  });
});
