/**
 * One discord.js gateway client per shard this instance holds: shards come and go one at a time (a
 * lock lost, a shard handed to another instance), so each has a client of its own to start and stop.
 */
import type { Admission } from '../../src/admission.js';
import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, type Interaction, type RESTOptions } from 'discord.js';
import type { Dojo } from '../../src/core/ports.js';
import type { Logger } from '../../src/log.js';
import type { DiscordChat } from './chat.js';
import { fatalClose } from './fatal.js';
import { guardGateway } from './guard.js';
import { observeRest, type DiscordCallObserver } from './observe.js';
import { DiscordCodes } from './errors.js';
import type { FormStash } from './forms.js';
import { handleInteraction } from './interactions.js';
import { onMessageCreate, onMessageDelete, onMessageUpdate, type MessageContext } from './messages.js';
import type { RecentIds } from './recent.js';
import type { Serial } from './serial.js';

export interface GatewayContext {
  token: string;
  rest: Partial<RESTOptions>;
  threadAnswers: boolean;
  chat: DiscordChat;
  log: Logger;
  seen: RecentIds;
  forms: FormStash;
  serial: Serial;
  /** Bounds on the core's work behind interactions (src/admission.ts). */
  admission: Admission;
  topics: () => readonly string[];
  answerBudgetMs: number;
  modalBudgetMs: number;
  readyTimeoutMs: number;
  identify: IdentifyThrottler;
  /** Sees every REST response and rate-limit wait (metrics). */
  observer?: DiscordCallObserver;
  /** A gateway close no reconnect fixes (4004, 4014): the adapter is not ready until a shard connects. */
  onFatalClose?: (code: number) => void;
  onReady?: () => void;
}

/**
 * Discord lets a bot start `max_concurrency` sessions per 5 seconds; every shard client in this
 * process waits its turn here (each client would otherwise only pace itself).
 */
export class IdentifyThrottler {
  private readonly next = new Map<number, Promise<void>>();
  constructor(
    private readonly maxConcurrency: number,
    private readonly spacingMs: number,
  ) {}

  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % Math.max(1, this.maxConcurrency);
    const previous = this.next.get(bucket) ?? Promise.resolve();
    const mine = previous.then(() => {
      signal.throwIfAborted();
    });
    // The bucket frees `spacingMs` after this identify, whatever happens to it.
    this.next.set(bucket, mine.catch(() => {}).then(() => new Promise<void>((r) => setTimeout(r, this.spacingMs).unref())));
    return mine;
  }
}

/** Connects the client for one shard of `count` and resolves once it is ready; throws if it is not. */
export async function connectShard(ctx: GatewayContext, dojo: Dojo, id: number, count: number): Promise<Client> {
  const log = ctx.log.child({ shardId: id });
  const intents = [GatewayIntentBits.Guilds];
  if (ctx.threadAnswers) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
  const c = new Client({
    intents,
    shards: [id],
    shardCount: count,
    rest: ctx.rest,
    allowedMentions: { parse: [], repliedUser: false },
    ws: { buildIdentifyThrottler: () => ctx.identify },
  });
  observeRest(c.rest, ctx.observer);
  guardGateway(c, log);
  const interactionCtx = { dojo, chat: ctx.chat, log, topics: ctx.topics, forms: ctx.forms, serial: ctx.serial, admission: ctx.admission, answerBudgetMs: ctx.answerBudgetMs, modalBudgetMs: ctx.modalBudgetMs };
  const messageCtx: MessageContext = { dojo, chat: ctx.chat, log, seen: ctx.seen, serial: ctx.serial, botId: () => c.user?.id };
  // A rejected listener would become the client's `error` event; every listener catches its own.
  c.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (!ctx.seen.add(interaction.id)) {
      log.info({ deliveryId: interaction.id }, 'duplicate interaction ignored');
      return;
    }
    handleInteraction(interaction, interactionCtx).catch((error: unknown) => reportInteractionError(log, error, interaction.id));
  });
  if (ctx.threadAnswers) {
    const failed = (error: unknown) => log.error({ err: error }, 'a thread message could not be handled');
    c.on(Events.MessageCreate, (m) => void onMessageCreate(messageCtx, m).catch(failed));
    c.on(Events.MessageUpdate, (a, b) => void onMessageUpdate(messageCtx, a, b).catch(failed));
    c.on(Events.MessageDelete, (m) => void onMessageDelete(messageCtx, m).catch(failed));
  }
  c.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  c.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  c.on(Events.ShardError, (error) => log.warn({ err: error }, 'gateway connection error'));
  c.on(Events.ShardReconnecting, () => log.info('gateway reconnecting'));
  c.on(Events.ShardResume, (_shardId, replayed) => log.info({ replayed }, 'gateway resumed'));
  c.on(Events.ShardDisconnect, ({ code }) => {
    ctx.onFatalClose?.(code);
    log.error({ code }, code === 4014 ? 'Discord refused the Message Content intent: enable it in the developer portal or switch thread answers off' : 'gateway closed for good');
  });

  const waiting = new AbortController();
  const ready = once(c, Events.ClientReady, { signal: AbortSignal.any([waiting.signal, AbortSignal.timeout(ctx.readyTimeoutMs)]) });
  ready.catch(() => {});
  // A close no reconnect fixes (4004, 4014) fails the start at once instead of at the timeout.
  const refused = fatalClose(c, waiting.signal);
  refused.catch(() => {});
  try {
    await c.login(ctx.token);
    await Promise.race([ready, refused]);
  } catch (error) {
    await c.destroy().catch(() => {});
    throw error;
  } finally {
    waiting.abort();
  }
  ctx.onReady?.();
  log.info({ shardCount: count, guilds: c.guilds.cache.size, user: c.user?.tag, intents: c.options.intents.bitfield }, 'connected to the Discord gateway');
  return c;
}

function reportInteractionError(log: Logger, error: unknown, deliveryId: string) {
  const code = error instanceof DiscordAPIError ? error.code : undefined;
  if (code === DiscordCodes.UnknownInteraction || code === DiscordCodes.InteractionAlreadyAcknowledged) {
    log.warn({ deliveryId, code }, 'an interaction could not be answered in time or was answered already');
  } else {
    log.error({ err: error, deliveryId }, 'an interaction could not be answered');
  }
}
