/**
 * The whole server (runServer: HTTP, the Slack adapter on real Bolt, the core, the tick) against the
 * fake Web API: a token Slack stops accepting at run time makes /readyz say so, and a shutdown says
 * 503 on /healthz first, then finishes the work in flight before it resolves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { slackAdapterFactory } from '../../../adapters/slack/factory.js';
import { loadBank } from '../../../src/bank/load.js';
import { loadConfig } from '../../../src/config.js';
import { syncBuiltinQuestions } from '../../../src/db/repos/questions.js';
import { transaction } from '../../../src/db/tx.js';
import { runServer } from '../../../src/main.js';
import { BUILTIN_QUESTIONS_DIR } from '../../../src/paths.js';
import { testDb, type TestDb } from '../../helpers/db.js';
import { SIGNING_SECRET, SlackDriver } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { testLog } from './world.js';
import { freePort } from '../../helpers/ports.js';


describe('the server on Slack', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function server() {
    const fake = await FakeSlack.start();
    fake.addUser('UALICE', { name: 'alice', isAdmin: true });
    const t: TestDb = await testDb();
    const bank = await loadBank(BUILTIN_QUESTIONS_DIR);
    await transaction(t.db, (trx) => syncBuiltinQuestions(trx, bank.questions, new Date()));
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-acme', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
    let stopped = false;
    const stop = await runServer(config, t, [slackAdapterFactory], testLog());
    cleanup.push(async () => {
      if (!stopped) await stop();
      await t.close();
      await fake.stop();
    });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return [res.status, await res.text()] as const;
    };
    return {
      fake,
      get,
      driver: SlackDriver.attach(`http://127.0.0.1:${port}`, fake),
      stop: async () => {
        stopped = true;
        await stop();
      },
    };
  }

  it('reports not ready once Slack stops accepting the token, and names the reason', async () => {
    const s = await server();
    expect(await s.get('/readyz')).toEqual([200, 'ready\n']);
    s.fake.workspaces.delete('xoxb-acme');
    expect((await s.driver.command('quiz count:1')).status).toBe(200);
    await expect.poll(() => s.fake.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => s.get('/readyz'), { timeout: 10_000 }).toEqual([503, 'slack token rejected by Slack (invalid_auth)\n']);
    expect((await s.get('/healthz'))[0]).toBe(200);
  });

  it('says 503 on /healthz as soon as it shuts down, and finishes the post in flight first', async () => {
    const s = await server();
    s.fake.delays.set('chat.postMessage', 1_500);
    expect((await s.driver.command('quiz count:1')).status).toBe(200);
    await expect.poll(() => s.fake.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(1);
    const stopping = s.stop();
    expect(await s.get('/healthz')).toEqual([503, 'shutting down\n']);
    expect(await s.get('/readyz')).toEqual([503, 'shutting down\n']);
    expect(s.fake.posted()).toHaveLength(0);
    await stopping;
    // The quiz's question went out before the server let go.
    expect(s.fake.posted().length).toBeGreaterThanOrEqual(1);
    // And then it no longer listens.
    await expect(s.get('/healthz')).rejects.toThrow();
  });
});
