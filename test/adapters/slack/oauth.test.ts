/**
 * Distribution: the OAuth install flow (@slack/oauth) stores an installation in the database, and a
 * second workspace is a team of its own: its own token, its own members and points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LETTERS } from '../../../src/core/render.js';
import { findSlackInstallation, listSlackInstallationIds } from '../../../src/db/repos/slack-installations.js';
import { backend } from '../../helpers/db.js';
import { blockTexts, buttons, world, type World } from './world.js';

const GLOBEX = { teamId: 'T0002', name: 'Globex', token: 'xoxb-globex', botUserId: 'UBOT2', botId: 'BBOT2' };

describe(`installing the Slack app with OAuth, ${backend}`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ oauth: true });
    w.fake.addUser('UHANK', { name: 'hank' });
  });
  afterAll(async () => w.close());

  async function install(code: string, tamper = false): Promise<Response> {
    const page = await fetch(`${w.driver.url}/slack/install`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const authorize = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&');
    // The authorize page is on SLACK_API_URL's host (here the fake's), as GovSlack needs.
    expect(authorize!.startsWith(`${w.fake.base}/oauth/v2/authorize?`)).toBe(true);
    const url = new URL(authorize!);
    expect(url.searchParams.get('client_id')).toBe('1111.2222');
    expect(url.searchParams.get('scope')?.split(',')).toEqual(expect.arrayContaining(['commands', 'chat:write', 'im:write', 'channels:history', 'users:read']));
    expect(url.searchParams.get('redirect_uri')).toBe('https://dojo.example/slack/oauth_redirect');
    const state = url.searchParams.get('state')!;
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toContain(state);
    // Slack sends the installer's browser back to the redirect URL with a code and the state.
    return fetch(`${w.driver.url}/slack/oauth_redirect?code=${code}&state=${tamper ? 'forged' : state}`, { headers: { cookie } });
  }

  it('refuses a redirect whose state is not from this browser, storing nothing', async () => {
    w.fake.grant('code-forged', GLOBEX);
    const res = await install('code-forged', true);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/did not finish/);
    expect(await listSlackInstallationIds(w.t.db)).toEqual([]);
  });

  it('stores the installation of a second workspace from the redirect', async () => {
    w.fake.grant('code-globex', GLOBEX, 'UHANK');
    const res = await install('code-globex');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Interview Dojo is installed.*Globex/s);
    const stored = await findSlackInstallation(w.t.db, { teamId: 'T0002' });
    expect(stored).toMatchObject({ id: 'T0002', teamId: 'T0002', botUserId: 'UBOT2', botId: 'BBOT2', installerUserId: 'UHANK', isEnterpriseInstall: false });
    expect(w.fake.callsOf('oauth.v2.access').at(-1)?.args).toMatchObject({ code: 'code-globex', client_id: '1111.2222' });
    await w.settle();
    const welcome = w.fake.posted({ channel: 'DHANK' })[0];
    expect(welcome?.text).toMatch(/^Thanks for installing Interview Dojo/);
    expect(w.fake.callsOf('chat.postMessage').find((c) => c.args.channel === 'DHANK')?.token).toBe('xoxb-globex');
  });

  /** One quiz question, answered right by `user`: points on that workspace's board. */
  async function scoreIn(team: string, user: string, userName: string, channel: string) {
    await w.driver.command('quiz kind:choice count:1 seconds:10', { team, user, userName, channel });
    await w.settle();
    const card = w.fake.posted({ channel }).filter((p) => p.text.startsWith('Question 1 of 1')).at(-1)!;
    const ids = buttons(card.blocks);
    const roundId = Number(ids.get('A')!.split(':')[1]);
    const row = await w.t.db.selectFrom('round').innerJoin('question', 'question.id', 'round.question_id').select('question.options').where('round.id', '=', roundId).executeTakeFirstOrThrow();
    const right = (row.options as { correct: boolean }[]).findIndex((o) => o.correct);
    await w.driver.click(ids.get(LETTERS[right]!)!, { team, user, userName, channel, messageTs: card.ts });
    await w.advance(10_000);
    return card;
  }

  async function board(team: string, user: string) {
    const sent = await w.driver.command('leaderboard all', { team, user });
    await w.settle();
    // The board is the command's answer in the channel (in_channel), shown by Slack itself.
    const shown = w.fake.responses.find((r) => r.id === sent.responseId && r.body.response_type === 'in_channel');
    return shown ? blockTexts((shown.body.blocks as unknown[]) ?? []).join('\n') : '';
  }

  it('keeps the second workspace apart: its own token, members and leaderboard', async () => {
    const acme = await scoreIn('T0001', 'UALICE', 'alice', 'C0001');
    const globex = await scoreIn('T0002', 'UHANK', 'hank', 'CG001');
    expect(acme.teamId).toBe('T0001');
    expect(globex.teamId).toBe('T0002');
    const globexCalls = w.fake.calls.filter((c) => c.args.channel === 'CG001');
    expect(globexCalls.length).toBeGreaterThan(0);
    expect(new Set(globexCalls.map((c) => c.token))).toEqual(new Set(['xoxb-globex']));

    const acmeBoard = await board('T0001', 'UALICE');
    expect(acmeBoard).toMatch(/alice/);
    expect(acmeBoard).not.toMatch(/hank/);
    const globexBoard = await board('T0002', 'UHANK');
    expect(globexBoard).toMatch(/hank/);
    expect(globexBoard).not.toMatch(/alice/);
    const teams = await w.t.db.selectFrom('team').select(['platform', 'external_id']).orderBy('external_id').execute();
    expect(teams).toEqual([
      { platform: 'slack', external_id: 'T0001' },
      { platform: 'slack', external_id: 'T0002' },
    ]);
  });

  it('forgets a workspace that uninstalls the app', async () => {
    const sent = await w.driver.event({ type: 'app_uninstalled' }, { team: 'T0002' });
    expect(sent.status).toBe(200);
    expect(await findSlackInstallation(w.t.db, { teamId: 'T0002' })).toBeUndefined();
    const after = await w.driver.command('help', { team: 'T0002', user: 'UHANK' });
    expect(after.status).toBe(401);
    // The single-token workspace is unaffected.
    expect((await w.driver.command('help')).status).toBe(200);
  });
});
