/**
 * Playing users against the bot: INTERACTION_CREATE for slash commands, autocomplete, clicks and modal
 * submits, MESSAGE_CREATE for thread messages; and Discord's side of answering an interaction (the
 * callback within 3 seconds and only once, then edits and follow-ups through the webhook).
 */
import type { FakeDiscord, RecordedCall } from './index.js';
import { apiMember, apiMessage, apiUser, snowflake, PERMISSIONS, type FakeUser } from './payloads.js';
import { error, json, type Reply } from './rest.js';

export const CALLBACK = { reply: 4, defer: 5, deferUpdate: 6, update: 7, autocomplete: 8, modal: 9 } as const;
const DEADLINE_MS = 3000;

export interface Sent {
  id: string;
  token: string;
  dispatchedAt: number;
  channelId: string;
}

interface Tracked extends Sent {
  type: number;
  callbacks: RecordedCall[];
  /** The message a component sits on (clicks, modals opened from a message). */
  messageId?: string;
  /** The interaction's own response message, once there is one. */
  originalId?: string;
}

export type OptionValue = string | number | boolean | { user: FakeUser } | { role: { id: string; name: string } };

const OPTION_TYPE = { subcommand: 1, group: 2, string: 3, integer: 4, boolean: 5, user: 6, role: 8 } as const;

export class InteractionPlayer {
  private readonly interactions = new Map<string, Tracked>();

  constructor(private readonly fake: FakeDiscord) {}

  private channelObject(channelId: string) {
    const thread = this.fake.threads.get(channelId);
    if (thread) return { ...thread, permissions: PERMISSIONS.all.toString() };
    const c = this.fake.guild.channels.find((x) => x.id === channelId);
    return { id: channelId, type: 0, guild_id: this.fake.guild.id, name: c?.name ?? 'channel', permissions: PERMISSIONS.all.toString(), position: 0, permission_overwrites: [] };
  }

  private dispatch(user: FakeUser, channelId: string, type: number, data: unknown, extra: Record<string, unknown> = {}, id = snowflake()): Sent {
    this.fake.users.set(user.id, user);
    const token = `tok-${id}`;
    // In a DM Discord sends the user instead of a member, and no guild.
    const dm = [...this.fake.dms.values()].includes(channelId);
    const where = dm
      ? { channel_id: channelId, channel: { id: channelId, type: 1, recipients: [apiUser(user)] }, user: apiUser(user), context: 1, authorizing_integration_owners: { '0': this.fake.guild.id } }
      : {
          guild_id: this.fake.guild.id,
          guild: { id: this.fake.guild.id, locale: 'en-US', features: [] },
          channel_id: channelId,
          channel: this.channelObject(channelId),
          member: apiMember(user),
          guild_locale: 'en-US',
          context: 0,
          authorizing_integration_owners: { '0': this.fake.guild.id },
        };
    const tracked: Tracked = this.interactions.get(token) ?? { id, token, type, channelId, dispatchedAt: Date.now(), callbacks: [], ...(extra.message ? { messageId: (extra.message as { id: string }).id } : {}) };
    this.interactions.set(token, tracked);
    this.fake.gateway.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.fake.applicationId,
      type,
      token,
      version: 1,
      ...where,
      data,
      locale: 'en-US',
      app_permissions: PERMISSIONS.all.toString(),
      entitlements: [],
      attachment_size_limit: 10_485_760,
      ...extra,
    });
    return tracked;
  }

  private options(values: Record<string, OptionValue>, focused?: string) {
    return Object.entries(values).map(([name, value]) => {
      if (typeof value === 'object') return 'role' in value ? { name, type: OPTION_TYPE.role, value: value.role.id } : { name, type: OPTION_TYPE.user, value: value.user.id };
      const type = typeof value === 'number' ? OPTION_TYPE.integer : typeof value === 'boolean' ? OPTION_TYPE.boolean : OPTION_TYPE.string;
      return { name, type, value, ...(name === focused ? { focused: true } : {}) };
    });
  }

  private commandData(path: string[], values: Record<string, OptionValue>, focused?: string) {
    const users = Object.values(values).filter((v): v is { user: FakeUser } => typeof v === 'object' && 'user' in v);
    const roles = Object.values(values).filter((v): v is { role: { id: string; name: string } } => typeof v === 'object' && 'role' in v);
    let options: unknown[] = this.options(values, focused);
    const [first, second] = path;
    if (second) options = [{ name: first, type: OPTION_TYPE.group, options: [{ name: second, type: OPTION_TYPE.subcommand, options }] }];
    else if (first) options = [{ name: first, type: OPTION_TYPE.subcommand, options }];
    return {
      id: 'cmd-dojo',
      name: 'dojo',
      type: 1,
      guild_id: this.fake.guild.id,
      options,
      ...(users.length || roles.length
        ? {
            resolved: {
              users: Object.fromEntries(users.map((u) => [u.user.id, apiUser(u.user)])),
              members: Object.fromEntries(users.map((u) => [u.user.id, { ...apiMember(u.user), user: undefined }])),
              roles: Object.fromEntries(roles.map((r, i) => [r.role.id, { id: r.role.id, name: r.role.name, color: 0, hoist: false, position: i + 1, permissions: '0', managed: false, mentionable: true, flags: 0 }])),
            },
          }
        : {}),
    };
  }

  /** `/dojo <path...>` with typed options, e.g. slash(alice, ['quiz'], { topic: 'databases', count: 2 }). */
  slash(user: FakeUser, path: string[], values: Record<string, OptionValue> = {}, channelId = this.fake.channelId, id?: string): Sent {
    return this.dispatch(user, channelId, 2, this.commandData(path, values), {}, id);
  }

  /** Another bot's top-level command, e.g. command(alice, 'play') (the bench's peer bot). */
  command(user: FakeUser, name: string, values: Record<string, OptionValue> = {}, channelId = this.fake.channelId): Sent {
    return this.dispatch(user, channelId, 2, { ...this.commandData([], values), id: `cmd-${name}`, name });
  }

  /** Re-sends the same INTERACTION_CREATE (Discord may deliver twice). */
  redeliver(sent: Sent, user: FakeUser, path: string[], values: Record<string, OptionValue> = {}): void {
    this.slash(user, path, values, sent.channelId, sent.id);
  }

  autocomplete(user: FakeUser, path: string[], values: Record<string, OptionValue>, focused: string): Sent {
    return this.dispatch(user, this.fake.channelId, 4, this.commandData(path, values, focused));
  }

  /** A click; the same `id` again is Discord delivering it again (or a replay). */
  click(user: FakeUser, messageId: string, customId: string, id?: string): Sent {
    const message = this.fake.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId} to click on`);
    return this.dispatch(user, message.channel_id, 3, { custom_id: customId, component_type: 2 }, { message: apiMessage(message) }, id);
  }

  /**
   * Submits the modal a callback showed, filling fields by custom id as Discord would send them:
   * text as typed, a select's chosen value, a checkbox as a boolean.
   */
  submit(user: FakeUser, shown: RecordedCall, values: Record<string, string | boolean>, channelId = this.fake.channelId): Sent {
    const tracked = [...this.interactions.values()].find((t) => t.callbacks.includes(shown));
    const modal = (shown.body as { data: { custom_id: string; components: { type: number; component?: { type: number; custom_id: string } }[] } }).data;
    const components = modal.components
      .filter((c) => c.type === 18 && c.component)
      .map((label) => {
        const c = label.component!;
        const value = values[c.custom_id];
        const inner =
          c.type === 3
            ? { type: 3, custom_id: c.custom_id, values: value ? [String(value)] : [] }
            : c.type === 23
              ? { type: 23, custom_id: c.custom_id, value: value === true || value === 'true' }
              : { type: 4, custom_id: c.custom_id, value: String(value ?? '') };
        return { type: 18, id: 1, component: inner };
      });
    const message = tracked?.messageId ? this.fake.messages.get(tracked.messageId) : undefined;
    return this.dispatch(user, message?.channel_id ?? channelId, 5, { custom_id: modal.custom_id, components }, message ? { message: apiMessage(message) } : {});
  }

  /** A modal submit with any custom id and text fields, as a forged or replayed one would arrive. */
  submitRaw(user: FakeUser, customId: string, values: Record<string, string>, options: { channelId?: string; id?: string } = {}): Sent {
    const components = Object.entries(values).map(([field, value]) => ({ type: 18, id: 1, component: { type: 4, custom_id: field, value } }));
    return this.dispatch(user, options.channelId ?? this.fake.channelId, 5, { custom_id: customId, components }, {}, options.id);
  }

  /** A member writes in a channel or thread (MESSAGE_CREATE). */
  say(user: FakeUser, channelId: string, content: string): string {
    this.fake.users.set(user.id, user);
    const message = this.fake.storeMessage(channelId, { content }, apiUser(user));
    const member = { ...apiMember(user), user: undefined };
    this.fake.gateway.dispatch('MESSAGE_CREATE', { ...apiMessage(message), member });
    return message.id;
  }

  /** A member edits their message (MESSAGE_UPDATE with the whole message, as with Message Content). */
  edit(user: FakeUser, messageId: string, content: string): void {
    const message = this.fake.editMessage(messageId, { content });
    if (!message) throw new Error(`no message ${messageId} to edit`);
    this.fake.gateway.dispatch('MESSAGE_UPDATE', { ...apiMessage(message), member: { ...apiMember(user), user: undefined } });
  }

  /** A member deletes their message (MESSAGE_DELETE carries only ids). */
  remove(messageId: string): void {
    const message = this.fake.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId} to delete`);
    this.fake.messages.delete(messageId);
    this.fake.gateway.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: message.channel_id, guild_id: message.guild_id });
  }

  // --- Discord's side of answering ---

  callback(call: RecordedCall, id: string, token: string): Reply {
    const t = this.interactions.get(token);
    if (!t || t.id !== id) return error(404, 10062, 'Unknown interaction');
    if (Date.now() - t.dispatchedAt > DEADLINE_MS) return error(404, 10062, 'Unknown interaction');
    if (t.callbacks.length) return error(400, 40060, 'Interaction has already been acknowledged.');
    t.callbacks.push(call);
    const body = call.body as { type: number; data?: Record<string, unknown> };
    if (body.type === CALLBACK.reply || body.type === CALLBACK.defer) {
      t.originalId = this.fake.storeMessage(t.channelId, { ...(body.data ?? {}), webhook_id: this.fake.applicationId }).id;
    }
    if (body.type === CALLBACK.update && t.messageId) this.fake.editMessage(t.messageId, body.data ?? {});
    return json(204);
  }

  private acknowledged(token: string): Tracked | undefined {
    const t = this.interactions.get(token);
    return t && t.callbacks.length ? t : undefined;
  }

  editOriginal(call: RecordedCall, token: string): Reply {
    const t = this.acknowledged(token);
    const id = t?.originalId ?? t?.messageId;
    const message = id ? this.fake.editMessage(id, call.body as Record<string, unknown>) : undefined;
    return message ? json(200, apiMessage(message)) : error(404, 10008, 'Unknown Message');
  }

  deleteOriginal(token: string): Reply {
    const t = this.acknowledged(token);
    return t?.originalId && this.fake.messages.delete(t.originalId) ? json(204) : error(404, 10008, 'Unknown Message');
  }

  followUp(call: RecordedCall, token: string): Reply {
    const t = this.acknowledged(token);
    if (!t) return error(404, 10015, 'Unknown Webhook');
    return json(200, apiMessage(this.fake.storeMessage(t.channelId, { ...(call.body as Record<string, unknown>), webhook_id: this.fake.applicationId })));
  }

  /** The callback of an interaction, once the bot answered. */
  callbackOf(sent: Sent, timeoutMs = 5000): Promise<RecordedCall> {
    return this.fake.waitFor((c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback` && c.status < 300, timeoutMs, `the callback of ${sent.id}`);
  }

  /** The interaction's callback when it carried a reply (type 4), as the message it showed. */
  private isReplyCallback(call: RecordedCall, sent: Sent): boolean {
    return call.method === 'POST' && call.path === `/interactions/${sent.id}/${sent.token}/callback` && call.status < 300 && call.body?.type === CALLBACK.reply;
  }

  /** The call as the message a person saw: a reply callback's `data`, or the call itself. */
  private asMessage(call: RecordedCall): RecordedCall {
    return call.path.endsWith('/callback') ? { ...call, body: call.body.data } : call;
  }

  /**
   * The interaction's own answer, as the person sees it: the reply in its callback when the bot
   * answered at once, else the edit of its deferred response. Either way the body is the message.
   */
  async editOf(sent: Sent, timeoutMs = 5000): Promise<RecordedCall> {
    const edit = (c: RecordedCall) => c.method === 'PATCH' && c.path.startsWith(`/webhooks/${this.fake.applicationId}/${sent.token}/messages/@original`);
    return this.asMessage(await this.fake.waitFor((c) => edit(c) || this.isReplyCallback(c, sent), timeoutMs, `the answer of ${sent.id}`));
  }

  /**
   * A private message after a click or a form (and after a deferral, a further one): the reply in the
   * interaction's callback when the bot answered at once, else a follow-up. The body is the message.
   */
  async followUpOf(sent: Sent, timeoutMs = 5000): Promise<RecordedCall> {
    const followUp = (c: RecordedCall) => c.method === 'POST' && c.path === `/webhooks/${this.fake.applicationId}/${sent.token}`;
    return this.asMessage(await this.fake.waitFor((c) => followUp(c) || this.isReplyCallback(c, sent), timeoutMs, `a follow-up of ${sent.id}`));
  }

  callbacksOf(sent: Sent): RecordedCall[] {
    return this.fake.rest.calls.filter((c) => c.method === 'POST' && c.path === `/interactions/${sent.id}/${sent.token}/callback`);
  }
}
