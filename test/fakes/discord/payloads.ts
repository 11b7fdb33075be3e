/**
 * Discord API objects as the real API sends them (the fields discord.js reads), for the fake.
 */

let counter = 0n;
/** Increasing snowflakes, like Discord's (timestamp in the high bits). */
export function snowflake(): string {
  counter += 1n;
  return (((BigInt(Date.now()) - 1420070400000n) << 22n) + counter).toString();
}

export const PERMISSIONS = {
  administrator: 1n << 3n,
  manageGuild: 1n << 5n,
  // View, send, embed links, attach files, read history, use commands, send in threads (@everyone's defaults).
  member: (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 31n) | (1n << 38n),
  all: (1n << 50n) - 1n,
};

export interface FakeUser {
  id: string;
  username: string;
  bot?: boolean;
  /** Manage Server in the guild. */
  manageGuild?: boolean;
  roles?: string[];
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

export function apiUser(u: FakeUser) {
  return { id: u.id, username: u.username, global_name: u.username, discriminator: '0', avatar: null, bot: u.bot ?? false };
}

/** The fake guild's role that grants Manage Server (members with `manageGuild` have it). */
export const ADMIN_ROLE = { id: '300000000000000001', name: 'Server admins', permissions: PERMISSIONS.member | PERMISSIONS.manageGuild };

export function apiMember(u: FakeUser) {
  const permissions = u.manageGuild ? ADMIN_ROLE.permissions : PERMISSIONS.member;
  return {
    user: apiUser(u),
    roles: [...(u.manageGuild ? [ADMIN_ROLE.id] : []), ...(u.roles ?? [])],
    permissions: permissions.toString(),
    nick: null,
    avatar: null,
    joined_at: '2026-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function apiTextChannel(guildId: string, c: { id: string; name: string }, position = 0) {
  return { id: c.id, type: 0, guild_id: guildId, name: c.name, position, permission_overwrites: [], nsfw: false, topic: null, parent_id: null, last_message_id: null, rate_limit_per_user: 0 };
}

export function apiThread(guildId: string, parentId: string, id: string, name: string, ownerId: string) {
  return {
    id,
    type: 11,
    guild_id: guildId,
    parent_id: parentId,
    owner_id: ownerId,
    name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() },
    flags: 0,
  };
}

export function apiGuild(g: FakeGuild, ownerId: string, roles: { id: string; name: string; permissions?: bigint }[] = [ADMIN_ROLE], me?: FakeUser) {
  const role = (id: string, name: string, position: number, permissions: bigint) => ({
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  });
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: ownerId,
    // The @everyone role has the guild's id.
    roles: [role(g.id, '@everyone', 0, PERMISSIONS.member), ...roles.map((r, i) => role(r.id, r.name, i + 1, r.permissions ?? PERMISSIONS.member))],
    channels: g.channels.map((c, i) => apiTextChannel(g.id, c, i)),
    threads: [],
    // Discord sends the bot's own member (discord.js: guild.members.me).
    members: me ? [apiMember(me)] : [],
    member_count: 3,
    joined_at: '2026-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    features: [],
    emojis: [],
    stickers: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    premium_tier: 0,
    preferred_locale: 'en-US',
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    system_channel_flags: 0,
    afk_timeout: 300,
    afk_channel_id: null,
    system_channel_id: null,
    rules_channel_id: null,
    public_updates_channel_id: null,
    application_id: null,
    description: null,
    banner: null,
    splash: null,
    discovery_splash: null,
    vanity_url_code: null,
    premium_subscription_count: 0,
    max_video_channel_users: 25,
    premium_progress_bar_enabled: false,
  };
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: ReturnType<typeof apiUser>;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: unknown[];
  flags: number;
  webhook_id?: string;
  application_id?: string;
  message_reference?: unknown;
  nonce?: string;
  timestamp: string;
  edited_timestamp: string | null;
}

export function apiMessage(m: StoredMessage) {
  return { type: 0, tts: false, pinned: false, mention_everyone: false, mentions: [], mention_roles: [], ...m };
}
