import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DojoCore } from '../../../src/core/dojo.js';
import type { Dojo, InboundEvent } from '../../../src/core/ports.js';
import { backend } from '../../helpers/db.js';
import { apiMessage } from '../../fakes/discord/payloads.js';
import { error } from '../../fakes/discord/rest.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { eventually, member, shown } from './harness.js';

const HOUR = 3_600_000;

/** The core behind a busy database: the commands the test holds wait until it lets them go. */
function slowFor(dojo: DojoCore, slow: Map<string, Promise<void>>): Dojo {
  return {
    handle: async (event: InboundEvent) => {
      if (event.type === 'command') await slow.get(event.text);
      return dojo.handle(event);
    },
  };
}

describe(`Discord resilience on ${backend}`, () => {
  let h: CoreHarness;
  const slow = new Map<string, Promise<void>>();
  const ada = member('ada', { manageGuild: true });
  const bob = member('bob');

  beforeAll(async () => {
    h = await startWithCore({ adapter: { threadAnswers: true }, wrap: (dojo) => slowFor(dojo, slow) });
  });
  afterAll(async () => h?.stop());

  it('defers within 3 seconds when the database is slow, then edits the answer in', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    slow.set('leaderboard', held).set('add-question', held);
    try {
      const board = h.fake.play.slash(bob, ['leaderboard'], { period: 'week' });
      const form = h.fake.play.slash(bob, ['add-question']);
      // Each waits for the core as long as its budget allows (longer for one that opens a modal), then defers.
      const [boardAck, formAck] = await Promise.all([h.fake.play.callbackOf(board), h.fake.play.callbackOf(form)]);
      expect(boardAck.body).toEqual({ type: 5, data: { flags: 64 } });
      expect(boardAck.at - board.dispatchedAt).toBeLessThan(3000);
      expect(formAck.body).toEqual({ type: 5, data: { flags: 64 } });
      expect(formAck.at - form.dispatchedAt).toBeLessThan(3000);
      release();

      // The private deferral cannot become the public board: the bot posts it, and the deferred answer says so.
      expect(shown((await h.fake.play.editOf(board, 6000)).body)).toBe('Posted in the channel.');
      expect(h.fake.messagesIn(h.fake.channelId).map(shown).filter((t) => /Leaderboard/i.test(t))).toHaveLength(1);
      // The form can no longer open from that interaction; a button opens it instead.
      const edit = await h.fake.play.editOf(form, 6000);
      expect(shown(edit.body)).toMatch(/Add a team question/);
      expect(edit.body.components[0].components[0]).toMatchObject({ label: 'Open the form' });
      expect(h.fake.play.callbacksOf(board)).toHaveLength(1);
      expect(h.fake.play.callbacksOf(form)).toHaveLength(1);
    } finally {
      release();
      slow.clear();
    }
  });

  it('shows a late board privately, saying why, where the bot may not post', async () => {
    let release!: () => void;
    slow.set('leaderboard', new Promise<void>((resolve) => (release = resolve)));
    try {
      const board = h.fake.play.slash(bob, ['leaderboard'], { period: 'week' });
      expect((await h.fake.play.callbackOf(board)).body).toEqual({ type: 5, data: { flags: 64 } });
      h.fake.fail('POST', new RegExp(`^/channels/${h.fake.channelId}/messages$`), error(403, 50013, 'Missing Permissions'));
      release();
      const shownLate = shown((await h.fake.play.editOf(board, 6000)).body);
      expect(shownLate).toMatch(/^I couldn't post this in the channel, so here it is just for you\./);
      expect(shownLate).toMatch(/Leaderboard/i);
    } finally {
      release();
      slow.clear();
    }
  });

  it('handles a duplicate dispatch once: one answer to Discord, one practice question', async () => {
    // A topic with open questions only: the next test answers the posted question with a thread reply.
    const sent = h.fake.play.slash(bob, ['question'], { topic: 'scalability' });
    h.fake.play.redeliver(sent, bob, ['question'], { topic: 'scalability' });
    expect(shown((await h.fake.play.editOf(sent)).body)).toMatch(/^Posted!/);
    // The gateway delivers events in order: once a later command is answered, the duplicate was seen too.
    await h.fake.play.editOf(h.fake.play.slash(bob, ['stats']));
    expect(h.fake.play.callbacksOf(sent)).toHaveLength(1);
    expect(h.fake.messagesIn(h.fake.channelId).filter((m) => shown(m).startsWith('Question for the channel'))).toHaveLength(1);
    expect(await h.t.db.selectFrom('round').select('id').where('kind', '=', 'practice').execute()).toHaveLength(1);
  });

  it('resumes a dropped gateway connection and the open round still takes answers', async () => {
    const card = h.fake.messagesIn(h.fake.channelId).find((m) => shown(m).startsWith('Question for the channel'))!;
    expect(h.fake.threads.has(card.id)).toBe(true);
    const identifies = h.fake.gateway.identifies;

    h.fake.gateway.drop(4000);
    // Sent while the connection is down: Discord replays it on resume.
    const message = h.fake.storeMessage(card.id, { content: 'Indexes trade write speed for read speed.' }, { id: bob.id, username: 'bob', global_name: 'bob', discriminator: '0', avatar: null, bot: false });
    h.fake.gateway.dispatch('MESSAGE_CREATE', { ...apiMessage(message), member: { roles: [], joined_at: '2026-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 } });
    await eventually(() => expect(h.fake.gateway.resumes).toBe(1), 5000);
    expect(h.fake.gateway.identifies).toBe(identifies);
    await eventually(async () => expect(await h.t.db.selectFrom('answer').select('body').execute()).toEqual([{ body: 'Indexes trade write speed for read speed.' }]));

    // A second delivery of the same message (a replay) changes nothing.
    h.fake.gateway.dispatch('MESSAGE_CREATE', { ...apiMessage(message), member: { roles: [], joined_at: '2026-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 } });
    const after = h.fake.play.slash(bob, ['stats']);
    await h.fake.play.editOf(after);

    await h.advance(HOUR);
    const summary = h.fake.messagesIn(card.id).map(shown).find((t) => t.startsWith("Time's up"));
    expect(summary).toMatch(/1 answer from bob/);
  });

  it('pauses a schedule and tells the admins when it may not open threads in the channel', async () => {
    const locked = h.fake.addChannel('locked');
    const set = h.fake.play.slash(ada, ['schedule', 'set'], { time: '09:00', tz: 'UTC', days: 'daily' }, locked);
    await h.fake.play.editOf(set);
    h.fake.fail('POST', new RegExp(`^/channels/${locked}/messages/\\d+/threads$`), error(403, 50013, 'Missing Permissions'));

    // To just past the next 09:00 (not to the round's close: see the report on orphaned replies).
    const now = h.clock.now();
    const nine = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9);
    await h.advance((nine > now.getTime() ? nine : nine + 24 * HOUR) - now.getTime() + 60_000);
    const threadCall = await h.fake.waitFor((c) => c.method === 'POST' && c.path.startsWith(`/channels/${locked}/messages/`) && c.path.endsWith('/threads'));
    expect(threadCall.status).toBe(403);
    // The card that could not get its thread is taken down, not left without a place to answer.
    const cardId = threadCall.path.split('/')[4]!;
    expect(h.fake.calls('DELETE', new RegExp(`^/channels/${locked}/messages/${cardId}$`))).toHaveLength(1);
    const dm = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/channels/${h.fake.dmChannel(ada.id)}/messages`);
    expect(shown(dm.body)).toMatch(/couldn't post the question of the day in #locked \(I'm missing permissions there\), so I paused its schedule/);

    const show = h.fake.play.slash(ada, ['schedule', 'show'], {}, locked);
    expect(shown((await h.fake.play.editOf(show)).body)).toMatch(/Paused \(posting failed: I'm missing permissions there\)/);
  });
});
