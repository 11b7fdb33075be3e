/**
 * The Slack adapter end to end: the real Bolt App over HTTP (signed requests from SlackDriver), the
 * real core on a real database (PGlite, or Postgres with TEST_DATABASE_URL), the real bank, a manual
 * clock, and the fake Slack Web API reached through the adapter's `apiUrl` (SLACK_API_URL).
 */
import { pino } from 'pino';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions, type SlackDojo } from '../../../adapters/slack/index.js';
import { advanceClock, ManualClock } from '../../../src/core/clock.js';
import type { Drawing } from '../../../src/charts/drawing.js';
import { createDojo, type DojoCore } from '../../../src/core/dojo.js';
import { seededRandom } from '../../../src/core/selection.js';
import { secretBox } from '../../../src/secrets.js';
import { testDb, type TestDb } from '../../helpers/db.js';
import { SIGNING_SECRET, SlackDriver } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';

/** Retries that finish in milliseconds, so a failing call never hangs a test. */
/** DOJO_ENCRYPTION_KEY of the OAuth worlds (32 bytes, hex). */
export const TEST_ENCRYPTION_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

export const FAST_CLIENT = { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 }, timeout: 5000 };

export const testLog = () => pino({ level: process.env.TEST_LOG ?? 'silent' });

export interface World {
  t: TestDb;
  fake: FakeSlack;
  adapter: SlackAdapter;
  driver: SlackDriver;
  dojo: DojoCore;
  clock: ManualClock;
  /** Moves the clock, running the due work as the tick would; then waits for the adapter's follow-ups. */
  advance(ms: number): Promise<void>;
  /** Waits for everything that followed the acks so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  start?: Date;
  adapter?: Partial<SlackAdapterOptions>;
  timezone?: string;
  /** A fake Web API prepared beforehand (Socket Mode needs its apps.connections.open first). */
  fake?: FakeSlack;
  /** Serve the OAuth install flow too, with installations in the test database. */
  oauth?: boolean;
  /** Puts something between the adapter and the core (a slow or failing database, say). */
  wrap?: (dojo: DojoCore) => SlackDojo;
  /** The bounded chart drawing (a test holds, fills or breaks it). */
  drawing?: Drawing;
}

export async function world(options: WorldOptions = {}): Promise<World> {
  const fake = options.fake ?? (await FakeSlack.start());
  fake.addUser('UADA', { name: 'ada', isAdmin: true });
  fake.addUser('UALICE', { name: 'alice' });
  fake.addUser('UBOB', { name: 'bob' });
  fake.addUser('UCY', { name: 'cy' });
  const t = await testDb({ bank: true });
  const clock = new ManualClock(options.start ?? new Date('2026-11-23T07:00:00Z'));
  const log = testLog();
  const adapter = createSlackAdapter({
    signingSecret: SIGNING_SECRET,
    botToken: 'xoxb-acme',
    apiUrl: fake.apiUrl,
    log,
    clock,
    client: FAST_CLIENT,
    ...(options.oauth ? { oauth: { clientId: '1111.2222', clientSecret: 'client-secret', stateSecret: 'state-secret', redirectUri: 'https://dojo.example/slack/oauth_redirect', db: t.db, secrets: secretBox({ key: TEST_ENCRYPTION_KEY }) } } : {}),
    ...options.adapter,
  });
  const dojo = createDojo({ db: t.db, chat: adapter.chat, clock, log, random: seededRandom(11), defaultTimezone: options.timezone ?? 'UTC', ...(options.drawing ? { drawing: options.drawing } : {}) });
  await adapter.start(options.wrap ? options.wrap(dojo) : dojo);
  const driver = await SlackDriver.start(adapter, fake);
  const settle = () => adapter.idle();
  return {
    t,
    fake,
    adapter,
    driver,
    dojo,
    clock,
    settle,
    advance: async (ms) => {
      await settle();
      await advanceClock(dojo, clock, ms);
      await settle();
    },
    close: async () => {
      await adapter.stop();
      await driver.stop();
      await fake.stop();
      await t.close();
    },
  };
}

/** The texts of a Block Kit message (section, header, context and field texts), for assertions. */
export function blockTexts(blocks: unknown[]): string[] {
  const out: string[] = [];
  for (const b of blocks as { text?: { text?: string }; fields?: { text: string }[]; elements?: { text?: string | { text?: string } }[] }[]) {
    if (b.text?.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) {
      if (typeof e.text === 'string') out.push(e.text);
      else if (e.text?.text) out.push(e.text.text);
    }
  }
  return out;
}

/** The action ids of a message's buttons, by label. */
export function buttons(blocks: unknown[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const b of blocks as { type: string; elements?: { type: string; action_id: string; text: { text: string } }[] }[]) {
    if (b.type === 'actions') for (const e of b.elements ?? []) if (e.type === 'button') map.set(e.text.text, e.action_id);
  }
  return map;
}
