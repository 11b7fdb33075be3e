/**
 * A Socket Mode ack that cannot be sent (the connection dropped while the command was worked on) loses
 * nothing: the command's answer goes through its response_url instead, and the client connects again.
 * (An ack written into a connection that is dying but not yet known to be closed is lost with it: Socket
 * Mode has no receipt for an ack, so no client can tell. Slack then shows the person a timeout.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../helpers/db.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { FakeSocketMode } from '../../fakes/slack/socket.js';
import type { InboundEvent } from '../../../src/core/ports.js';
import { world, type World } from './world.js';

const APP_TOKEN = 'xapp-1-A0DOJO-1-abc';

describe(`a Socket Mode ack that fails, on ${backend}`, () => {
  let w: World;
  let socket: FakeSocketMode;
  let entered: () => void = () => {};
  let gate: Promise<void> | undefined;
  beforeAll(async () => {
    const fake = await FakeSlack.start();
    socket = await FakeSocketMode.start(fake, APP_TOKEN);
    w = await world({
      fake,
      adapter: { appToken: APP_TOKEN, signingSecret: undefined, answerBudgetMs: 10_000, laggingMs: Number.POSITIVE_INFINITY },
      // Holds a command in the core until the test lets it go.
      wrap: (dojo) => ({
        home: dojo.home,
        handle: async (event: InboundEvent) => {
          if (event.type === 'command' && gate) {
            entered();
            await gate;
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

  it('sends the answer through the response_url when the connection dropped before the ack', async () => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    const inCore = new Promise<void>((resolve) => (entered = resolve));
    const ack = socket.send(
      'slash_commands',
      { team_id: 'T0001', channel_id: 'C0001', channel_name: 'dojo', user_id: 'UALICE', user_name: 'alice', command: '/dojo', text: 'leaderboard', response_url: w.fake.responseUrl('socket-late'), trigger_id: 'trig.socket.late', api_app_id: 'A0DOJO' },
      { waitMs: 5_000 },
    );
    await inCore;
    const connections = socket.connections.length;
    await socket.drop();
    release();
    gate = undefined;
    expect(await ack).toBeUndefined();
    await expect.poll(() => w.fake.responses.filter((r) => r.id === 'socket-late').length, { timeout: 10_000 }).toBe(1);
    const answer = w.fake.responses.find((r) => r.id === 'socket-late')!;
    expect(answer.via).toBeUndefined();
    expect(answer.body).toMatchObject({ response_type: 'in_channel', text: expect.stringMatching(/Leaderboard/i) });
    // And the client is back.
    await expect.poll(() => socket.connections.length, { timeout: 10_000 }).toBeGreaterThan(connections);
  }, 30_000);
});
