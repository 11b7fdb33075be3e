/**
 * Acks never wait on the embedded database: the whole server (runServer, real Bolt over signed HTTP,
 * the fake Web API) on PGlite running on its worker thread, as `dojo start` runs it without
 * DATABASE_URL. While a statement keeps PGlite busy for a second, a `/dojo stats` is acked at once, and
 * its reply follows once the database is free.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { slackAdapterFactory } from '../../../adapters/slack/factory.js';
import { loadConfig } from '../../../src/config.js';
import { runServer } from '../../../src/main.js';
import { backend, testDb } from '../../helpers/db.js';
import { freePort } from '../../helpers/ports.js';
import { SIGNING_SECRET, SlackDriver } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { testLog } from './world.js';

describe.skipIf(backend !== 'pglite')('Slack on embedded PGlite', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  it('acks a command while the database is busy, and replies once it is free', async () => {
    const fake = await FakeSlack.start();
    fake.addUser('UALICE', { name: 'alice', isAdmin: true });
    const t = await testDb({ bank: true, thread: 'worker' });
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-acme', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
    const stop = await runServer(config, t, [slackAdapterFactory], testLog());
    cleanup.push(async () => {
      await stop();
      await t.close();
      await fake.stop();
    });
    const driver = SlackDriver.attach(`http://127.0.0.1:${port}`, fake);
    const replied = (id: string) => fake.responses.some((r) => r.id === id);
    const first = await driver.command('help', { user: 'UALICE' });
    await expect.poll(() => replied(first.responseId), { timeout: 10_000 }).toBe(true);

    let busy = true;
    const hold = sql`select pg_sleep(3)`.execute(t.db).finally(() => (busy = false));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Stats need the database (help may be answered in the ack from the tenancy cache); stats replies privately.
    const sent = await driver.command('stats', { user: 'UALICE' });
    expect(sent.status).toBe(200);
    // Acked while the statement still holds the database: the ack did not wait for it.
    expect(busy).toBe(true);
    expect(replied(sent.responseId)).toBe(false);
    await hold;
    await expect.poll(() => replied(sent.responseId), { timeout: 10_000 }).toBe(true);
  });
});
