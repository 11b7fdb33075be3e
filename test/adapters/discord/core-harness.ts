/**
 * The real core on a real database (PGlite, or Postgres with TEST_DATABASE_URL) behind the real
 * discord.js adapter, against the fake Discord; time moves only when the test says.
 */
import { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../../adapters/discord/index.js';
import { advanceClock, ManualClock } from '../../../src/core/clock.js';
import type { Drawing } from '../../../src/charts/drawing.js';
import { createDojo, type DojoCore } from '../../../src/core/dojo.js';
import type { Dojo } from '../../../src/core/ports.js';
import { seededRandom } from '../../../src/core/selection.js';
import { FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord/index.js';
import { testDb, type TestDb } from '../../helpers/db.js';
import { log } from './harness.js';

export interface CoreHarness {
  t: TestDb;
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  dojo: DojoCore;
  clock: ManualClock;
  advance(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWithCore(
  options: { adapter?: Partial<DiscordAdapterOptions>; fake?: FakeDiscordOptions; wrap?: (dojo: DojoCore) => Dojo; start?: Date; drawing?: Drawing } = {},
): Promise<CoreHarness> {
  const t = await testDb({ bank: true });
  const clock = new ManualClock(options.start ?? new Date('2026-11-23T07:00:00Z'));
  const fake = await new FakeDiscord(options.fake).start();
  const adapter = createDiscordAdapter({
    token: 'fake-bot-token.for-tests.only',
    apiUrl: fake.apiUrl,
    log,
    topics: ['caching', 'databases', 'indexing'],
    database: t,
    rest: { retries: 1, timeout: 5000 },
    readyTimeoutMs: 10_000,
    ...options.adapter,
  });
  const dojo = createDojo({ db: t.db, chat: adapter.chat, clock, log, random: seededRandom(7), defaultTimezone: 'UTC', ...(options.drawing ? { drawing: options.drawing } : {}) });
  await adapter.start(options.wrap ? options.wrap(dojo) : dojo);
  return {
    t,
    fake,
    adapter,
    dojo,
    clock,
    advance: (ms) => advanceClock(dojo, clock, ms),
    stop: async () => {
      await adapter.stop();
      await fake.stop();
      await t.close();
    },
  };
}
