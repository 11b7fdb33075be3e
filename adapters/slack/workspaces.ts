/**
 * Which bot token serves which workspace, and one WebClient per workspace. A workspace's client is the
 * queue all of its calls go through (Bolt's listeners and the core's ChatPort calls alike), so a fan-out
 * to many channels waits its turn (`maxRequestConcurrency`) and a 429 pauses that workspace only.
 *
 * Tokens come from SLACK_BOT_TOKEN (one workspace) and/or the OAuth installation store (many). Store
 * lookups are cached briefly so `authorize`, which runs before every ack, does not wait on the database.
 */
import type { AuthorizeResult, AuthorizeSourceData } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { PlatformRejected } from '../../src/errors.js';
import { ChatError } from '../../src/core/ports.js';
import { slackErrorOf } from './errors.js';
import type { Installations } from './installations.js';
import { EXPIRY_WINDOW_S } from './tokens.js';
import { ObservedClient, type SlackCallObserver } from './observed.js';

export interface Workspace {
  teamId: string;
  token: string;
  botUserId?: string;
  botId?: string;
  /** When a rotating token expires (Unix seconds); absent for tokens that do not expire. */
  expiresAt?: number;
}

export interface WorkspacesOptions {
  botToken?: string;
  installations?: Pick<Installations, 'find'>;
  clientOptions: WebClientOptions;
  /** How long a looked-up installation is trusted (default a minute). */
  cacheMs?: number;
  /** The clock's time in ms, for token expiry (default Date.now). */
  now?: () => number;
  /** Sees every Web API call (metrics). */
  observer?: SlackCallObserver;
  /** SLACK_BOT_TOKEN stopped working at run time (revoked, app uninstalled): log and report not ready. */
  onSingleTokenDead?: (error: string) => void;
}

/** Reactions in flight per workspace; the rest wait in their own lane. */
const REACTIONS_IN_FLIGHT = 4;

export class Workspaces {
  private single?: Workspace;
  private readonly clients = new Map<string, { token: string; client: WebClient }>();
  /** The reactions lane of each workspace (reactionsClientFor). */
  private readonly reactionClients = new Map<string, { token: string; client: WebClient }>();
  private readonly cache = new Map<string, { workspace: Workspace; at: number }>();

  constructor(private readonly options: WorkspacesOptions) {}

  /** With a single bot token, learns its workspace and bot user (auth.test); a bad token fails here. */
  async init(): Promise<void> {
    if (!this.options.botToken) return;
    const client = this.newClient(this.options.botToken, this.options.clientOptions, true);
    let auth;
    try {
      auth = await client.auth.test();
    } catch (error) {
      const slack = slackErrorOf(error);
      throw new PlatformRejected(
        slack
          ? `Slack did not accept SLACK_BOT_TOKEN (${slack}); copy the Bot User OAuth Token from the app's OAuth & Permissions page.`
          : `Could not reach Slack at ${this.options.clientOptions.slackApiUrl ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN.`,
        { cause: error },
      );
    }
    if (!auth.team_id) throw new Error('auth.test did not name a workspace for SLACK_BOT_TOKEN');
    this.single = { teamId: auth.team_id, token: this.options.botToken, botUserId: auth.user_id, botId: auth.bot_id };
    this.clients.set(auth.team_id, { token: this.options.botToken, client });
  }

  private newClient(token: string, options: WebClientOptions, single: boolean): WebClient {
    return new ObservedClient(token, options, this.options.observer, single ? this.options.onSingleTokenDead : undefined);
  }

  get singleTeamId(): string | undefined {
    return this.single?.teamId;
  }

  /** The workspace when it is known without a lookup (the single token's, or a fresh cached one); else undefined. */
  known(teamId: string): Workspace | undefined {
    if (this.single?.teamId === teamId) return this.single;
    const cached = this.cache.get(teamId);
    return cached && Date.now() - cached.at < (this.options.cacheMs ?? 60_000) && !this.expiring(cached.workspace) ? cached.workspace : undefined;
  }

  async find(teamId: string, enterpriseId?: string): Promise<Workspace | undefined> {
    if (this.single?.teamId === teamId) return this.single;
    const cached = this.cache.get(teamId);
    if (cached && Date.now() - cached.at < (this.options.cacheMs ?? 60_000) && !this.expiring(cached.workspace)) return cached.workspace;
    if (!this.options.installations) return undefined;
    let installation;
    try {
      installation = await this.options.installations.find(teamId, enterpriseId);
    } catch (error) {
      // The database is having a moment: a token we knew a little while ago is still the best answer.
      if (cached) return cached.workspace;
      throw error;
    }
    if (!installation?.bot?.token) {
      this.cache.delete(teamId);
      return undefined;
    }
    const workspace = { teamId, token: installation.bot.token, botUserId: installation.bot.userId, botId: installation.bot.id, expiresAt: installation.bot.expiresAt };
    this.cache.set(teamId, { workspace, at: Date.now() });
    return workspace;
  }

  /** A rotating token near its expiry is looked up again (the store refreshes it). */
  private expiring(workspace: Workspace): boolean {
    if (workspace.expiresAt === undefined) return false;
    const nowS = (this.options.now?.() ?? Date.now()) / 1000;
    return workspace.expiresAt - nowS <= EXPIRY_WINDOW_S;
  }

  /** The workspace's token, or a permanent ChatError when the app is not (or no longer) installed there. */
  async require(teamId: string): Promise<Workspace> {
    const workspace = await this.find(teamId);
    if (!workspace) throw new ChatError('missing_permissions', `the Slack app is not installed in ${teamId}`);
    return workspace;
  }

  client(workspace: Workspace): WebClient {
    const existing = this.clients.get(workspace.teamId);
    if (existing && existing.token === workspace.token) return existing.client;
    const client = this.newClient(workspace.token, { ...this.options.clientOptions, teamId: workspace.teamId }, workspace.token === this.options.botToken);
    this.clients.set(workspace.teamId, { token: workspace.token, client });
    return client;
  }

  async clientFor(teamId: string): Promise<WebClient> {
    return this.client(await this.require(teamId));
  }

  /**
   * A client of its own for reactions.add (the ✅ on every answer, issue 13), a few calls in flight: a
   * burst of answers is paced there, and a 429 (reactions.add is a Tier 3 method, about 50 a minute)
   * pauses only this lane, never the posts of questions, replies and closes in the main queue.
   */
  async reactionsClientFor(teamId: string): Promise<WebClient> {
    const workspace = await this.require(teamId);
    const existing = this.reactionClients.get(workspace.teamId);
    if (existing && existing.token === workspace.token) return existing.client;
    // As the main clients: the single token's workspace is implied by its token; an installed one's is named.
    const options = { ...this.options.clientOptions, ...(workspace === this.single ? {} : { teamId: workspace.teamId }), maxRequestConcurrency: REACTIONS_IN_FLIGHT };
    const client = this.newClient(workspace.token, options, workspace.token === this.options.botToken);
    this.reactionClients.set(workspace.teamId, { token: workspace.token, client });
    return client;
  }

  /**
   * A client of its own for a background job (users.list, users.ts), made for that job and dropped after:
   * a 429 throws at once (rejectRateLimitedCalls) instead of pausing the workspace's queue, and a failure
   * is not retried for minutes; the caller has a fallback for both.
   */
  async ownClientFor(teamId: string): Promise<WebClient> {
    const workspace = await this.require(teamId);
    const options: WebClientOptions = {
      ...this.options.clientOptions,
      ...(workspace === this.single ? {} : { teamId: workspace.teamId }),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    };
    return this.newClient(workspace.token, options, workspace.token === this.options.botToken);
  }

  /** Drops what is cached for a workspace or org (after a reinstall or an uninstall). */
  forget(id: string): void {
    this.cache.delete(id);
    for (const [teamId, entry] of this.cache) if (entry.workspace.teamId === id) this.cache.delete(teamId);
    if (this.single?.teamId !== id) {
      this.clients.delete(id);
      this.reactionClients.delete(id);
    }
  }

  /** Bolt's `authorize`: the token and bot identity for the workspace a request comes from. */
  readonly authorize = async (source: AuthorizeSourceData<boolean>): Promise<AuthorizeResult> => {
    const teamId = source.teamId ?? this.single?.teamId;
    const workspace = teamId ? await this.find(teamId, source.enterpriseId) : undefined;
    if (!workspace) throw new Error(`the app is not installed in ${teamId ?? source.enterpriseId ?? 'this workspace'}`);
    return { botToken: workspace.token, botUserId: workspace.botUserId, botId: workspace.botId, teamId: workspace.teamId, enterpriseId: source.enterpriseId };
  };
}
