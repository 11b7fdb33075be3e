/**
 * The door in front of Bolt: bodies that used to end the process or get a 500 are answered 400 and the
 * next request is served; timestamps more than 5 minutes ahead are refused like old ones; Slack's
 * app_rate_limited notice is acked at once; a replayed signed body (command, click, submission, event)
 * changes nothing the second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DojoCore } from '../../../src/core/dojo.js';
import type { InboundEvent } from '../../../src/core/ports.js';
import { backend } from '../../helpers/db.js';
import { SIGNING_SECRET, sign } from '../../fakes/slack/driver.js';
import { buttons, world, type World } from './world.js';

const FORM = 'application/x-www-form-urlencoded';

/** The core, except that a thread message saying BUG throws like a bug would. */
const buggy = (dojo: DojoCore) => ({
  home: dojo.home,
  handle: async (event: InboundEvent) => {
    if (event.type === 'message' && event.text === 'BUG') throw new TypeError("Cannot read properties of undefined (reading 'id')");
    return dojo.handle(event);
  },
});

describe(`the Slack door on ${backend}`, () => {
  let w: World;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  beforeAll(async () => {
    w = await world({ wrap: buggy });
    process.on('unhandledRejection', onCrash);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onCrash);
    await w.close();
  });

  const interactive = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const commandForm = (text: string, trigger: string, responseId: string) =>
    new URLSearchParams({ team_id: 'T0001', channel_id: 'C0001', user_id: 'UALICE', user_name: 'alice', command: '/dojo', text, trigger_id: trigger, response_url: w.fake.responseUrl(responseId) }).toString();

  /** Posts the same signed bytes twice, as someone replaying a captured request would. */
  async function twice(body: string, contentType: string) {
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await w.driver.post(body, contentType, { timestamp });
    const second = await w.driver.post(body, contentType, { timestamp });
    await w.settle();
    return [first.status, second.status];
  }

  it('answers 400 to signed bodies that used to end the process or get a 500, and keeps serving', async () => {
    const user = { id: 'UALICE' };
    const bodies: [string, string][] = [
      ['null', 'application/json'],
      ['payload=null', FORM],
      ['[]', 'application/json'],
      [commandForm('help', 'trig.dup', 'dup') + '&text=again', FORM],
      [JSON.stringify({ type: 'event_callback', team_id: 'T0001', event_id: 'Ev1', event: null }), 'application/json'],
      [interactive({ type: 'view_submission', team: { id: 'T0001' }, user, trigger_id: 't', view: {} }), FORM],
      [interactive({ type: 'block_actions', team: { id: 'T0001' }, user, trigger_id: 't', actions: [null] }), FORM],
      [interactive({ type: 'block_actions', team: { id: 'T0001' }, user: null, trigger_id: 't', actions: [{ action_id: 'forget:cancel' }] }), FORM],
    ];
    for (const [body, type] of bodies) expect([body, (await w.driver.post(body, type)).status]).toEqual([body, 400]);
    const help = await w.driver.command('help');
    expect(help.status).toBe(200);
    await w.settle();
    expect(String(w.fake.responses.find((r) => r.id === help.responseId)?.body.text)).toMatch(/Here is what you can do/);
    expect(w.fake.responses.find((r) => r.id === 'dup')).toBeUndefined();
    expect(crashes).toEqual([]);
  });

  it('refuses a request stamped more than 5 minutes in the future, like an old one', async () => {
    const body = commandForm('help', 'trig.future', 'future');
    const ahead = Math.floor(Date.now() / 1000) + 10 * 60;
    const sent = await w.driver.post(body, FORM, { timestamp: ahead, signature: sign(SIGNING_SECRET, ahead, body) });
    expect(sent.status).toBe(401);
    const close = Math.floor(Date.now() / 1000) + 60;
    expect((await w.driver.post(body, FORM, { timestamp: close, signature: sign(SIGNING_SECRET, close, body) })).status).toBe(200);
    await w.settle();
    expect(w.fake.responses.filter((r) => r.id === 'future')).toHaveLength(1);
  });

  it("acks Slack's app_rate_limited notice at once", async () => {
    const started = Date.now();
    const sent = await w.driver.post(JSON.stringify({ token: 't', type: 'app_rate_limited', team_id: 'T0001', minute_rate_limited: 1518467820, api_app_id: 'A0DOJO' }), 'application/json');
    expect(sent.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers 200, not 500, when handling an event hits a bug (a retry would fail the same way)', async () => {
    await w.driver.command('quiz kind:open count:1 seconds:60');
    await w.settle();
    const card = w.fake.posted({ channel: 'C0001' }).find((p) => p.text.startsWith('Question 1 of 1'))!;
    const sent = await w.driver.threadReply({ threadTs: card.threadTs ?? card.ts, text: 'BUG', user: 'UBOB' });
    expect(sent.status).toBe(200);
    await w.advance(60_000);
  });

  it('runs a replayed command, click, submission and event once', async () => {
    const quizzes = () => w.t.db.selectFrom('quiz').select('id').execute();
    const before = (await quizzes()).length;
    expect(await twice(commandForm('quiz kind:choice count:1 seconds:30', 'trig.replay.cmd', 'replay-cmd'), FORM)).toEqual([200, 200]);
    expect((await quizzes()).length).toBe(before + 1);
    expect(w.fake.responses.filter((r) => r.id === 'replay-cmd')).toHaveLength(1);

    const card = w.fake.posted({ channel: 'C0001' }).filter((p) => p.text.startsWith('Question 1 of 1')).at(-1)!;
    const choice = buttons(card.blocks).get('A')!;
    const roundId = Number(choice.split(':')[1]);
    const click = {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'acme' },
      user: { id: 'UBOB', name: 'bob', team_id: 'T0001' },
      trigger_id: 'trig.replay.click',
      container: { type: 'message', message_ts: card.ts, channel_id: 'C0001', is_ephemeral: false },
      channel: { id: 'C0001' },
      message: { ts: card.ts },
      response_url: w.fake.responseUrl('replay-click'),
      actions: [{ action_id: choice, block_id: 'b', type: 'button', value: choice, action_ts: '1.0' }],
    };
    expect(await twice(interactive(click), FORM)).toEqual([200, 200]);
    expect(w.fake.responses.filter((r) => r.id === 'replay-click').map((r) => r.body.text)).toEqual(['Got it: A. You can change it until the question closes.']);
    expect(await w.t.db.selectFrom('answer').select('id').where('round_id', '=', roundId).execute()).toHaveLength(1);

    const questions = () => w.t.db.selectFrom('question').select('id').where('source', '=', 'team').execute();
    const proposed = (await questions()).length;
    const state = { prompt: 'How does a bloom filter avoid false negatives?', kind: 'open', topic: 'caching', difficulty: 'intermediate', details: 'bits\nhashes\nno false negatives' };
    const values = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { [k]: ['kind', 'difficulty'].includes(k) ? { type: 'static_select', selected_option: { value: v } } : { type: 'plain_text_input', value: v } }]));
    const submit = { type: 'view_submission', team: { id: 'T0001' }, user: { id: 'UALICE', name: 'alice' }, trigger_id: 'trig.replay.view', view: { id: 'V9', callback_id: 'add-question', private_metadata: JSON.stringify({ c: 'C0001' }), state: { values } } };
    expect(await twice(interactive(submit), FORM)).toEqual([200, 200]);
    expect((await questions()).length).toBe(proposed + 1);

    await w.driver.command('quiz kind:open count:1 seconds:30', { channel: 'C0002' });
    await w.settle();
    const open = w.fake.posted({ channel: 'C0002' }).find((p) => p.text.startsWith('Question 1 of 1'))!;
    const openRound = await w.t.db.selectFrom('round').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const event = { token: 't', team_id: 'T0001', api_app_id: 'A0DOJO', type: 'event_callback', event_id: 'EvREPLAY1', event_time: 1, event: { type: 'message', channel: 'C0002', user: 'UCY', text: 'Use a covering index.', ts: '1900000500.000001', thread_ts: open.threadTs ?? open.ts } };
    expect(await twice(JSON.stringify(event), 'application/json')).toEqual([200, 200]);
    const parts = await w.t.db.selectFrom('answer_part').innerJoin('answer', 'answer.id', 'answer_part.answer_id').select('answer_part.id').where('answer.round_id', '=', openRound.id).execute();
    expect(parts).toHaveLength(1);
  });
});
