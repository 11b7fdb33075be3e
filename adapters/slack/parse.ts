/**
 * Slack payloads in, InboundEvents out. Pure: no I/O. The user's display name and admin flag come from
 * the payload here (the adapter enriches them from users.info, cached). Only the shapes read here are
 * typed; the whole payload travels along as `raw`.
 */
import type { ChannelRef, InboundEvent, TeamRef, UserRef } from '../../src/core/ports.js';
import { messageRef, threadRef } from './refs.js';

export interface CommandPayload {
  team_id: string;
  team_domain?: string;
  enterprise_id?: string;
  channel_id: string;
  channel_name?: string;
  user_id: string;
  user_name?: string;
  command: string;
  text: string;
  trigger_id: string;
  response_url?: string;
}

interface SlackMessage {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  hidden?: boolean;
}

export interface MessageEventPayload extends SlackMessage {
  channel: string;
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
}

export interface EventEnvelope {
  team_id?: string;
  event_id?: string;
  event?: { type: string };
}

interface InteractionBase {
  team?: { id: string; domain?: string } | null;
  user: { id: string; username?: string; name?: string; team_id?: string };
  trigger_id?: string;
}

export interface BlockActionsPayload extends InteractionBase {
  type: 'block_actions';
  channel?: { id: string; name?: string } | null;
  container?: { type?: string; channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean } | null;
  message?: { ts?: string; thread_ts?: string } | null;
  view?: { private_metadata?: string; callback_id?: string } | null;
  actions?: { action_id: string; value?: string }[];
  response_url?: string;
}

interface InputState {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}

export interface ViewSubmissionPayload extends InteractionBase {
  type: 'view_submission';
  view: { id?: string; callback_id: string; private_metadata?: string; state?: { values?: Record<string, Record<string, InputState>> } };
}

/** What a modal or Home tab remembers about where it was opened: the channel, and a message there. */
export interface ViewMeta {
  channel: string;
  /** The thread of the message the modal was opened from, for a reply there. */
  threadTs?: string;
}

export function encodeViewMeta(meta: ViewMeta): string {
  return JSON.stringify({ c: meta.channel, ...(meta.threadTs ? { t: meta.threadTs } : {}) });
}

export function decodeViewMeta(text: string | undefined): ViewMeta | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { c?: unknown; t?: unknown };
    if (typeof value.c !== 'string') return undefined;
    return { channel: value.c, ...(typeof value.t === 'string' ? { threadTs: value.t } : {}) };
  } catch {
    return undefined;
  }
}

const team = (id: string, name?: string): TeamRef => ({ platform: 'slack', id, ...(name ? { name } : {}) });
const channel = (id: string, name?: string): ChannelRef => ({ id, ...(name ? { name } : {}) });
const user = (id: string, name?: string): UserRef => ({ id, name: name || id });

/** Command text as the `/dojo` grammar wants it: entities decoded, `<@U1|name>` and `<!subteam^S1|@group>` mentions kept. */
export function commandText(text: string): string {
  return decodeEntities(text.replace(/<(?!!subteam\^)([^@>][^>]*)>/g, (_, inner: string) => linkText(inner)));
}

export function parseCommand(body: CommandPayload): InboundEvent {
  return {
    type: 'command',
    // Commands carry no event_id: their trigger is unique, so a replayed body changes nothing.
    ...(body.trigger_id ? { deliveryId: `cmd:${body.trigger_id}` } : {}),
    team: team(body.team_id, body.team_domain),
    channel: channel(body.channel_id, body.channel_name),
    user: user(body.user_id, body.user_name),
    text: commandText(body.text ?? ''),
    raw: body,
  };
}

function isHumanMessage(m: SlackMessage | undefined, botUserId: string | undefined): m is SlackMessage & { user: string; ts: string } {
  if (!m || !m.user || !m.ts || m.bot_id || m.subtype === 'bot_message') return false;
  if (botUserId && m.user === botUserId) return false;
  // New messages carry no subtype (or these); joins, topic changes and the like are not answers.
  return m.subtype === undefined || m.subtype === 'thread_broadcast' || m.subtype === 'file_share';
}

const inThread = (m: SlackMessage): m is SlackMessage & { thread_ts: string } => Boolean(m.thread_ts && m.thread_ts !== m.ts);

/**
 * A `message` event as an answer, an edit or a withdrawal when it is in a thread; undefined for
 * everything else (top-level messages, bots, our own posts, joins, edits of a thread's parent).
 */
export function parseMessageEvent(envelope: EventEnvelope, event: MessageEventPayload, botUserId?: string): InboundEvent | undefined {
  const teamId = envelope.team_id;
  if (!teamId) return undefined;
  const base = { deliveryId: envelope.event_id, team: team(teamId), channel: channel(event.channel), raw: envelope };
  const ref = (ts: string) => messageRef(teamId, event.channel, ts);
  switch (event.subtype) {
    case 'message_changed': {
      const m = event.message;
      if (!isHumanMessage(m, botUserId) || !inThread(m)) return undefined;
      return { ...base, type: 'message_edited', user: user(m.user), thread: threadRef(teamId, event.channel, m.thread_ts), message: ref(m.ts), text: fromMrkdwn(m.text ?? '') };
    }
    case 'message_deleted': {
      const m = event.previous_message;
      const ts = event.deleted_ts ?? m?.ts;
      if (!ts || !isHumanMessage(m, botUserId) || !inThread(m)) return undefined;
      return { ...base, type: 'message_deleted', user: user(m.user), thread: threadRef(teamId, event.channel, m.thread_ts), message: ref(ts) };
    }
    default: {
      if (!isHumanMessage(event, botUserId) || !inThread(event)) return undefined;
      return { ...base, type: 'message', user: user(event.user), thread: threadRef(teamId, event.channel, event.thread_ts), message: ref(event.ts), text: fromMrkdwn(event.text ?? '') };
    }
  }
}

export function teamOf(body: InteractionBase): string | undefined {
  return body.team?.id ?? body.user.team_id;
}

/** A button click; the channel comes from the message, or from the view's metadata in a modal or Home. */
export function parseBlockAction(body: BlockActionsPayload): InboundEvent | undefined {
  const action = body.actions?.[0];
  const teamId = teamOf(body);
  const meta = decodeViewMeta(body.view?.private_metadata);
  const channelId = body.channel?.id ?? body.container?.channel_id ?? meta?.channel;
  if (!action || !teamId || !channelId) return undefined;
  const ts = body.container?.is_ephemeral ? undefined : (body.message?.ts ?? body.container?.message_ts);
  return {
    type: 'button',
    ...(body.trigger_id ? { deliveryId: `act:${body.trigger_id}:${action.action_id}` } : {}),
    team: team(teamId, body.team?.domain),
    channel: channel(channelId, body.channel?.name),
    user: user(body.user.id, body.user.name ?? body.user.username),
    action: action.action_id,
    ...(ts ? { message: messageRef(teamId, channelId, ts) } : {}),
    raw: body,
  };
}

export function parseViewSubmission(body: ViewSubmissionPayload): InboundEvent | undefined {
  const teamId = teamOf(body);
  const meta = decodeViewMeta(body.view.private_metadata);
  if (!teamId || !meta) return undefined;
  const values: Record<string, string> = {};
  for (const block of Object.values(body.view.state?.values ?? {})) {
    for (const [actionId, input] of Object.entries(block)) {
      if (input.type === 'checkboxes') values[actionId] = input.selected_options?.length ? 'true' : '';
      else if (input.type === 'static_select') values[actionId] = input.selected_option?.value ?? '';
      else values[actionId] = input.value ?? '';
    }
  }
  return {
    type: 'modal_submit',
    ...(body.trigger_id ? { deliveryId: `view:${body.view.id ?? ''}:${body.trigger_id}` } : {}),
    team: team(teamId, body.team?.domain),
    channel: channel(meta.channel),
    user: user(body.user.id, body.user.name ?? body.user.username),
    modal: body.view.callback_id,
    values,
    raw: body,
  };
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A message's mrkdwn as the plain text a member meant: names for mentions, links as their text. */
export function fromMrkdwn(text: string): string {
  return decodeEntities(text.replace(/<([^>]*)>/g, (_, inner: string) => linkText(inner)));
}

/** The inside of one `<…>`: a mention, a channel, a special mention or a link. */
function linkText(inner: string): string {
  const [target = '', label] = inner.split('|');
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!')) {
    const special = target.slice(1).split('^')[0] ?? '';
    return label ?? (['here', 'channel', 'everyone'].includes(special) ? `@${special}` : special);
  }
  const url = target.replace(/^mailto:/, '');
  return label && label !== url && label !== target ? `${label} (${url})` : url;
}
