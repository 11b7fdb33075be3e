/**
 * Installed workspaces' tokens: sealed at rest, refreshed before they expire when the workspace has
 * token rotation on, and forgotten when Slack revokes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../../adapters/slack/oauth.js';
import { openInstallation } from '../../../adapters/slack/tokens.js';
import { findSlackInstallation } from '../../../src/db/repos/slack-installations.js';
import { secretBox } from '../../../src/secrets.js';
import { backend } from '../../helpers/db.js';
import { TEST_ENCRYPTION_KEY, world, type World } from './world.js';

const INITECH = { teamId: 'T0003', name: 'Initech', token: 'xoxb-initech', botUserId: 'UBOT3', botId: 'BBOT3' };
const TWELVE_HOURS = 43_200;

describe(`installed Slack tokens, ${backend}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ oauth: true });
    w.fake.addUser('UPETER', { name: 'peter' });
  });
  afterAll(async () => w.close());

  async function install(code: string): Promise<void> {
    const page = await fetch(`${w.driver.url}/slack/install`);
    const authorize = new URL(/id="add-to-slack" href="([^"]+)"/.exec(await page.text())![1]!.replace(/&#38;/g, '&'));
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${w.driver.url}/slack/oauth_redirect?code=${code}&state=${authorize.searchParams.get('state')}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    await w.settle();
  }

  const raw = async (id: string) => JSON.stringify((await w.t.db.selectFrom('slack_installation').select('installation').where('id', '=', id).executeTakeFirstOrThrow()).installation);
  const stored = async (id: string) => openInstallation(secretBox({ key: TEST_ENCRYPTION_KEY }), id, (await findSlackInstallation(w.t.db, { teamId: id }))!.installation as never).installation;

  /** The token the bot uses in the workspace now: the one its quiz card is posted with. */
  async function tokenInUse(): Promise<string | undefined> {
    const before = w.fake.callsOf('chat.postMessage').length;
    await w.driver.command('quiz kind:choice count:1 seconds:10', { team: INITECH.teamId, user: 'UPETER', userName: 'peter', channel: 'CI001' });
    await w.settle();
    const call = w.fake.callsOf('chat.postMessage').slice(before).find((c) => c.args.channel === 'CI001');
    await w.advance(10_000);
    return call?.token;
  }

  it('keeps an installed workspace’s tokens encrypted in the database', async () => {
    w.fake.grant('code-initech', INITECH, 'UPETER', { refreshToken: 'xoxe-1-first', expiresIn: TWELVE_HOURS });
    await install('code-initech');
    const text = await raw(INITECH.teamId);
    expect(text).not.toContain('xoxb-initech');
    expect(text).not.toContain('xoxe-1-first');
    expect(text).toContain('enc:v1:');
    expect(await stored(INITECH.teamId)).toMatchObject({ bot: { token: 'xoxb-initech', refreshToken: 'xoxe-1-first' } });
    // The welcome DM went out with the new token, so it reads back.
    expect(w.fake.callsOf('chat.postMessage').find((c) => c.args.channel === 'DPETER')?.token).toBe('xoxb-initech');
  });

  it('refreshes a rotating token before it expires, and again with the refresh token it got', async () => {
    const { expiresAt } = (await stored(INITECH.teamId)).bot!;
    // More than two hours left: the token is used as it is.
    w.clock.set(new Date((expiresAt! - 3 * 3600) * 1000));
    expect(await tokenInUse()).toBe('xoxb-initech');
    expect(w.fake.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toEqual([]);

    // One hour left: refreshed first, through oauth.v2.access, and the new pair is stored sealed.
    w.clock.set(new Date((expiresAt! - 3600) * 1000));
    expect(await tokenInUse()).toBe('xoxb-initech.r1');
    const refreshes = w.fake.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');
    expect(refreshes.map((c) => c.args)).toEqual([expect.objectContaining({ refresh_token: 'xoxe-1-first', client_id: '1111.2222', client_secret: 'client-secret' })]);
    const renewed = (await stored(INITECH.teamId)).bot!;
    expect(renewed).toMatchObject({ token: 'xoxb-initech.r1', refreshToken: 'xoxe-1-T0003-1' });
    expect(renewed.expiresAt! - (expiresAt! - 3600)).toBe(TWELVE_HOURS);
    expect(await raw(INITECH.teamId)).not.toContain('xoxb-initech.r1');

    // Twelve hours on: the single-use refresh token Slack gave last time renews it again.
    w.clock.set(new Date((renewed.expiresAt! - 600) * 1000));
    expect(await tokenInUse()).toBe('xoxb-initech.r1.r2');
    expect(w.fake.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token').at(-1)?.args.refresh_token).toBe('xoxe-1-T0003-1');
  });

  it('keeps the installation when only a user token is revoked, and forgets it when the bot token is', async () => {
    await w.driver.event({ type: 'tokens_revoked', tokens: { oauth: ['UPETER'] } }, { team: INITECH.teamId });
    await w.settle();
    expect(await findSlackInstallation(w.t.db, { teamId: INITECH.teamId })).toBeDefined();
    const sent = await w.driver.event({ type: 'tokens_revoked', tokens: { bot: ['UBOT3'] } }, { team: INITECH.teamId });
    expect(sent.status).toBe(200);
    expect(await findSlackInstallation(w.t.db, { teamId: INITECH.teamId })).toBeUndefined();
    expect((await w.driver.command('help', { team: INITECH.teamId, user: 'UPETER' })).status).toBe(401);
  });
});

describe('the Slack authorize page', () => {
  it('is on the host of SLACK_API_URL: slack.com by default, slack-gov.com for GovSlack', () => {
    expect(authorizationUrl()).toBe('https://slack.com/oauth/v2/authorize');
    expect(authorizationUrl('https://slack-gov.com/api/')).toBe('https://slack-gov.com/oauth/v2/authorize');
  });
});
