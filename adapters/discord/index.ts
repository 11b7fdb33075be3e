/**
 * The Discord adapter: discord.js gateway clients (one per shard this instance runs) that turn
 * interactions (and, when switched on, thread messages) into core events, and a ChatPort on
 * Discord's REST API.
 *
 * Shards are split between instances by Postgres advisory locks (shards.ts): an instance runs a
 * shard only while it holds its lock; the others stand by (their ChatPort still posts, since REST
 * needs no gateway) and take over when a holder goes away.
 */
import { Admission, DEFAULT_ADMISSION, type AdmissionOptions } from '../../src/admission.js';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { DiscordAPIError, Events, REST, Routes, type Client, type RESTGetAPIGatewayBotResult } from 'discord.js';
import type { Dojo } from '../../src/core/ports.js';
import type { Db } from '../../src/db/index.js';
import { lockSource, type LockSource } from '../../src/db/repos/held-locks.js';
import { builtinTopics } from '../../src/db/repos/questions.js';
import type { Logger } from '../../src/log.js';
import { BUILTIN_QUESTIONS_DIR } from '../../src/paths.js';
import { createChat, type DiscordChat } from './chat.js';
import { observeRest, type DiscordCallObserver } from './observe.js';
import { FormStash } from './forms.js';
import { connectShard, IdentifyThrottler, type GatewayContext } from './gateway.js';
import { RecentIds } from './recent.js';
import { Serial } from './serial.js';
import { ShardKeeper } from './shards.js';
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
  /** Topics for autocomplete; when absent, read at start from the database's bank, else the bank in `questionsDir`. */
  topics?: readonly string[];
  questionsDir?: string;
  /**
   * For the gateway locks: on Postgres they are taken on connections of their own to `session.url`
   * (DATABASE_DIRECT_URL, else DATABASE_URL); with PGlite (one process) there are no locks.
   */
  database?: { db?: Db; kind: 'postgres' | 'pglite'; session?: { url: string; schema?: string } };
  /** Instead of `database`: where the gateway locks come from (tests). */
  locks?: LockSource;
  /** Names this instance's lock connections in pg_stat_activity. */
  lockApplicationName?: string;
  /** DISCORD_SHARDS: how many shards the bot runs in all; absent, Discord's recommendation. */
  shards?: number;
  /** REST tuning (tests shorten these so nothing hangs). */
  rest?: { retries?: number; timeout?: number };
  /**
   * How long an interaction waits for the core before deferring (default 1.5 s): an outcome within it
   * is the interaction's callback itself (one round trip), a later one edits a deferral.
   */
  answerBudgetMs?: number;
  /** The same for an interaction that opens a modal (default 2.2 s: a deferred one cannot open it). */
  modalBudgetMs?: number;
  /** How often an instance checks its share of the shards (a standby one looks for free shards). */
  lockRetryMs?: number;
  /** Backoff after a lost lock connection: the first wait (doubling up to `lockRetryMaxMs`). */
  lockRetryFirstMs?: number;
  lockRetryMaxMs?: number;
  /** How long a shard taken from another instance waits before connecting. */
  handoverGraceMs?: number;
  /** Space between two identifies of this process in one concurrency bucket (Discord: 5 s). */
  identifySpacingMs?: number;
  /** How long to wait for the gateway to be ready at start. */
  readyTimeoutMs?: number;
  /** Sees every REST response and rate-limit wait (metrics). */
  observer?: DiscordCallObserver;
  /** Bounds on the work behind interactions (in flight, queued, longest wait); past them, "busy" in the callback. */
  admission?: Partial<AdmissionOptions>;
}

export type GatewayState = 'stopped' | 'connecting' | 'connected' | 'standby';

export interface DiscordAdapter {
  chat: DiscordChat;
  /** The gateway client of the lowest shard this instance runs, if any. */
  readonly client: Client | undefined;
  /** The shards this instance runs now, and how many the bot has in all (0 before start). */
  readonly shards: readonly number[];
  readonly shardCount: number;
  readonly state: GatewayState;
  /** Why this instance cannot serve Discord (a gateway closed for good), or undefined (/readyz). */
  problem(): string | undefined;
  /** The work behind interactions now: running, waiting, and how many were told busy so far. */
  load(): { inFlight: number; queued: number; shed: number };
  start(dojo: Dojo): Promise<void>;
  stop(): Promise<void>;
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const log = options.log.child({ adapter: 'discord' });
  const restOptions = { ...(options.apiUrl ? { api: options.apiUrl } : {}), ...options.rest };
  const rest = new REST(restOptions).setToken(options.token);
  observeRest(rest, options.observer);
  const chat = createChat(rest, log, { threadAnswers: options.threadAnswers === true });
  const admission = new Admission({ ...DEFAULT_ADMISSION, ...options.admission });
  // Lock names identify the bot without writing its token anywhere.
  const lockPrefix = `discord-gateway:${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}`;
  const clients = new Map<number, Client>();
  let keeper: ShardKeeper | undefined;
  let shardCount = 0;
  let phase: 'stopped' | 'connecting' | 'running' = 'stopped';
  let topics: readonly string[] = options.topics ?? [];
  // The last gateway close no reconnect fixes (a revoked token: 4004), until a connect succeeds.
  let closedFor: number | undefined;

  function locks(): LockSource | undefined {
    if (options.locks) return options.locks;
    const database = options.database;
    if (database?.kind !== 'postgres') return undefined;
    if (!database.session) throw new Error('the Discord gateway locks need the Postgres URL (database.session)');
    return lockSource({ ...database.session, applicationName: options.lockApplicationName ?? `dojo-gateway-lock@${hostname()}`.slice(0, 63) });
  }

  async function start(dojo: Dojo) {
    phase = 'connecting';
    if (!options.topics) {
      // From the bank the server synced into the database: one query (reading the YAML again was half a
      // second of CPU and the parser's memory). Without a database, the YAML in the background; until
      // it is read, autocomplete offers the team's own topics.
      const db = options.database?.db;
      const read = db ? builtinTopics(db) : loadTopics(options.questionsDir ?? BUILTIN_QUESTIONS_DIR);
      const done = read.then(
        (found) => void (topics = found),
        (error: unknown) => log.warn({ err: error }, 'could not read topics for autocomplete'),
      );
      if (db) await done;
    }
    // The shard count every instance agrees on, and how many sessions may start at once.
    const gateway = (await rest.get(Routes.gatewayBot()).catch((error: unknown) => {
      // As discord.js's login says it, so whoever reports a bad token at start sees the same error.
      if (error instanceof DiscordAPIError && error.status === 401) throw Object.assign(new Error('An invalid token was provided.', { cause: error }), { code: 'TokenInvalid' });
      throw error;
    })) as RESTGetAPIGatewayBotResult;
    shardCount = options.shards ?? Math.max(1, gateway.shards);
    const ctx: GatewayContext = {
      token: options.token,
      rest: restOptions,
      threadAnswers: options.threadAnswers === true,
      chat,
      log,
      seen: new RecentIds(),
      forms: new FormStash(),
      serial: new Serial(),
      admission,
      topics: () => topics,
      answerBudgetMs: options.answerBudgetMs ?? 1500,
      modalBudgetMs: options.modalBudgetMs ?? 2200,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      observer: options.observer,
      onFatalClose: (code) => {
        closedFor = code;
      },
      onReady: () => {
        closedFor = undefined;
      },
      identify: new IdentifyThrottler(gateway.session_start_limit.max_concurrency, options.identifySpacingMs ?? 5_000),
    };
    const count = shardCount;
    keeper = new ShardKeeper({
      count,
      locks: locks(),
      lockPrefix,
      log,
      balanceEveryMs: options.lockRetryMs ?? 15_000,
      retryFirstMs: options.lockRetryFirstMs ?? 1_000,
      retryMaxMs: options.lockRetryMaxMs ?? 30_000,
      handoverGraceMs: options.handoverGraceMs ?? 1_000,
      startShard: async (id) => {
        clients.set(id, await connectShard(ctx, dojo, id, count));
      },
      stopShard: async (id) => {
        const c = clients.get(id);
        clients.delete(id);
        // A deliberate stop is neither a reconnect nor a fatal close: keep those lines out of the log.
        c?.removeAllListeners(Events.ShardReconnecting).removeAllListeners(Events.ShardDisconnect);
        await c?.destroy();
      },
    });
    try {
      await keeper.start();
    } catch (error) {
      await keeper.stop().catch(() => {});
      throw error;
    }
    if (clients.size === 0) log.info({ shardCount }, 'other instances run every Discord gateway shard; standing by');
  }

  return {
    chat,
    get client() {
      const first = Math.min(...clients.keys());
      return clients.get(first);
    },
    get shards() {
      return keeper?.shards ?? [];
    },
    get shardCount() {
      return shardCount;
    },
    get state() {
      if (phase !== 'running') return phase;
      return clients.size > 0 ? 'connected' : 'standby';
    },
    problem: () => (closedFor !== undefined ? `gateway closed for good (${closedFor})` : undefined),
    load: () => ({ inFlight: admission.inFlight, queued: admission.queued, shed: admission.stats.rejected + admission.stats.expired }),

    async start(dojo: Dojo) {
      try {
        await start(dojo);
        phase = 'running';
      } catch (error) {
        phase = 'stopped';
        throw error;
      }
    },

    async stop() {
      phase = 'stopped';
      await keeper?.stop();
      keeper = undefined;
      for (const c of clients.values()) await c.destroy();
      clients.clear();
    },
  };
}
