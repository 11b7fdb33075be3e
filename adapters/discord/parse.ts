/**
 * discord.js structures -> the core's InboundEvent. Slash commands carry the intent built from their
 * typed options (intent.ts), never text for the core to parse again.
 */
import {
  ComponentType,
  GuildMember,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Guild,
  type Message,
  type ModalSubmitInteraction,
  type PermissionsBitField,
  type User,
} from 'discord.js';
import type { ChannelRef, InboundEvent, TeamRef, UserRef } from '../../src/core/ports.js';
import { commandIntent } from './intent.js';
import { messageRef, threadRef } from './refs.js';

export function teamOf(guildId: string, guild?: Guild | null): TeamRef {
  return { platform: 'discord', id: guildId, ...(guild?.name ? { name: guild.name } : {}) };
}

interface MemberLike {
  member: GuildMember | { roles: string[]; nick?: string | null } | null;
  user: User;
  guildId: string;
  permissions?: Readonly<PermissionsBitField> | null;
}

/** The actor: Manage Server makes a platform admin; role ids let the core match configured admin roles. */
export function userOf({ member, user, guildId, permissions }: MemberLike): UserRef {
  // Without the member (a DM, or a member Discord did not send) the roles are unknown, not none: the
  // roles stored from the member's last event stay.
  let roleIds: string[] | undefined;
  let name = user.globalName ?? user.username;
  if (member instanceof GuildMember) {
    roleIds = [...member.roles.cache.keys()].filter((id) => id !== guildId);
    name = member.displayName;
  } else if (member) {
    roleIds = member.roles;
    name = member.nick ?? name;
  }
  return {
    id: user.id,
    name,
    isPlatformAdmin: permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    ...(roleIds ? { roleIds } : {}),
    ...(user.bot ? { isBot: true } : {}),
  };
}

/**
 * Where an interaction happened, for the core: its guild and the member (from a DM, both come from the
 * custom id's guild tag and a fetch, see dm.ts), and the core's id of the clicked button or modal.
 */
export interface Origin {
  guildId: string;
  member?: GuildMember;
  /** The core's custom id, without a DM guild tag. */
  customId?: string;
}

function base(i: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction, where: Origin) {
  const guildId = where.guildId;
  const channelName = i.channel && 'name' in i.channel ? i.channel.name : undefined;
  const channel: ChannelRef = { id: i.channelId ?? '', ...(channelName ? { name: channelName } : {}) };
  const member = where.member ?? i.member;
  const permissions = where.member ? where.member.permissions : i.memberPermissions;
  return {
    deliveryId: i.id,
    team: teamOf(guildId, i.guild ?? where.member?.guild),
    channel,
    user: userOf({ member, user: i.user, guildId, permissions }),
    raw: { id: i.id, type: i.type, guildId, channelId: i.channelId },
  };
}

/** A slash command with the intent built from its typed options (intent.ts); its words as `text`, for logs. */
export function commandEvent(i: ChatInputCommandInteraction, where: Origin): Extract<InboundEvent, { type: 'command' }> {
  const { words, parsed } = commandIntent(i.options.data);
  return { ...base(i, where), type: 'command', text: words, parsed };
}

export function buttonEvent(i: ButtonInteraction, where: Origin): InboundEvent {
  return {
    ...base(i, where),
    type: 'button',
    action: where.customId ?? i.customId,
    message: messageRef(where.guildId, i.message.channelId, i.message.id),
  };
}

/** Field values by custom id: text as typed, a select's choice, a checkbox as 'true' or ''. */
export function modalValues(i: Pick<ModalSubmitInteraction, 'components'>): Record<string, string> {
  const values: Record<string, string> = {};
  const read = (c: { type: ComponentType; customId?: string; value?: unknown; values?: readonly string[] }) => {
    if (!c.customId) return;
    switch (c.type) {
      case ComponentType.TextInput:
        values[c.customId] = typeof c.value === 'string' ? c.value : '';
        break;
      case ComponentType.Checkbox:
        values[c.customId] = c.value === true ? 'true' : '';
        break;
      case ComponentType.CheckboxGroup:
        values[c.customId] = (c.values ?? []).join(',');
        break;
      case ComponentType.RadioGroup:
        values[c.customId] = typeof c.value === 'string' ? c.value : '';
        break;
      default:
        values[c.customId] = c.values?.[0] ?? (typeof c.value === 'string' ? c.value : '');
    }
  };
  for (const top of i.components ?? []) {
    if ('component' in top) read(top.component as Parameters<typeof read>[0]);
    if ('components' in top) for (const c of top.components) read(c as Parameters<typeof read>[0]);
  }
  return values;
}

export function modalEvent(i: ModalSubmitInteraction, where: Origin): InboundEvent {
  return { ...base(i, where), type: 'modal_submit', modal: where.customId ?? i.customId, values: modalValues(i) };
}

/**
 * A message in a thread the bot opened: an answer when the thread is a round's. Anything else (bots,
 * webhooks, top-level channel chatter, other people's threads) is not for the dojo.
 */
export function threadMessageEvent(message: Message, botId: string, kind: 'message' | 'message_edited'): Extract<InboundEvent, { thread: string }> | undefined {
  if (!message.guildId || message.author.bot || message.webhookId || message.system) return undefined;
  const channel = message.channel;
  if (!channel.isThread() || channel.ownerId !== botId) return undefined;
  const common = {
    team: teamOf(message.guildId, message.guild),
    channel: { id: channel.parentId ?? channel.id },
    user: userOf({ member: message.member, user: message.author, guildId: message.guildId, permissions: message.member?.permissions }),
    thread: threadRef(message.guildId, channel.id),
    message: messageRef(message.guildId, channel.id, message.id),
    text: message.content,
    raw: { id: message.id, channelId: channel.id, guildId: message.guildId },
  };
  return kind === 'message'
    ? { ...common, type: 'message', deliveryId: message.id }
    : { ...common, type: 'message_edited', deliveryId: `${message.id}:edit:${message.editedTimestamp ?? 0}` };
}
