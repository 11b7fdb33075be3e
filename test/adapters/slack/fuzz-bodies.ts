/**
 * fast-check arbitraries for what Slack could sign: slash command forms, Events API envelopes, block
 * actions and view submissions. Each starts well formed (so the real core is reached with random text,
 * ids and values) and about half get one field broken (null, a number, an array, a repeated form key,
 * a missing field); some are junk from the start.
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
const odd = fc.constantFrom<unknown>(null, undefined, 0, -1, true, [], {}, [null], '', 'x'.repeat(300));
const team = fc.constantFrom('T0001', 'T0001', 'T0001', 'T0002');
const channel = fc.constantFrom('C0001', 'C0002');
const user = fc.constantFrom('UALICE', 'UBOB', 'UADA', 'UNOBODY');
const n = fc.integer({ min: 1, max: 6 }).map(String);
const words = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('help', 'quiz count:1', 'quiz kind:choice count:1 seconds:10', 'quiz kind:open count:1', 'stats', 'leaderboard all', 'practice', 'review', 'add-question', 'export', 'schedule set time:09:00', 'schedule off', 'season start', 'mentor add <@UBOB|bob>', '<!channel> hi <@UALICE>', 'forget-me', 'question', 'quiz stop', 'quiz count:0 topic:"', 'quiz topic:nope'),
);
const actionId = fc.oneof(
  fc.tuple(fc.constantFrom('choice', 'self', 'pself', 'answer', 'approve', 'reject', 'quiz-stop'), n, fc.constantFrom('0', '1', '3', 'knew', 'didnt', '')).map(([k, a, b]) => `${k}:${a}:${b}`),
  fc.constantFrom('review:next', 'forget:confirm', 'forget:cancel'),
  fc.string({ maxLength: 20 }),
);
const trigger = fc.string({ minLength: 1, maxLength: 10 }).map((s) => `trig.${s}`);
const ts = fc.constantFrom('1.000001', '1900000001.000001', '1900000002.000002');

/** Sets `path` (dotted) in a copy of `value`, or deletes it for `undefined`. */
function broken(value: Record<string, unknown>, path: string, to: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) return copy;
    at = at[k] as Record<string, unknown>;
  }
  if (to === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = to;
  return copy;
}

/** A well-formed value, and half the time one of its fields broken. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>, paths: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(valid, fc.option(fc.tuple(fc.constantFrom(...paths), odd), { freq: 2 })).map(([v, m]) => (m ? broken(v, m[0], m[1]) : v));
}

export function slackBodies(responseUrl: (id: string) => string): fc.Arbitrary<FuzzBody> {
  const command = fc
    .tuple(
      mutated(fc.record({ team_id: team, channel_id: channel, user_id: user, user_name: fc.constantFrom('alice', 'bob', ''), command: fc.constant('/dojo'), text: words, trigger_id: trigger, response_url: n.map(responseUrl) }), ['team_id', 'channel_id', 'user_id', 'text', 'trigger_id', 'response_url', 'command']),
      fc.subarray(['text', 'team_id', 'user_id', 'trigger_id'], { maxLength: 1 }),
    )
    .map(([fields, repeated]) => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      for (const k of repeated) form.append(k, 'again');
      return { kind: 'command' as const, body: form.toString(), contentType: FORM };
    });

  const message = fc.record({ type: fc.constant('message'), channel, user, text: words, ts, thread_ts: ts });
  const edited = fc.record({ type: fc.constant('message'), subtype: fc.constantFrom('message_changed', 'message_deleted'), channel, message: fc.record({ user, text: words, ts, thread_ts: ts }), previous_message: fc.record({ user, ts, thread_ts: ts }) });
  const home = fc.record({ type: fc.constant('app_home_opened'), user, channel, tab: fc.constantFrom('home', 'messages') });
  const other = fc.record({ type: fc.constantFrom('app_uninstalled', 'reaction_added', 'member_joined_channel') });
  const envelope = fc.record({ type: fc.constant('event_callback'), team_id: team, event_id: fc.string({ minLength: 1, maxLength: 10 }).map((s) => `Ev${s}`), event: fc.oneof(message, edited, home, other) });
  const event = fc
    .oneof(
      mutated(envelope, ['type', 'team_id', 'event_id', 'event', 'event.type', 'event.channel', 'event.user', 'event.text', 'event.ts', 'event.thread_ts', 'event.message', 'event.previous_message']),
      fc.record({ type: fc.constantFrom('app_rate_limited', 'url_verification'), team_id: team, challenge: fc.string({ maxLength: 6 }), minute_rate_limited: fc.nat() }),
    )
    .map((e) => ({ kind: 'event' as const, body: JSON.stringify(e), contentType: JSON_TYPE }));

  const who = { team: team.map((id) => ({ id, domain: 'acme' })), user: user.map((id) => ({ id, name: id.toLowerCase() })), trigger_id: trigger };
  const action = mutated(
    fc.record({
      type: fc.constant('block_actions'),
      ...who,
      actions: fc.array(fc.record({ action_id: actionId, value: fc.string({ maxLength: 5 }), action_ts: ts }), { minLength: 1, maxLength: 2 }),
      channel: channel.map((id) => ({ id })),
      container: fc.record({ type: fc.constant('message'), channel_id: channel, message_ts: ts, is_ephemeral: fc.boolean() }),
      message: fc.record({ ts, thread_ts: ts }),
      response_url: n.map(responseUrl),
    }),
    ['team', 'user', 'user.id', 'trigger_id', 'actions', 'actions.0', 'actions.0.action_id', 'channel', 'container', 'container.is_ephemeral', 'message', 'response_url', 'type'],
  ).map((p) => ({ kind: 'action' as const, body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(), contentType: FORM }));

  const field = (id: string, value: fc.Arbitrary<string>) => value.map((v) => ({ [id]: { [id]: { type: 'plain_text_input', value: v } } }));
  const select = (id: string, values: string[]) => fc.constantFrom(...values).map((v) => ({ [id]: { [id]: { type: 'static_select', selected_option: { value: v } } } }));
  const values = fc.tuple(field('body', words), field('prompt', words), select('kind', ['open', 'choice']), field('topic', words), select('difficulty', ['beginner', 'advanced']), field('details', words), select('correctness', ['0', '4']), select('depth', ['2']), select('clarity', ['3']), field('feedback', words)).map((parts) => Object.assign({}, ...parts) as Record<string, unknown>);
  const view = mutated(
    fc.record({
      type: fc.constant('view_submission'),
      ...who,
      view: fc.record({ id: fc.constantFrom('V1', 'V2'), callback_id: fc.oneof(n.map((x) => `answer:${x}`), n.map((x) => `review:${x}`), fc.constantFrom('add-question', 'nope')), private_metadata: fc.constantFrom('{"c":"C0001"}', '{"c":"C0001","t":"1.000001"}', '[]', '{'), state: values.map((v) => ({ values: v })) }),
    }),
    ['team', 'user', 'trigger_id', 'view', 'view.id', 'view.callback_id', 'view.private_metadata', 'view.state', 'view.state.values', 'view.state.values.body', 'view.state.values.body.body', 'type'],
  ).map((p) => ({ kind: 'view' as const, body: new URLSearchParams({ payload: JSON.stringify(p) }).toString(), contentType: FORM }));

  const junk: fc.Arbitrary<FuzzBody> = fc.oneof(
    fc.constantFrom('null', '[]', '"text"', '1', '{', '{"type":null}', '{"event":null}', '{"type":"event_callback","event":"x"}').map((body) => ({ kind: 'junk' as const, body, contentType: JSON_TYPE })),
    fc.constantFrom('payload=null', 'payload=1', 'payload=%5Bnull%5D', 'payload=%7B', 'payload=a&payload=b', 'command=%2Fdojo', 'ssl_check=1&token=x', '').map((body) => ({ kind: 'junk' as const, body, contentType: FORM })),
    fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom(FORM, JSON_TYPE)).map(([body, contentType]) => ({ kind: 'junk' as const, body, contentType })),
  );

  return fc.oneof({ weight: 3, arbitrary: command }, { weight: 3, arbitrary: event }, { weight: 3, arbitrary: action }, { weight: 3, arbitrary: view }, { weight: 1, arbitrary: junk });
}

/** Something a person might see that only a program should: a stack frame, an error class, a file path. */
export const STACK = /\n\s+at |\b(?:TypeError|ReferenceError|SyntaxError|RangeError|ZodError)\b|node_modules|\.ts:\d+/;
