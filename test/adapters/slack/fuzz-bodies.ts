/**
 * fast-check arbitraries for what a hostile or broken sender could get Slack to sign: slash command
 * forms (repeated keys, missing fields), Events API envelopes, block_actions and view_submission
 * payloads with the wrong shapes in every place the adapter reads, and plain junk bodies.
 */
import fc from 'fast-check';

export interface FuzzBody {
  kind: 'command' | 'event' | 'action' | 'view' | 'junk';
  body: string;
  contentType: string;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Values that break code expecting a string or an object. */
const odd = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null]),
  fc.string({ maxLength: 12 }),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('help', 'quiz count:2', 'quiz kind:choice count:1', 'stats', 'leaderboard', 'practice', 'review', 'add-question', 'export', 'schedule set time:09:00', '<!channel> hi', 'forget-me', 'question'),
);
const id = (prefix: string) => fc.oneof(fc.constantFrom(`${prefix}0001`, `${prefix}0002`, `${prefix}ALICE`), fc.string({ maxLength: 10 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, odd);
const actionIds = fc.oneof(
  fc.constantFrom('choice:1:0', 'answer:1', 'self:1:knew', 'pself:1:didnt', 'review:next', 'approve:1', 'reject:1', 'forget:confirm', 'forget:cancel', 'quiz-stop:1', 'dm:T0001:choice:1:0'),
  fc.string({ maxLength: 20 }),
);

/** A slash command form; some keys repeated (`text=a&text=b`), some left out. */
const command: fc.Arbitrary<FuzzBody> = fc
  .record(
    {
      team_id: id('T'),
      channel_id: id('C'),
      user_id: id('U'),
      user_name: fc.string({ maxLength: 8 }),
      command: fc.constantFrom('/dojo', '/other', ''),
      text,
      trigger_id: fc.string({ minLength: 1, maxLength: 16 }),
      response_url: fc.constantFrom('http://127.0.0.1:9/respond/x', 'not a url', ''),
    },
    { requiredKeys: ['command'] },
  )
  .chain((fields) =>
    fc.subarray(Object.keys(fields), { maxLength: 3 }).map((repeated) => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
      for (const k of repeated) form.append(k, 'again');
      return { kind: 'command' as const, body: form.toString(), contentType: FORM };
    }),
  );

const slackMessage = fc.record(
  { type: maybe(fc.constant('message')), subtype: maybe(fc.constantFrom('message_changed', 'message_deleted', 'bot_message', 'thread_broadcast')), user: maybe(id('U')), text: maybe(text), ts: maybe(fc.constantFrom('1.000001', '2.000002')), thread_ts: maybe(fc.constantFrom('1.000001', '3.000003')), channel: maybe(id('C')), message: odd, previous_message: odd, tab: maybe(fc.constant('home')) },
  { requiredKeys: [] },
);
const event: fc.Arbitrary<FuzzBody> = fc
  .record(
    {
      type: maybe(fc.constantFrom('event_callback', 'app_rate_limited', 'url_verification')),
      team_id: maybe(id('T')),
      event_id: maybe(fc.string({ minLength: 1, maxLength: 12 })),
      event: fc.oneof(odd, fc.tuple(fc.constantFrom('message', 'app_home_opened', 'app_uninstalled', 'reaction_added'), slackMessage).map(([type, m]) => ({ ...m, type })), slackMessage),
      challenge: maybe(fc.string({ maxLength: 8 })),
      authorizations: odd,
    },
    { requiredKeys: [] },
  )
  .map((envelope) => ({ kind: 'event' as const, body: JSON.stringify(envelope), contentType: JSON_TYPE }));

const base = {
  team: fc.oneof(odd, fc.record({ id: maybe(id('T')), domain: maybe(fc.string({ maxLength: 6 })) }, { requiredKeys: [] })),
  user: fc.oneof(odd, fc.record({ id: maybe(id('U')), name: maybe(fc.string({ maxLength: 6 })), team_id: maybe(id('T')) }, { requiredKeys: [] })),
  trigger_id: maybe(fc.string({ minLength: 1, maxLength: 12 })),
};
const action: fc.Arbitrary<FuzzBody> = fc
  .record(
    {
      type: fc.oneof(fc.constant('block_actions'), odd),
      ...base,
      actions: fc.oneof(odd, fc.array(fc.oneof(odd, fc.record({ action_id: maybe(actionIds), value: maybe(fc.string()), action_ts: maybe(fc.string()) }, { requiredKeys: [] })), { maxLength: 2 })),
      channel: fc.oneof(odd, fc.record({ id: maybe(id('C')) }, { requiredKeys: [] })),
      container: fc.oneof(odd, fc.record({ channel_id: maybe(id('C')), message_ts: maybe(fc.string()), thread_ts: maybe(fc.string()), is_ephemeral: maybe(fc.boolean()) }, { requiredKeys: [] })),
      message: fc.oneof(odd, fc.record({ ts: maybe(fc.string()), thread_ts: maybe(fc.string()) }, { requiredKeys: [] })),
      view: fc.oneof(odd, fc.record({ private_metadata: maybe(fc.constantFrom('{"c":"C0001"}', '{"c":1}', 'null', '{', '')), callback_id: maybe(fc.string()) }, { requiredKeys: [] })),
      response_url: maybe(fc.constant('http://127.0.0.1:9/respond/y')),
    },
    { requiredKeys: ['type'] },
  )
  .map((payload) => ({ kind: 'action' as const, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM }));

const inputState = fc.oneof(odd, fc.record({ type: maybe(fc.constantFrom('plain_text_input', 'static_select', 'checkboxes')), value: maybe(fc.string({ maxLength: 20 })), selected_option: fc.oneof(odd, fc.record({ value: maybe(fc.string()) })), selected_options: maybe(fc.array(odd, { maxLength: 2 })) }, { requiredKeys: [] }));
const view: fc.Arbitrary<FuzzBody> = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('view_submission', 'view_closed'), odd),
      ...base,
      view: fc.oneof(
        odd,
        fc.record(
          {
            id: maybe(fc.string({ maxLength: 6 })),
            callback_id: maybe(fc.constantFrom('answer:1', 'review:1', 'add-question', 'nope')),
            private_metadata: maybe(fc.constantFrom('{"c":"C0001"}', '{"c":"C0001","t":"1.0"}', '[]', '')),
            state: fc.oneof(odd, fc.record({ values: fc.oneof(odd, fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(odd, fc.dictionary(fc.constantFrom('body', 'prompt', 'kind', 'correctness', 'feedback', 'best'), inputState, { maxKeys: 3 })), { maxKeys: 3 })) })),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ['type'] },
  )
  .map((payload) => ({ kind: 'view' as const, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM }));

const junk: fc.Arbitrary<FuzzBody> = fc.oneof(
  fc.constantFrom('null', '[]', '"text"', '1', '{', '{"type":null}', '{"event":null}', '{"type":"app_rate_limited","team_id":"T0001","minute_rate_limited":1}').map((body) => ({ kind: 'junk' as const, body, contentType: JSON_TYPE })),
  fc.constantFrom('payload=null', 'payload=1', 'payload=%5Bnull%5D', 'payload=%7B', 'payload=a&payload=b', 'command=%2Fdojo', '').map((body) => ({ kind: 'junk' as const, body, contentType: FORM })),
  fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom(FORM, JSON_TYPE)).map(([body, contentType]) => ({ kind: 'junk' as const, body, contentType })),
);

export const slackBodies: fc.Arbitrary<FuzzBody> = fc.oneof({ weight: 3, arbitrary: command }, { weight: 3, arbitrary: event }, { weight: 3, arbitrary: action }, { weight: 3, arbitrary: view }, { weight: 1, arbitrary: junk });

/** Something a person might see that only a program should: a stack frame, an error class, a file path. */
export const STACK = /\n\s+at |\b(?:TypeError|ReferenceError|SyntaxError|ZodError)\b|node_modules|\.ts:\d+/;
