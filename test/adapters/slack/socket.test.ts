/**
 * Socket Mode (SLACK_APP_TOKEN): the same listeners, fed over a WebSocket by a local fake of Slack's
 * Socket Mode server instead of signed HTTP requests. Every envelope is acknowledged at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { FakeSocketMode } from '../../fakes/slack/socket.js';
import { DojoUnavailable, type InboundEvent } from '../../../src/core/ports.js';
import { answersOfRound } from '../../../src/db/repos/answers.js';
import { blockTexts, world, type World } from './world.js';

const APP_TOKEN = 'xapp-1-A0DOJO-1-abc';

describe(`Socket Mode on ${backend}`, () => {
  let w: World;
  let socket: FakeSocketMode;
  let failNext = false;
  beforeAll(async () => {
    const fake = await FakeSlack.start();
    socket = await FakeSocketMode.start(fake, APP_TOKEN);
    w = await world({
      fake,
      // A budget no loaded CI machine misses (PGlite in the test's thread makes the loop late at times),
      // so the answer-in-the-ack case below does not depend on timing.
      adapter: { appToken: APP_TOKEN, signingSecret: undefined, answerBudgetMs: 2_500, laggingMs: Number.POSITIVE_INFINITY },
      // A database that fails once, on demand.
      wrap: (dojo) => ({
        home: dojo.home,
        handle: async (event: InboundEvent) => {
          if (event.type === 'message' && failNext) {
            failNext = false;
            throw new DojoUnavailable();
          }
          return dojo.handle(event);
        },
      }),
    });
  });
  afterAll(async () => {
    await w.close();
    await socket.stop();
  });

  it('connects with the app token and takes no HTTP events', async () => {
    expect(w.adapter.mode).toBe('socket');
    expect(socket.connections).toHaveLength(1);
    expect(w.fake.callsOf('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
    const http = await w.driver.command('help');
    expect(http.status).toBe(404);
  });

  it('answers a slash command in its ack, as over HTTP', async () => {
    const started = Date.now();
    const ack = await socket.send('slash_commands', {
      team_id: 'T0001',
      team_domain: 'acme',
      channel_id: 'C0001',
      channel_name: 'dojo',
      user_id: 'UALICE',
      user_name: 'alice',
      command: '/dojo',
      text: 'help',
      response_url: w.fake.responseUrl('socket-help'),
      trigger_id: 'trig.socket.1',
      api_app_id: 'A0DOJO',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack?.payload).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Here is what you can do/) });
    await w.settle();
    expect(w.fake.responses.filter((r) => r.id === 'socket-help').map((r) => r.via)).toEqual(['ack']);
  });

  it('handles clicks and events the same way', async () => {
    await socket.send('interactive', {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'acme' },
      user: { id: 'UALICE', name: 'alice', team_id: 'T0001' },
      api_app_id: 'A0DOJO',
      trigger_id: 'trig.socket.2',
      container: { type: 'message', message_ts: '1.000001', channel_id: 'C0001', is_ephemeral: true },
      channel: { id: 'C0001', name: 'dojo' },
      response_url: w.fake.responseUrl('socket-click'),
      actions: [{ action_id: 'forget:cancel', block_id: 'actions:0', type: 'button', value: 'forget:cancel', action_ts: '1.0' }],
    });
    await socket.send('events_api', {
      team_id: 'T0001',
      api_app_id: 'A0DOJO',
      type: 'event_callback',
      event_id: 'EvSOCKET1',
      event: { type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'home', event_ts: '1.0' },
    });
    await w.settle();
    expect(w.fake.responses.find((r) => r.id === 'socket-click')?.body.text).toBe('Nothing was deleted.');
    const home = w.fake.callsOf('views.publish').at(-1)?.args.view as { blocks: unknown[] };
    expect(blockTexts(home.blocks).join('\n')).toMatch(/Stats for alice/);
  });

  it('leaves an event it could not store unacknowledged, so Slack sends it again; the repeat counts once', async () => {
    await socket.send('slash_commands', {
      team_id: 'T0001',
      channel_id: 'C0001',
      channel_name: 'dojo',
      user_id: 'UADA',
      user_name: 'ada',
      command: '/dojo',
      text: 'schedule set days:mon-fri time:09:00 tz:UTC window:2h kind:open',
      response_url: w.fake.responseUrl('socket-set'),
      trigger_id: 'trig.socket.3',
    });
    await w.advance(2 * 3_600_000);
    const card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question of the day'))!;
    expect(card).toBeDefined();
    const envelope = {
      team_id: 'T0001',
      api_app_id: 'A0DOJO',
      type: 'event_callback',
      event_id: 'EvSOCKET2',
      event: { type: 'message', channel: 'C0001', user: 'UBOB', text: 'Replication copies data to other nodes.', ts: '1900000009.000001', thread_ts: card.ts, event_ts: '1900000009.000001' },
    };
    failNext = true;
    expect(await socket.send('events_api', envelope, { waitMs: 500 })).toBeUndefined();
    expect(await socket.send('events_api', envelope, { retryAttempt: 1 })).toMatchObject({ envelope_id: expect.any(String) });
    expect(await socket.send('events_api', envelope, { retryAttempt: 2 })).toBeDefined();
    const round = await w.t.db.selectFrom('round').select('id').where('kind', '=', 'qotd').executeTakeFirstOrThrow();
    expect((await answersOfRound(w.t.db, round.id)).map((a) => a.body)).toEqual(['Replication copies data to other nodes.']);
  });

  it('acks and drops a malformed envelope, and keeps serving', async () => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('unhandledRejection', onCrash);
    try {
      expect(await socket.send('interactive', { type: 'block_actions', team: { id: 'T0001' }, user: null, trigger_id: 't', actions: [null] })).toBeDefined();
      expect(await socket.send('events_api', { type: 'event_callback', team_id: 'T0001', event_id: 'EvBAD', event: null })).toBeDefined();
      expect(await socket.send('slash_commands', { team_id: 'T0001', channel_id: 'C0001', user_id: 'UALICE', command: '/dojo', text: ['help', 'again'], trigger_id: 't' })).toBeDefined();
      const ack = await socket.send('slash_commands', { team_id: 'T0001', channel_id: 'C0001', user_id: 'UALICE', user_name: 'alice', command: '/dojo', text: 'help', response_url: w.fake.responseUrl('socket-after-bad'), trigger_id: 'trig.socket.after' });
      expect(ack).toBeDefined();
      await w.settle();
      expect(String(w.fake.responses.find((r) => r.id === 'socket-after-bad')?.body.text)).toMatch(/Here is what you can do/);
      expect(crashes).toEqual([]);
    } finally {
      process.off('unhandledRejection', onCrash);
    }
  });
});
