/**
 * Two Slack workspaces (Acme, single-workspace token; Globex, installed through OAuth) and a Discord
 * guild served by one core on one database, as `dojo start` runs them: the real Bolt App behind its HTTP
 * door, the real discord.js client on the fake gateway, a manual clock.
 */
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack/index.js';
import { advanceClock, ManualClock } from '../../src/core/clock.js';
import { createDojo, type DojoCore } from '../../src/core/dojo.js';
import { seededRandom } from '../../src/core/selection.js';
import { RoutingChat } from '../../src/routing-chat.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { SIGNING_SECRET, SlackDriver } from '../fakes/slack/driver.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { testDb, type TestDb } from '../helpers/db.js';
import { log } from './discord/harness.js';
import { FAST_CLIENT } from './slack/world.js';

export const GLOBEX = { teamId: 'T0002', name: 'Globex', token: 'xoxb-globex', botUserId: 'UBOT2', botId: 'BBOT2' };

export interface CrossWorld {
  t: TestDb;
  slack: SlackAdapter;
  fakeSlack: FakeSlack;
  driver: SlackDriver;
  discord: DiscordAdapter;
  fakeDiscord: FakeDiscord;
  dojo: DojoCore;
  clock: ManualClock;
  /** Waits for the work that followed Slack's acks. */
  settle(): Promise<void>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function crossWorld(): Promise<CrossWorld> {
  const t = await testDb({ bank: true });
  const clock = new ManualClock(new Date('2026-11-23T07:00:00Z'));
  const fakeSlack = await FakeSlack.start();
  fakeSlack.addUser('UADA', { name: 'ada', isAdmin: true });
  fakeSlack.addUser('UALICE', { name: 'alice' });
  fakeSlack.addUser('UBOB', { name: 'bob' });
  fakeSlack.addUser('UHANK', { name: 'hank', isAdmin: true });
  const slack = createSlackAdapter({
    signingSecret: SIGNING_SECRET,
    botToken: 'xoxb-acme',
    apiUrl: fakeSlack.apiUrl,
    log,
    clock,
    client: FAST_CLIENT,
    oauth: { clientId: '1111.2222', clientSecret: 'client-secret', stateSecret: 'state-secret', redirectUri: 'https://dojo.example/slack/oauth_redirect', db: t.db },
  });
  const fakeDiscord = await new FakeDiscord().start();
  const discord = createDiscordAdapter({ token: 'fake-bot-token.for-tests.only', apiUrl: fakeDiscord.apiUrl, log, topics: ['databases'], database: t, rest: { retries: 1, timeout: 5000 }, readyTimeoutMs: 10_000 });
  const chat = new RoutingChat({ slack: slack.chat, discord: discord.chat });
  const dojo = createDojo({ db: t.db, chat, clock, log, random: seededRandom(5), defaultTimezone: 'UTC' });
  await slack.start(dojo);
  await discord.start(dojo);
  const driver = await SlackDriver.start(slack, fakeSlack);
  await install(driver, fakeSlack);
  const settle = () => slack.idle();
  return {
    t,
    slack,
    fakeSlack,
    driver,
    discord,
    fakeDiscord,
    dojo,
    clock,
    settle,
    advance: async (ms) => {
      await settle();
      await advanceClock(dojo, clock, ms);
      await settle();
    },
    close: async () => {
      await slack.stop();
      await discord.stop();
      await driver.stop();
      await fakeSlack.stop();
      await fakeDiscord.stop();
      await t.close();
    },
  };
}

/** Installs the app in Globex the way its admin would: the install page, Slack's consent, the redirect. */
async function install(driver: SlackDriver, fake: FakeSlack): Promise<void> {
  fake.grant('code-globex', GLOBEX, 'UHANK');
  const page = await fetch(`${driver.url}/slack/install`);
  const html = await page.text();
  const authorize = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&');
  const state = authorize ? new URL(authorize).searchParams.get('state') : null;
  const cookie = page.headers.get('set-cookie')?.split(';')[0];
  if (!state || !cookie) throw new Error('the install page gave no state');
  const done = await fetch(`${driver.url}/slack/oauth_redirect?code=code-globex&state=${state}`, { headers: { cookie } });
  if (done.status !== 200) throw new Error(`installing Globex failed: ${done.status}`);
}
