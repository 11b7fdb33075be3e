/**
 * How soon a person sees the dojo's answer on Discord: a quick outcome is the interaction's callback
 * itself (one round trip), and only a core slower than the answer budget is deferred, then edited or
 * followed up, once. The budget is small here and the slow core is a gate the test holds: no sleeps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent, Outcome } from '../../../src/core/ports.js';
import { CALLBACK, type Sent } from '../../fakes/discord/interactions.js';
import { member, RecordingDojo, startDiscord, type Harness } from './harness.js';

const BUDGET_MS = 30;

/** A core that answers at once, except for the events `holds` picks: those wait until `release()`. */
class GatedDojo extends RecordingDojo {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  holds: (event: InboundEvent) => boolean = () => true;
  outcome: (event: InboundEvent) => Outcome = () => ({ reply: { text: 'Here you go.', visibility: 'ephemeral' } });
  constructor() {
    super();
    this.answer = async (event) => {
      if (this.holds(event)) await this.gate;
      return this.outcome(event);
    };
  }
  release(): void {
    this.opened();
  }
}

describe('answering Discord interactions within the budget', () => {
  let h: Harness | undefined;
  let dojo: GatedDojo;
  afterEach(async () => {
    dojo?.release();
    await h?.stop();
    h = undefined;
  });

  const start = async (budget = BUDGET_MS) => {
    dojo = new GatedDojo();
    h = await startDiscord(dojo, { answerBudgetMs: budget });
    return h;
  };
  /** Every REST call made for one interaction (its callback, edits, follow-ups, deletions). */
  const callsFor = (sent: Sent) => h!.fake.rest.calls.filter((c) => c.path.includes(sent.token));
  /** A card with two buttons, posted by the bot; returns its message id. */
  const postCard = async () => {
    const card = await h!.adapter.chat.post({ platform: 'discord', id: h!.fake.guild.id }, h!.fake.channelId, { text: 'pick', blocks: [{ type: 'buttons', buttons: [{ id: 'choice:1:0', label: 'A' }, { id: 'choice:1:1', label: 'B' }] }] });
    return card.message.split(':')[3]!;
  };
  /** Lets every call already started land: a later interaction of someone else is answered. */
  const settle = async () => {
    await h!.fake.play.callbackOf(h!.fake.play.slash(member('zed'), ['help']));
  };

  it('answers a quick /dojo help in its callback: one REST call, the private reply itself', async () => {
    await start(1500);
    dojo.holds = () => false;
    const sent = h!.fake.play.slash(member('bob'), ['help']);
    const callback = await h!.fake.play.callbackOf(sent);
    expect(callback.body).toMatchObject({ type: CALLBACK.reply, data: { flags: 64, content: 'Here you go.' } });
    await settle();
    expect(callsFor(sent)).toHaveLength(1);
  });

  it('defers a command whose core outlasts the budget, then edits the answer in once', async () => {
    await start();
    const sent = h!.fake.play.slash(member('bob'), ['stats']);
    // The core is still held: the person sees a private "thinking" reply.
    expect((await h!.fake.play.callbackOf(sent)).body).toEqual({ type: CALLBACK.defer, data: { flags: 64 } });
    expect(h!.fake.rest.calls.some((c) => c.method === 'PATCH' && c.path.includes(sent.token))).toBe(false);
    dojo.release();
    const edit = await h!.fake.play.editOf(sent);
    expect(edit.method).toBe('PATCH');
    expect(edit.body.content).toBe('Here you go.');
    await settle();
    expect(callsFor(sent).map((c) => `${c.method} ${c.status}`)).toEqual(['POST 204', 'PATCH 200']);
  });

  it('answers a quick click with a private message of its own and leaves the card as it was', async () => {
    await start(1500);
    dojo.holds = () => false;
    const messageId = await postCard();
    const before = structuredClone(h!.fake.messages.get(messageId));
    const click = h!.fake.play.click(member('bob'), messageId, 'choice:1:0');
    expect((await h!.fake.play.callbackOf(click)).body).toMatchObject({ type: CALLBACK.reply, data: { flags: 64, content: 'Here you go.' } });
    await settle();
    expect(callsFor(click)).toHaveLength(1);
    expect(h!.fake.messages.get(messageId)).toEqual(before);
  });

  it('acknowledges a quick click that has nothing to say without a word, in one call', async () => {
    await start(1500);
    dojo.holds = () => false;
    dojo.outcome = () => ({});
    const messageId = await postCard();
    const click = h!.fake.play.click(member('bob'), messageId, 'choice:1:1');
    expect((await h!.fake.play.callbackOf(click)).body).toEqual({ type: CALLBACK.deferUpdate });
    await settle();
    expect(callsFor(click)).toHaveLength(1);
  });

  it('acknowledges a slow click silently, then tells the person privately once the core is done', async () => {
    await start();
    const messageId = await postCard();
    const click = h!.fake.play.click(member('bob'), messageId, 'choice:1:0');
    expect((await h!.fake.play.callbackOf(click)).body).toEqual({ type: CALLBACK.deferUpdate });
    dojo.release();
    const told = await h!.fake.play.followUpOf(click);
    expect(told.path.endsWith('/callback')).toBe(false);
    expect(told.body).toMatchObject({ content: 'Here you go.', flags: 64 });
    await settle();
    expect(h!.fake.play.callbacksOf(click)).toHaveLength(1);
  });

  it('hands one person’s clicks to the core in order: the second waits behind a slow first, and both are answered once', async () => {
    await start();
    const order: string[] = [];
    dojo.holds = (event) => event.type === 'button' && event.action === 'choice:1:0';
    dojo.outcome = (event) => {
      if (event.type === 'button') order.push(event.action);
      return { reply: { text: event.type === 'button' ? event.action : 'ok', visibility: 'ephemeral' } };
    };
    const messageId = await postCard();
    const bob = member('bob');
    const first = h!.fake.play.click(bob, messageId, 'choice:1:0');
    const second = h!.fake.play.click(bob, messageId, 'choice:1:1');
    // Both outlast the budget while the first is held, so both are acknowledged without a word.
    const acks = await Promise.all([h!.fake.play.callbackOf(first), h!.fake.play.callbackOf(second)]);
    expect(acks.map((a) => a.body.type)).toEqual([CALLBACK.deferUpdate, CALLBACK.deferUpdate]);
    expect(order).toEqual([]);
    dojo.release();
    expect((await h!.fake.play.followUpOf(first)).body.content).toBe('choice:1:0');
    expect((await h!.fake.play.followUpOf(second)).body.content).toBe('choice:1:1');
    expect(order).toEqual(['choice:1:0', 'choice:1:1']);
    expect([...h!.fake.play.callbacksOf(first), ...h!.fake.play.callbacksOf(second)]).toHaveLength(2);
  });
});
