/**
 * The Discord adapter: a discord.js gateway client that turns interactions (and, when switched on,
 * thread messages) into core events, and a ChatPort on Discord's REST API.
 *
 * One instance per shard holds the gateway, decided by a Postgres advisory lock; the others stand by
 * (their ChatPort still posts, since REST needs no gateway) and take over when the holder goes away.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, REST, type Interaction } from 'discord.js';
import type { Dojo } from '../../src/core/ports.js';
import type { Db } from '../../src/db/index.js';
import { tryHoldLock, type HeldLock } from '../../src/db/repos/held-locks.js';
import type { Logger } from '../../src/log.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { createChat, type DiscordChat } from './chat.js';
import { DiscordCodes } from './errors.js';
import { FormStash } from './forms.js';
import { guardGateway } from './guard.js';
import { handleInteraction } from './interactions.js';
import { onMessageCreate, onMessageDelete, onMessageUpdate, type MessageContext } from './messages.js';
import { RecentIds } from './recent.js';
import { Serial } from './serial.js';
import { loadTopics } from './topics.js';

export interface DiscordAdapterOptions {
  token: string;
  /** DISCORD_API_URL: the REST base (discord.js `rest.api`), e.g. a proxy or a test fake. */
  apiUrl?: string;
  /**
   * Thread messages count as answers. Needs the privileged Message Content intent (enable it in the
   * developer portal); without it members answer through the Answer button's modal.
   */
  threadAnswers?: boolean;
  log: Logger;
  /** Topics for autocomplete; read from the bank in `questionsDir` at start when absent. */
  topics?: readonly string[];
  questionsDir?: string;
  /** For the gateway lock; with PGlite (one process) the lock is skipped. */
  database?: { db: Db; kind: 'postgres' | 'pglite' };
  /** REST tuning (tests shorten these so nothing hangs). */
  rest?: { retries?: number; timeout?: number };
  /** How long a modal-opening interaction waits for the core before deferring. */
  modalBudgetMs?: number;
  /** How often a standby instance tries to take the gateway. */
  lockRetryMs?: number;
  /** How long to wait for the gateway to be ready at start. */
  readyTimeoutMs?: number;
}

export type GatewayState = 'stopped' | 'connecting' | 'connected' | 'standby';

export interface DiscordAdapter {
  chat: DiscordChat;
  /** The gateway client while this instance holds the gateway. */
  readonly client: Client | undefined;
  readonly state: GatewayState;
  start(dojo: Dojo): Promise<void>;
  stop(): Promise<void>;
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const log = options.log.child({ adapter: 'discord' });
  const restOptions = { ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.rest };
  const chat = createChat(new REST(restOptions).setToken(options.token), log);
  const seen = new RecentIds();
  const forms = new FormStash();
  const serial = new Serial();
  // The lock name identifies the bot without writing its token anywhere.
  const lockName = `discord-gateway:${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}:shard-0`;
  let client: Client | undefined;
  let lock: HeldLock | undefined;
  let state: GatewayState = 'stopped';
  // False once stop() is called, so a standby attempt in flight does not connect afterwards.
  let running = false;
  let retry: NodeJS.Timeout | undefined;
  let topics: readonly string[] = options.topics ?? [];

  function buildClient(dojo: Dojo): Client {
    const intents = [GatewayIntentBits.Guilds];
    if (options.threadAnswers) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
    const c = new Client({ intents, rest: restOptions, allowedMentions: { parse: [], repliedUser: false } });
    guardGateway(c, log);
    const interactionCtx = { dojo, chat, log, topics: () => topics, forms, serial, modalBudgetMs: options.modalBudgetMs ?? 2200 };
    const messageCtx: MessageContext = { dojo, chat, log, seen, serial, botId: () => c.user?.id };
    // A rejected listener would become the client's `error` event; every listener catches its own.
    c.on(Events.InteractionCreate, (interaction: Interaction) => {
      if (!seen.add(interaction.id)) {
        log.info({ deliveryId: interaction.id }, 'duplicate interaction ignored');
        return;
      }
      handleInteraction(interaction, interactionCtx).catch((error: unknown) => reportInteractionError(error, interaction.id));
    });
    if (options.threadAnswers) {
      const failed = (error: unknown) => log.error({ err: error }, 'a thread message could not be handled');
      c.on(Events.MessageCreate, (m) => void onMessageCreate(messageCtx, m).catch(failed));
      c.on(Events.MessageUpdate, (a, b) => void onMessageUpdate(messageCtx, a, b).catch(failed));
      c.on(Events.MessageDelete, (m) => void onMessageDelete(messageCtx, m).catch(failed));
    }
    c.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    c.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
    c.on(Events.ShardError, (error, shardId) => log.warn({ err: error, shardId }, 'gateway connection error'));
    c.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, 'gateway reconnecting'));
    c.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'gateway resumed'));
    c.on(Events.ShardDisconnect, ({ code }, shardId) => {
      log.error({ code, shardId }, code === 4014 ? 'Discord refused the Message Content intent: enable it in the developer portal or switch thread answers off' : 'gateway closed for good');
    });
    return c;
  }

  function reportInteractionError(error: unknown, deliveryId: string) {
    const code = error instanceof DiscordAPIError ? error.code : undefined;
    if (code === DiscordCodes.UnknownInteraction || code === DiscordCodes.InteractionAlreadyAcknowledged) {
      log.warn({ deliveryId, code }, 'an interaction could not be answered in time or was answered already');
    } else {
      log.error({ err: error, deliveryId }, 'an interaction could not be answered');
    }
  }

  async function connect(dojo: Dojo): Promise<void> {
    state = 'connecting';
    const c = buildClient(dojo);
    client = c;
    const ready = once(c, Events.ClientReady, { signal: AbortSignal.timeout(options.readyTimeoutMs ?? 60_000) });
    ready.catch(() => {});
    try {
      await c.login(options.token);
      await ready;
    } catch (error) {
      client = undefined;
      await c.destroy().catch(() => {});
      state = 'stopped';
      throw error;
    }
    state = 'connected';
    log.info({ guilds: c.guilds.cache.size, user: c.user?.tag, intents: c.options.intents.bitfield }, 'connected to the Discord gateway');
  }

  async function takeGateway(dojo: Dojo): Promise<boolean> {
    if (options.database?.kind === 'postgres') {
      const held = await tryHoldLock(options.database.db, lockName);
      if (!held) return false;
      if (!running) {
        await held.release();
        return true;
      }
      lock = held;
      void held.lost.then(async (error) => {
        if (lock !== held) return;
        log.error({ err: error }, 'lost the gateway lock; disconnecting and standing by');
        lock = undefined;
        await disconnect();
        standBy(dojo);
      });
    }
    try {
      await connect(dojo);
    } catch (error) {
      await lock?.release();
      lock = undefined;
      throw error;
    }
    return true;
  }

  function standBy(dojo: Dojo) {
    if (!running) return;
    state = 'standby';
    retry = setTimeout(() => {
      retry = undefined;
      takeGateway(dojo)
        .then((taken) => {
          if (!taken) standBy(dojo);
        })
        .catch((error: unknown) => {
          log.error({ err: error }, 'could not take the Discord gateway; will try again');
          standBy(dojo);
        });
    }, options.lockRetryMs ?? 15_000);
    retry.unref();
  }

  async function disconnect() {
    const c = client;
    client = undefined;
    await c?.destroy();
  }

  return {
    chat,
    get client() {
      return client;
    },
    get state() {
      return state;
    },

    async start(dojo: Dojo) {
      running = true;
      if (!options.topics) {
        topics = await loadTopics(options.questionsDir ?? BUILTIN_QUESTIONS_DIR).catch((error: unknown) => {
          log.warn({ err: error }, 'could not read topics for autocomplete');
          return [];
        });
      }
      if (!(await takeGateway(dojo))) {
        log.info('another instance holds the Discord gateway; standing by');
        standBy(dojo);
      }
    },

    async stop() {
      running = false;
      if (retry) clearTimeout(retry);
      retry = undefined;
      await disconnect();
      const held = lock;
      lock = undefined;
      await held?.release();
      state = 'stopped';
    },
  };
}
