/**
 * The Slack adapter: Interview Dojo as a Slack app on @slack/bolt.
 *
 * HTTP mode: edge.ts checks each request first (signature, a timestamp within 5 minutes either way, the
 * payload's shape) and answers 400 for a malformed one; a plain thread message (an answer, the busiest
 * delivery) is then taken there, without Bolt (thread-edge.ts); everything else goes to Bolt's HTTPReceiver, which does not listen
 * itself: its `requestListener` is mounted on the bot's one HTTP server through `handleHttp` (POST
 * /slack/events, and the OAuth routes when OAuth is configured). `processBeforeResponse` holds the HTTP
 * answer of an event until the core has it, so an outage answers 500 and Slack retries (a bug answers
 * 200, failures.ts); commands, clicks and
 * submissions are acked within Slack's 3 s, a command with its answer when that is ready within a budget (listeners.ts). Socket Mode (SLACK_APP_TOKEN) receives the same
 * payloads over a WebSocket (socket.ts), with the same listeners and the same ack rules.
 *
 *   const slack = createSlackAdapter({ signingSecret, botToken, log });
 *   const dojo = createDojo({ db, chat: slack.chat, ... });
 *   await slack.start(dojo);          // http.ts: if (slack.handleHttp(req, res)) return;
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { ChatPort, Clock } from '../../src/core/ports.js';
import { recentLoopLagMs } from '../../src/loop-lag.js';
import { systemClock } from '../../src/core/ports.js';
import type { Executor } from '../../src/db/index.js';
import type { Logger } from '../../src/log.js';
import { Admission, DEFAULT_ADMISSION, type AdmissionOptions } from '../../src/admission.js';
import type { SecretBox } from '../../src/secrets.js';
import { SlackChat } from './chat.js';
import { lightFetch } from './light-fetch.js';
import { ActorReplies } from './show-outcome.js';
import type { SlackDojo } from './home.js';
import { postgresInstallations } from './installations.js';
import { registerListeners, type ListenerContext } from './listeners.js';
import { answerAtEdge, edgeMessage } from './thread-edge.js';
import { boltLogger } from './logger.js';
import { createInstaller, WELCOME, type Installer, type OAuthOptions } from './oauth.js';
import { admit } from './edge.js';
import { answerFailure } from './failures.js';
import { EVENTS_PATH } from './paths.js';
import type { SlackCallObserver } from './observed.js';
import { SocketReceiver } from './socket.js';
import { UserDirectory } from './users.js';
import { Workspaces } from './workspaces.js';

export type { SlackDojo, HomeSource } from './home.js';
export type { OAuthOptions } from './oauth.js';

export { EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH } from './paths.js';

export interface SlackAdapterOptions {
  /** Verifies HTTP requests (HTTP mode; not needed in Socket Mode). */
  signingSecret?: string;
  /** One workspace's bot token (SLACK_BOT_TOKEN). With `oauth`, it keeps serving its own workspace. */
  botToken?: string;
  /** Socket Mode (SLACK_APP_TOKEN): events come over a WebSocket instead of POST /slack/events. */
  appToken?: string;
  /** The Web API base (SLACK_API_URL), e.g. a fake in tests or a government Slack host. */
  apiUrl?: string;
  /**
   * The OAuth install flow, with installations kept in the database; `secrets` seals their tokens
   * (DOJO_ENCRYPTION_KEY). Rotating tokens are refreshed with the app's client id and secret.
   */
  oauth?: OAuthOptions & { db: Executor; secrets?: SecretBox };
  log: Logger;
  clock?: Clock;
  /** WebClient tuning; tests shorten retries. */
  client?: Pick<WebClientOptions, 'retryConfig' | 'maxRequestConcurrency' | 'timeout'>;
  /** How long a name lookup may hold up an event (default 1.5 s). */
  userLookupMs?: number;
  /** Sees every Web API call the bot makes (metrics by method and status, rate-limit waits). */
  observer?: SlackCallObserver;
  /** Bounds on the work behind acks and events (in flight, queued, longest wait). */
  admission?: Partial<AdmissionOptions>;
  /** How long a command waits for its reply to send it in the ack (default 250 ms; 0 acks at once). */
  answerBudgetMs?: number;
  /** An event loop this late (ms) means more work arrives than the CPU gets through: acks go out at once (default 50). */
  laggingMs?: number;
  /** How late the event loop has been lately, in ms (default src/loop-lag.ts; a test drives it). */
  loopLag?: () => number;
  /** Wall-clock seconds for checking request timestamps (tests). */
  nowSeconds?: () => number;
}

export interface SlackAdapter {
  /** The core's way out to Slack. */
  chat: ChatPort;
  readonly mode: 'http' | 'socket';
  /** Answers Slack's requests on the bot's HTTP server; false (response untouched) for other paths. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  start(dojo: SlackDojo): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the work that followed acks so far has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** The work admitted behind acks and events: running, waiting, and shed so far (metrics, tests). */
  load(): { inFlight: number; queued: number; shed: number };
  /** Why the adapter cannot serve (SLACK_BOT_TOKEN revoked at run time), or undefined (/readyz). */
  problem(): string | undefined;
}

/**
 * Per workspace: calls queue behind these many in flight, and retries stay within minutes. More than the
 * outbox sends at once (SEND_CONCURRENCY, 100), so a person's modal or reply never queues behind a
 * fan-out's posts; a 429 pauses the workspace's queue for its Retry-After.
 */
const DEFAULT_CLIENT: WebClientOptions = {
  maxRequestConcurrency: 128,
  retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true },
  timeout: 15_000,
  // Node's fetch costs a fifth of a board's CPU; the clients' plain string bodies go over node:http (light-fetch.ts).
  fetch: lightFetch,
};

/**
 * A reply within this goes in the ack (listeners.ts): one HTTP answer instead of an ack and then a
 * request to the response_url, which cost a command about as much CPU as its database work. A command
 * takes a few milliseconds on a healthy database; past this the ack goes out empty and the reply
 * follows, so a slow database never brings an ack near Slack's 3 s (nor does a saturated bot: work
 * that has to queue for a slot acks at once).
 */
const DEFAULT_ANSWER_BUDGET_MS = 250;

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const mode = options.appToken ? 'socket' : 'http';
  if (mode === 'http' && !options.signingSecret) throw new Error('the Slack adapter needs SLACK_SIGNING_SECRET in HTTP mode');
  if (!options.botToken && !options.oauth) throw new Error('the Slack adapter needs SLACK_BOT_TOKEN or the OAuth settings');
  const log = options.log.child({ adapter: 'slack' });
  const logger = boltLogger(log);
  const clientOptions: WebClientOptions = {
    ...DEFAULT_CLIENT,
    ...options.client,
    logger,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  };

  const clock = options.clock ?? systemClock;
  const store = options.oauth
    ? postgresInstallations({
        db: options.oauth.db,
        clock,
        secrets: options.oauth.secrets,
        rotation: { clientId: options.oauth.clientId, clientSecret: options.oauth.clientSecret, clientOptions },
        log,
        onChange: (id) => workspaces.forget(id),
      })
    : undefined;
  let deadToken: string | undefined;
  const workspaces: Workspaces = new Workspaces({
    botToken: options.botToken,
    installations: store,
    clientOptions,
    now: () => clock.now().getTime(),
    observer: options.observer,
    onSingleTokenDead: (error) => {
      if (deadToken === undefined && started) log.error({ slackError: error }, `Slack stopped accepting SLACK_BOT_TOKEN (${error}); reinstall the app or update the token`);
      deadToken = error;
    },
  });
  const chat = new SlackChat(workspaces, log);
  const users = new UserDirectory(workspaces, log, { waitMs: options.userLookupMs });
  const replies = new ActorReplies(workspaces, chat, log);

  const receiver =
    mode === 'socket'
      ? new SocketReceiver({ appToken: options.appToken!, logger, clientOptions })
      : new HTTPReceiver({
          signingSecret: options.signingSecret!,
          endpoints: EVENTS_PATH,
          processBeforeResponse: true,
          // The door (edge.ts) checked the signature already; only what it admitted reaches the receiver.
          signatureVerification: false,
          logger,
          processEventErrorHandler: answerFailure(log),
        });
  const app = new App({ receiver, authorize: workspaces.authorize, logger, clientOptions, convoStore: false });

  const pending = new Set<Promise<void>>();
  const admission = new Admission({ ...DEFAULT_ADMISSION, ...options.admission });
  let dojo: SlackDojo | undefined;
  let started = false;
  const track = (work: () => Promise<void>) => {
    const running: Promise<void> = work()
      .catch((error: unknown) => log.error({ err: error }, 'slack: work after an ack failed'))
      .finally(() => pending.delete(running));
    pending.add(running);
  };

  const listenerContext: ListenerContext = {
    dojo: () => {
      if (!dojo) throw new Error('the Slack adapter is not started');
      return dojo;
    },
    workspaces,
    users,
    replies,
    log,
    admission,
    track,
    answerBudgetMs: options.answerBudgetMs ?? DEFAULT_ANSWER_BUDGET_MS,
    laggingMs: options.laggingMs ?? 50,
    loopLag: options.loopLag ?? recentLoopLagMs,
    async uninstalled(teamId) {
      await store?.remove(teamId);
      workspaces.forget(teamId);
      log.info({ teamId }, 'slack app uninstalled');
    },
  };
  registerListeners(app, listenerContext);

  const installer: Installer | undefined =
    options.oauth && store
      ? createInstaller({
          ...options.oauth,
          store,
          clientOptions,
          log,
          onInstalled: ({ team, user }) => {
            if (team?.id) track(async () => void (await chat.dm({ platform: 'slack', id: team.id }, user.id, WELCOME)));
          },
        })
      : undefined;

  const idle = async () => {
    while (pending.size) await Promise.allSettled([...pending]);
  };

  return {
    chat,
    mode,
    handleHttp(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === EVENTS_PATH && mode === 'http') {
        if (req.method !== 'POST') {
          res.writeHead(405, { Allow: 'POST' }).end();
        } else if (!started) {
          // Not ready to take anything: Slack retries events, and a person sees "try again".
          res.writeHead(503).end();
        } else {
          // Only a signed, well-formed body reaches Bolt (edge.ts); whatever happens, one request
          // never takes the process down.
          admit(req, res, { signingSecret: options.signingSecret!, log, nowSeconds: options.nowSeconds })
            .then(async (admitted) => {
              if (!admitted) return;
              // A plain thread message is taken here, without Bolt's middleware (thread-edge.ts).
              const fast = admitted.kind === 'event' ? edgeMessage(admitted.body, (teamId) => workspaces.known(teamId), req.headers['x-slack-retry-num']) : undefined;
              if (fast) await answerAtEdge(listenerContext, fast, res, log);
              else (receiver as HTTPReceiver).requestListener(req, res);
            })
            .catch((error: unknown) => {
              log.error({ err: error }, 'slack: a request failed at the door');
              if (!res.headersSent) res.writeHead(500).end();
            });
        }
        return true;
      }
      return installer?.handle(req, res) ?? false;
    },
    async start(core) {
      dojo = core;
      await workspaces.init();
      if (mode === 'socket') await app.start();
      started = true;
      log.info({ mode, workspace: workspaces.singleTeamId, oauth: Boolean(installer) }, 'slack adapter started');
    },
    async stop() {
      started = false;
      if (mode === 'socket') await app.stop();
      await idle();
    },
    idle,
    load: () => ({ inFlight: admission.inFlight, queued: admission.queued, shed: admission.stats.rejected + admission.stats.expired }),
    problem: () => (deadToken ? `token rejected by Slack (${deadToken})` : undefined),
  };
}
