/**
 * Property-based fuzzing of INTERACTION_CREATE packets (slash commands, autocomplete, clicks, modal
 * submits) through the real discord.js client and the real core, over the fake gateway. Each packet
 * starts well formed and about half get one field broken (options `null`, a string, `[null]`, a modal
 * without components, a click without its message, ...). Whatever arrives, the process stays up, the
 * next interaction is still answered, and no stack trace reaches a person.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK } from '../../fakes/discord/interactions.js';
import { apiMember, apiMessage, PERMISSIONS, snowflake, type FakeUser } from '../../fakes/discord/payloads.js';
import { backend } from '../../helpers/db.js';
import { STACK } from '../slack/fuzz-bodies.js';
import { startWithCore, type CoreHarness } from './core-harness.js';
import { member } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

const odd = fc.constantFrom<unknown>(null, undefined, 'text', 7, [], [null], {}, [{}], true);
const people: FakeUser[] = [member('ada', { manageGuild: true }), member('bob'), member('cy')];
const n = fc.integer({ min: 1, max: 6 }).map(String);
const words = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('databases', 'caching', '09:00', 'Europe/Berlin', 'all', '<@&1>', '@everyone'));
const customId = fc.oneof(
  fc.tuple(fc.constantFrom('choice', 'self', 'pself', 'answer', 'approve', 'reject', 'quiz-stop', 'form'), n, fc.constantFrom('0', '2', 'knew', 'didnt')).map(([k, a, b]) => `${k}:${a}:${b}`),
  fc.constantFrom('review:next', 'forget:confirm', 'forget:cancel', 'add-question', 'review:1', 'answer:1'),
  fc.string({ maxLength: 20 }),
);
const sub = fc.constantFrom('help', 'quiz', 'quiz-stop', 'question', 'leaderboard', 'stats', 'review', 'practice', 'add-question', 'export', 'forget-me');
const option = fc.record({ name: fc.constantFrom('topic', 'count', 'kind', 'period', 'member'), type: fc.constantFrom(3, 4, 5), value: fc.oneof(words, fc.integer({ min: -2, max: 12 }), fc.boolean()) });

function mutate(value: Record<string, unknown>, path: string, to: unknown): Record<string, unknown> {
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

const BROKEN = ['data.options', 'data.options.0', 'data.options.0.options', 'data.options.0.options.0.value', 'data.components', 'data.components.0', 'data.components.0.component', 'data.custom_id', 'data.resolved', 'message', 'message.id', 'member', 'member.user', 'member.roles', 'member.permissions', 'entitlements', 'channel', 'app_permissions', 'authorizing_integration_owners', 'data', 'type', 'token'];

describe(`fuzzed Discord interactions on ${backend}`, () => {
  let h: CoreHarness;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  beforeAll(async () => {
    h = await startWithCore();
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await h.stop();
  });

  it('stays up, answers the next interaction and shows nobody a stack trace', async () => {
    const card = h.fake.storeMessage(h.fake.channelId, { content: 'a card' });
    const packet = (who: FakeUser, type: number, data: unknown, extra: Record<string, unknown> = {}) => {
      const id = snowflake();
      return {
        id,
        application_id: h.fake.applicationId,
        type,
        token: `tok-${id}`,
        version: 1,
        guild_id: h.fake.guild.id,
        channel_id: h.fake.channelId,
        channel: { id: h.fake.channelId, type: 0, guild_id: h.fake.guild.id, name: 'dojo', permissions: PERMISSIONS.all.toString() },
        member: apiMember(who),
        locale: 'en-US',
        app_permissions: PERMISSIONS.all.toString(),
        entitlements: [],
        authorizing_integration_owners: { '0': h.fake.guild.id },
        ...extra,
        data,
      };
    };
    const who = fc.constantFrom(...people);
    const command = fc.tuple(who, sub, fc.array(option, { maxLength: 2 }), fc.constantFrom(2, 4)).map(([u, s, options, type]) => packet(u, type, { id: 'cmd-dojo', name: 'dojo', type: 1, options: [{ name: s, type: 1, options }] }));
    const click = fc.tuple(who, customId).map(([u, id]) => packet(u, 3, { custom_id: id, component_type: 2 }, { message: apiMessage(card) }));
    const modal = fc.tuple(who, customId, words).map(([u, id, text]) => packet(u, 5, { custom_id: id, components: [{ type: 18, id: 1, component: { type: 4, custom_id: 'body', value: text } }] }));
    const packets = fc.tuple(fc.oneof(command, click, modal), fc.option(fc.tuple(fc.constantFrom(...BROKEN), odd), { freq: 2 })).map(([p, m]) => (m ? mutate(p, m[0], m[1]) : p));

    let answered = 0;
    await fc.assert(
      fc.asyncProperty(packets, async (p) => {
        h.fake.gateway.dispatch('INTERACTION_CREATE', p);
        // A well-formed autocomplete after it: the gateway handles packets in order, so its answer
        // shows the client read the fuzzed one and is still taking interactions.
        const next = h.fake.play.autocomplete(people[1]!, ['quiz'], { topic: 'da' }, 'topic');
        await h.fake.waitFor((c) => c.path === `/interactions/${next.id}/${next.token}/callback` && c.body?.type === CALLBACK.autocomplete, 5000, 'the next interaction answered');
        answered++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const leaked = h.fake.rest.calls.map((c) => JSON.stringify(c.body ?? '')).filter((s) => STACK.test(s));
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify({ runs: RUNS, answeredAfter: answered, crashes: crashes.length, leaked: leaked.length, state: h.adapter.state }));
    expect(crashes.map(String)).toEqual([]);
    expect(leaked.slice(0, 3)).toEqual([]);
    expect(h.adapter.state).toBe('connected');
  });
});
