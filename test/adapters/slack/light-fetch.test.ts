/**
 * The Slack clients' own transport (light-fetch.ts, issue 13) where the fake Web API cannot go: Slack
 * unreachable, or answering nothing until the client's timeout. Either way the core hears a temporary
 * failure (the outbox retries later), in bounded time, never a hang or a crash. Rate limits, Slack's
 * errors and pictures over it are in chat.test.ts.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../adapters/slack/index.js';
import { message } from '../../../src/core/messages.js';
import type { Dojo } from '../../../src/core/ports.js';
import { SIGNING_SECRET } from '../../fakes/slack/driver.js';
import { testLog } from './world.js';

const team = { platform: 'slack' as const, id: 'T0001' };
const hello = message([{ type: 'text', text: 'Hello' }]);
const client = { retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 20 }, timeout: 300 };

const nobody: Dojo = { handle: async () => ({}) };

/** A Slack that answers auth.test (so the adapter starts) and nothing else: `hang` leaves calls unanswered. */
async function slackThat(mode: { hang: boolean }) {
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/auth.test')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' }));
    } else if (!mode.hang) res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const slack = createSlackAdapter({ signingSecret: SIGNING_SECRET, botToken: 'xoxb-acme', apiUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/`, log: testLog(), client });
  await slack.start(nobody);
  const gone = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { chat: slack.chat, gone, stop: async () => (await slack.stop(), await gone().catch(() => {})) };
}

describe('the Slack clients’ transport', () => {
  it('reports Slack unreachable as a temporary failure, after its retries', async () => {
    const slack = await slackThat({ hang: false });
    await slack.gone();
    const failure = await slack.chat.post(team, 'C0001', hello).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'unavailable', permanent: false });
    await slack.stop();
  });

  it('gives up on a Slack that answers nothing at the client timeout, as a temporary failure', async () => {
    const slack = await slackThat({ hang: true });
    const started = Date.now();
    const failure = await slack.chat.post(team, 'C0001', hello).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'unavailable', permanent: false });
    // Two tries of 300 ms each, not the 15 s a hung socket could take.
    expect(Date.now() - started).toBeLessThan(5_000);
    await slack.stop();
  });
});
