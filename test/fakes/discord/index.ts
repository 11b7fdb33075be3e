/**
 * A local fake of Discord for tests of the real discord.js client: REST under /api/v10 (recording
 * every call), a gateway WebSocket whose URL `GET /gateway/bot` returns, and helpers that play users
 * (slash commands, clicks, modal submits, thread messages) as INTERACTION_CREATE / MESSAGE_CREATE.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { InteractionPlayer } from './interactions.js';
import { apiGuild, apiMember, apiMessage, apiTextChannel, apiThread, apiUser, snowflake, type FakeGuild, type FakeUser, type StoredMessage } from './payloads.js';
import { RestRouter, error, json, type RecordedCall, type Reply } from './rest.js';

export type { RecordedCall } from './rest.js';
export type { FakeUser } from './payloads.js';

export interface FakeDiscordOptions {
  heartbeatIntervalMs?: number;
  /** Per-channel message limit per second (X-RateLimit headers and 429s past it). */
  messagesPerSecond?: number;
  /** The shard count `GET /gateway/bot` recommends (default 1). */
  shards?: number;
}

/** Discord's rule: a guild's events go to shard (guild_id >> 22) % shards. */
export function shardOf(guildId: string, shards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shards));
}

export class FakeDiscord {
  readonly applicationId = snowflake();
  readonly bot: FakeUser = { id: this.applicationId, username: 'Interview Dojo', bot: true };
  readonly guild: FakeGuild;
  readonly rest = new RestRouter();
  readonly messages = new Map<string, StoredMessage>();
  readonly threads = new Map<string, ReturnType<typeof apiThread>>();
  readonly commands: { route: string; body: unknown }[] = [];
  /** Reactions the bot put on messages, in order. */
  readonly reactions: { channelId: string; messageId: string; emoji: string }[] = [];
  /** Every user a test played, by id (for member lookups). */
  readonly users = new Map<string, FakeUser>();
  /** DM channel ids by recipient. */
  readonly dms = new Map<string, string>();
  readonly play: InteractionPlayer;
  gateway!: FakeGateway;
  private server!: Server;
  private port = 0;
  private readonly buckets = new Map<string, { count: number; resetAt: number }>();
  rateLimited = 0;

  constructor(private readonly options: FakeDiscordOptions = {}) {
    this.guild = { id: snowflake(), name: 'Backend Guild', channels: [{ id: snowflake(), name: 'interviews' }, { id: snowflake(), name: 'general' }] };
    this.play = new InteractionPlayer(this);
    this.routes();
  }

  /** The REST base for discord.js `rest.api` (DISCORD_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get shardCount(): number {
    return this.options.shards ?? 1;
  }

  /** The shard that carries the fake guild's events. */
  get guildShard(): number {
    return shardOf(this.guild.id, this.shardCount);
  }

  get channelId(): string {
    return this.guild.channels[0]!.id;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.rest.handle(req, res).catch((e: unknown) => {
        res.writeHead(500).end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.gateway = new FakeGateway(
      this.server,
      {
        heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? 1000,
        ready: (shard) => ({
          user: apiUser(this.bot),
          application: { id: this.applicationId, flags: 0 },
          guilds: shard === this.guildShard ? [apiGuild(this.guild, snowflake(), undefined, this.bot)] : [],
        }),
        shards: this.shardCount,
        shardOf: (guildId) => shardOf(guildId, this.shardCount),
        home: () => this.guildShard,
      },
      () => `ws://127.0.0.1:${this.port}/gateway`,
    );
    return this;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A new text channel in the guild (CHANNEL_CREATE when connected). */
  addChannel(name: string): string {
    const channel = { id: snowflake(), name };
    this.guild.channels.push(channel);
    if (this.gateway.session) this.gateway.dispatch('CHANNEL_CREATE', apiTextChannel(this.guild.id, channel, this.guild.channels.length));
    return channel.id;
  }

  /** The DM channel between the bot and a user. */
  dmChannel(userId: string): string {
    let id = this.dms.get(userId);
    if (!id) this.dms.set(userId, (id = snowflake()));
    return id;
  }

  /** Messages the bot sent to a channel or thread, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && m.author.id === this.bot.id && !m.webhook_id);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(match: (call: RecordedCall) => boolean, timeoutMs = 5000, what = 'a matching REST call'): Promise<RecordedCall> {
    const found = this.rest.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${what}; calls: ${this.rest.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ')}`));
      }, timeoutMs);
      const off = this.rest.onCall((call) => {
        if (!match(call)) return;
        clearTimeout(timer);
        off();
        resolve(call);
      });
    });
  }

  calls(method: string, path: RegExp): RecordedCall[] {
    return this.rest.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** The next `times` calls matching get this reply instead (permissions, outages). */
  fail(method: string, path: RegExp, reply: Reply, times = 1): void {
    this.rest.injections.push({ method, path, reply, times });
  }

  storeMessage(channelId: string, body: Partial<StoredMessage> & Record<string, unknown>, author = apiUser(this.bot)): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      ...([...this.dms.values()].includes(channelId) ? {} : { guild_id: this.guild.id }),
      author,
      content: String(body.content ?? ''),
      embeds: (body.embeds as unknown[]) ?? [],
      components: (body.components as unknown[]) ?? [],
      attachments: [],
      flags: Number(body.flags ?? 0),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...(body.message_reference ? { message_reference: body.message_reference } : {}),
      ...(body.nonce !== undefined ? { nonce: String(body.nonce) } : {}),
      ...(body.webhook_id ? { webhook_id: String(body.webhook_id), application_id: this.applicationId } : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  editMessage(id: string, body: Record<string, unknown>): StoredMessage | undefined {
    const message = this.messages.get(id);
    if (!message) return undefined;
    for (const key of ['content', 'embeds', 'components'] as const) if (key in body) (message as unknown as Record<string, unknown>)[key] = body[key];
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  private channelExists(id: string): boolean {
    return this.guild.channels.some((c) => c.id === id) || this.threads.has(id) || [...this.dms.values()].includes(id);
  }

  /** A per-channel bucket with Discord's headers; past the limit, 429 with Retry-After. */
  private bucket(channelId: string): Reply | Record<string, string> {
    const limit = this.options.messagesPerSecond;
    if (!limit) return {};
    const now = Date.now();
    let b = this.buckets.get(channelId);
    if (!b || b.resetAt <= now) this.buckets.set(channelId, (b = { count: 0, resetAt: now + 1000 }));
    b.count++;
    const resetAfter = ((b.resetAt - now) / 1000).toFixed(3);
    const headers = { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, limit - b.count)), 'x-ratelimit-reset-after': resetAfter, 'x-ratelimit-bucket': `messages-${channelId}` };
    if (b.count <= limit) return headers;
    this.rateLimited++;
    return { status: 429, headers: { ...headers, 'retry-after': resetAfter, 'x-ratelimit-scope': 'user' }, body: { message: 'You are being rate limited.', retry_after: Number(resetAfter), global: false } };
  }

  private routes() {
    const r = this.rest;
    r.on('GET', '/gateway/bot', () =>
      json(200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: this.shardCount, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } }),
    );
    // A bot setting its own avatar or name at start (the bench's peer bot does).
    r.on('PATCH', '/users/@me', (call) => json(200, { ...apiUser(this.bot), ...(call.body as Record<string, unknown>), avatar: 'a'.repeat(32) }));
    r.on('GET', '/applications/@me', () => json(200, { id: this.applicationId, name: 'Interview Dojo', flags: 0 }));
    const putCommands: Parameters<RestRouter['on']>[2] = (call) => {
      this.commands.push({ route: call.path, body: call.body });
      return json(200, (call.body as { name: string }[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    };
    r.on('PUT', '/applications/:app/commands', putCommands);
    r.on('PUT', '/applications/:app/guilds/:guild/commands', putCommands);
    r.on('POST', '/interactions/:id/:token/callback', (call, [id, token]) => this.play.callback(call, id!, token!));
    r.on('PATCH', '/webhooks/:app/:token/messages/@original', (call, [, token]) => this.play.editOriginal(call, token!));
    r.on('DELETE', '/webhooks/:app/:token/messages/@original', (_call, [, token]) => this.play.deleteOriginal(token!));
    r.on('POST', '/webhooks/:app/:token', (call, [, token]) => this.play.followUp(call, token!));
    r.on('POST', '/channels/:channel/messages', (call, [channelId]) => {
      if (!this.channelExists(channelId!)) return error(404, 10003, 'Unknown Channel');
      const limited = this.bucket(channelId!);
      if ('status' in limited && typeof limited.status === 'number') return limited as Reply;
      const body = call.body as Record<string, unknown>;
      // enforce_nonce: a message by the same author with the same nonce (Discord: within a few minutes) is returned, not made again.
      const earlier = body.enforce_nonce && body.nonce !== undefined ? [...this.messages.values()].find((m) => m.channel_id === channelId && m.author.id === this.bot.id && m.nonce === String(body.nonce)) : undefined;
      if (earlier) return { status: 200, body: apiMessage(earlier), headers: limited as Record<string, string> };
      const message = this.storeMessage(channelId!, body);
      return { status: 200, body: apiMessage(message), headers: limited as Record<string, string> };
    });
    r.on('PATCH', '/channels/:channel/messages/:message', (call, [, id]) => {
      const message = this.editMessage(id!, call.body as Record<string, unknown>);
      return message ? json(200, apiMessage(message)) : error(404, 10008, 'Unknown Message');
    });
    r.on('DELETE', '/channels/:channel/messages/:message', (_call, [, id]) => {
      return this.messages.delete(id!) ? json(204) : error(404, 10008, 'Unknown Message');
    });
    r.on('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (_call, [channelId, messageId, emoji]) => {
      if (!this.messages.has(messageId!)) return error(404, 10008, 'Unknown Message');
      this.reactions.push({ channelId: channelId!, messageId: messageId!, emoji: emoji! });
      return json(204);
    });
    r.on('POST', '/channels/:channel/messages/:message/threads', (call, [channelId, messageId]) => {
      if (!this.messages.has(messageId!)) return error(404, 10008, 'Unknown Message');
      if (this.threads.has(messageId!)) return error(400, 160004, 'A thread has already been created for this message');
      // A thread opened on a message has the message's id.
      const thread = apiThread(this.guild.id, channelId!, messageId!, String((call.body as { name: string }).name), this.bot.id);
      this.threads.set(thread.id, thread);
      if (this.gateway.session) this.gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return json(201, thread);
    });
    r.on('PATCH', '/channels/:channel', (call, [id]) => {
      const thread = this.threads.get(id!);
      if (!thread) return error(404, 10003, 'Unknown Channel');
      const archived = (call.body as { archived?: boolean }).archived;
      if (archived !== undefined) thread.thread_metadata.archived = archived;
      return json(200, thread);
    });
    r.on('POST', '/users/@me/channels', (call) => {
      const recipient = String((call.body as { recipient_id: string }).recipient_id);
      const user = this.users.get(recipient);
      if (!user) return error(400, 50007, 'Cannot send messages to this user');
      return json(200, { id: this.dmChannel(recipient), type: 1, recipients: [apiUser(user)], last_message_id: null });
    });
    r.on('GET', '/guilds/:guild/members/:user', (_call, [guildId, userId]) => {
      const user = this.users.get(userId!);
      return guildId === this.guild.id && user ? json(200, apiMember(user)) : error(404, 10007, 'Unknown Member');
    });
  }
}
