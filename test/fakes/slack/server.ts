/**
 * A local fake of the Slack Web API (and of response_url endpoints) for the real WebClient and Bolt:
 * `apiUrl` goes into SLACK_API_URL / clientOptions.slackApiUrl. It answers the methods the adapter uses
 * like Slack does (form-encoded in, JSON out, `{ ok: false, error }` for failures, 429 with Retry-After),
 * records every call, and lets a test script answers per method.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  teamId?: string;
  at: number;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An answer: a Slack result object (`{ ok: true, ... }`), or a raw HTTP reply (`{ status: 429, ... }`). */
export type Handler = (call: FakeCall) => FakeReply | Record<string, unknown> | Promise<FakeReply | Record<string, unknown>>;

export interface FakeWorkspace {
  teamId: string;
  name: string;
  token: string;
  botUserId: string;
  botId: string;
}

export interface FakeUser {
  name: string;
  realName?: string;
  isAdmin?: boolean;
  isBot?: boolean;
}

export interface Posted {
  teamId?: string;
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
}

export interface Rotation {
  refreshToken: string;
  /** Seconds each token lives (Slack: 43,200). */
  expiresIn: number;
}

export class FakeSlack {
  readonly calls: FakeCall[] = [];
  /**
   * Files uploaded (files.uploadV2's upload step, a POST to the upload URL): the raw body as text, and the
   * file's own bytes (the multipart part the WebClient sends, or the whole body when it is not multipart).
   */
  readonly uploads: { id: string; raw: string; bytes: Buffer; filename?: string }[] = [];
  /**
   * What Slack shows in answer to a command or click, by its response_url's id: bodies POSTed to the
   * response_url, and (`via: 'ack'`, recorded by the driver) a command's answer in its ack.
   */
  readonly responses: { id: string; body: Record<string, unknown>; via?: 'ack' }[] = [];
  readonly workspaces = new Map<string, FakeWorkspace>();
  readonly users = new Map<string, FakeUser>();
  /** User groups by id (`S…`): their handle and members, as usergroups.list gives them. */
  readonly usergroups = new Map<string, { handle: string; users: string[] }>();
  /** Per method: how long each call takes (to see queueing). */
  readonly delays = new Map<string, number>();
  /** The most calls in flight at once, per workspace token. */
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly handlers = new Map<string, Handler>();
  private readonly onceHandlers = new Map<string, Handler[]>();
  private readonly oauthCodes = new Map<string, FakeWorkspace & { installer: string; rotation?: Rotation }>();
  /** Live refresh tokens (single-use, as Slack's): what each one renews. */
  private readonly refreshTokens = new Map<string, { workspace: FakeWorkspace; expiresIn: number }>();
  /** The length each upload URL was asked for with (files.getUploadURLExternal). */
  private readonly announced = new Map<string, number>();
  private rotations = 0;
  private tsCounter = 0;
  private viewCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.route(req, res));
    fake.addWorkspace({ teamId: 'T0001', name: 'Acme', token: 'xoxb-acme', botUserId: 'UBOT1', botId: 'BBOT1' });
    return fake;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addWorkspace(workspace: FakeWorkspace): void {
    this.workspaces.set(workspace.token, workspace);
  }

  addUser(id: string, user: FakeUser): void {
    this.users.set(id, user);
  }

  /**
   * What oauth.v2.access answers for this code: a new bot token for `workspace`; with `rotation`, the
   * token expires in `expiresIn` seconds and comes with a refresh token (Slack's token rotation).
   */
  grant(code: string, workspace: FakeWorkspace, installer = 'UINSTALLER', rotation?: Rotation): void {
    this.oauthCodes.set(code, { ...workspace, installer, rotation });
  }

  /** A workspace with token rotation on, as if installed earlier: its token and live refresh token. */
  rotating(workspace: FakeWorkspace, rotation: Rotation): void {
    this.addWorkspace(workspace);
    this.refreshTokens.set(rotation.refreshToken, { workspace, expiresIn: rotation.expiresIn });
  }

  /** oauth.v2.access with grant_type=refresh_token: a new token pair; the refresh token is used up. */
  private rotate(refreshToken: string): Record<string, unknown> {
    const known = this.refreshTokens.get(refreshToken);
    if (!known) return { ok: false, error: 'invalid_refresh_token' };
    this.refreshTokens.delete(refreshToken);
    const n = ++this.rotations;
    const workspace = { ...known.workspace, token: `${known.workspace.token}.r${n}` };
    this.addWorkspace(workspace);
    const next = `xoxe-1-${workspace.teamId}-${n}`;
    this.refreshTokens.set(next, { workspace, expiresIn: known.expiresIn });
    return { ok: true, app_id: 'A0DOJO', token_type: 'bot', access_token: workspace.token, refresh_token: next, expires_in: known.expiresIn, team: { id: workspace.teamId, name: workspace.name } };
  }

  /** Answers every call of `method` with `handler` from now on. */
  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Answers the next call of `method` with `handler`, then goes back to the usual answer. */
  once(method: string, handler: Handler): void {
    this.onceHandlers.set(method, [...(this.onceHandlers.get(method) ?? []), handler]);
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${id}`;
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages posted with chat.postMessage (answered ok), in order. */
  posted(filter: { channel?: string; threadTs?: string; teamId?: string } = {}): Posted[] {
    return this.callsOf('chat.postMessage')
      .filter((c) => c.args.ts !== undefined)
      .map((c) => ({
        teamId: c.teamId,
        channel: String(c.args.channel),
        ts: String(c.args.ts),
        threadTs: c.args.thread_ts === undefined ? undefined : String(c.args.thread_ts),
        text: String(c.args.text ?? ''),
        blocks: (c.args.blocks as unknown[]) ?? [],
      }))
      .filter((p) => (!filter.channel || p.channel === filter.channel) && (!filter.threadTs || p.threadTs === filter.threadTs) && (!filter.teamId || p.teamId === filter.teamId));
  }

  async waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const raw = body.toString('utf8');
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ id: url.pathname.slice('/respond/'.length), body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      const id = url.pathname.slice('/upload/'.length);
      const file = await fileOf(req.headers['content-type'] ?? '', body);
      if (this.announced.get(id) !== file.bytes.length) {
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('length mismatch');
        return;
      }
      this.uploads.push({ id: url.pathname.slice('/upload/'.length), raw, ...file });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK - 1');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof args.token === 'string' ? args.token : undefined;
    const call: FakeCall = { method, args, token, teamId: token ? this.workspaces.get(token)?.teamId : undefined, at: Date.now() };
    this.calls.push(call);
    const key = token ?? '-';
    const now = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, now);
    this.maxInFlight.set(key, Math.max(now, this.maxInFlight.get(key) ?? 0));
    try {
      const delay = this.delays.get(method);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const once = this.onceHandlers.get(method);
      const handler = once?.length ? once.shift()! : (this.handlers.get(method) ?? ((c: FakeCall) => this.answer(c)));
      const reply = await handler(call);
      const isRaw = 'status' in reply || 'headers' in reply;
      const status = isRaw ? ((reply as FakeReply).status ?? 200) : 200;
      const body = isRaw ? (reply as FakeReply).body : reply;
      if (status === 200 && (body as { ok?: boolean })?.ok && method === 'chat.postMessage') call.args.ts = (body as { ts: string }).ts;
      res.writeHead(status, { 'Content-Type': 'application/json', ...(isRaw ? (reply as FakeReply).headers : {}) });
      res.end(body === undefined ? '' : JSON.stringify(body));
    } finally {
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    }
  }

  /** Slack's usual answer to a call (for handlers that change only some calls). */
  answer(call: FakeCall): Record<string, unknown> {
    const ws = call.token ? this.workspaces.get(call.token) : undefined;
    const a = call.args;
    if (!ws && call.method !== 'oauth.v2.access') return { ok: false, error: call.token ? 'invalid_auth' : 'not_authed' };
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: `https://${ws!.name.toLowerCase()}.slack.com/`, team: ws!.name, team_id: ws!.teamId, user: 'dojo', user_id: ws!.botUserId, bot_id: ws!.botId };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return { ok: true, channel: a.channel, ts, message: { text: a.text, ts, ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}) } };
      }
      case 'chat.update':
        return { ok: true, channel: a.channel, ts: a.ts, text: a.text };
      case 'reactions.add':
        return { ok: true };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(a.users).replace(/^U/, '')}` } };
      case 'conversations.history':
      case 'conversations.replies': {
        // The bot's own posts, newest first, with their metadata (what a retried send looks for).
        const inThread = call.method === 'conversations.replies' ? String(a.ts) : undefined;
        const messages = this.callsOf('chat.postMessage')
          .filter((c) => c.teamId === ws!.teamId && c.args.ts !== undefined && String(c.args.channel) === String(a.channel))
          .filter((c) => (inThread ? c.args.thread_ts === inThread || c.args.ts === inThread : c.args.thread_ts === undefined))
          .map((c) => ({ type: 'message', ts: String(c.args.ts), text: c.args.text, bot_id: ws!.botId, ...(c.args.metadata ? { metadata: c.args.metadata } : {}) }))
          .reverse();
        return { ok: true, messages, has_more: false };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { id: `V${++this.viewCounter}`, ...(a.view as object) } };
      case 'users.info': {
        const id = String(a.user);
        const u = this.users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: slackUser(id, u, ws!.teamId) };
      }
      case 'users.list': {
        // Cursor pagination as Slack's: an opaque next_cursor, '' on the last page; no limit gives everything.
        const all = [...this.users];
        const from = a.cursor === undefined || a.cursor === '' ? 0 : cursorOffset(String(a.cursor));
        if (from === undefined || from > all.length) return { ok: false, error: 'invalid_cursor' };
        const limit = a.limit === undefined ? all.length : Number(a.limit);
        if (!Number.isInteger(limit) || limit < 0) return { ok: false, error: 'invalid_limit' };
        const page = all.slice(from, limit === 0 ? all.length : from + limit);
        const next = from + page.length < all.length ? Buffer.from(`user:${from + page.length}`).toString('base64') : '';
        return { ok: true, members: page.map(([id, u]) => slackUser(id, u, ws!.teamId)), cache_ts: Math.floor(Date.now() / 1000), response_metadata: { next_cursor: next } };
      }
      case 'usergroups.list':
        return { ok: true, usergroups: [...this.usergroups].map(([id, g]) => ({ id, handle: g.handle, ...(a.include_users ? { users: g.users } : {}) })) };
      case 'files.getUploadURLExternal': {
        // Slack needs both, and refuses an upload whose length differs from what was announced.
        if (!a.filename || !Number(a.length)) return { ok: false, error: 'invalid_arguments' };
        const id = `F${++this.viewCounter}`;
        this.announced.set(id, Number(a.length));
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const ids = Array.isArray(a.files) ? a.files.map((f: { id?: unknown }) => String(f.id)) : [];
        if (ids.length === 0 || ids.some((id) => !this.uploads.some((u) => u.id === id))) return { ok: false, error: 'file_not_found' };
        return { ok: true, files: a.files };
      }
      case 'oauth.v2.access': {
        if (a.grant_type === 'refresh_token') return this.rotate(String(a.refresh_token));
        const grant = this.oauthCodes.get(String(a.code));
        if (!grant) return { ok: false, error: 'invalid_code' };
        this.oauthCodes.delete(String(a.code));
        this.addWorkspace(grant);
        const rotation = grant.rotation;
        if (rotation) this.refreshTokens.set(rotation.refreshToken, { workspace: grant, expiresIn: rotation.expiresIn });
        return {
          ...(rotation ? { refresh_token: rotation.refreshToken, expires_in: rotation.expiresIn } : {}),
          ok: true,
          app_id: 'A0DOJO',
          authed_user: { id: grant.installer },
          scope: 'commands,chat:write,im:write,channels:history,groups:history,users:read,reactions:write',
          token_type: 'bot',
          access_token: grant.token,
          bot_user_id: grant.botUserId,
          team: { id: grant.teamId, name: grant.name },
          enterprise: null,
          is_enterprise_install: false,
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_800_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

/** A user object as users.info and users.list give it (the fields the adapter reads, and a few beside). */
function slackUser(id: string, u: FakeUser, teamId: string): Record<string, unknown> {
  return {
    id,
    team_id: teamId,
    name: u.name.toLowerCase(),
    deleted: false,
    real_name: u.realName ?? u.name,
    is_admin: u.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_bot: u.isBot ?? false,
    profile: { display_name: u.name, real_name: u.realName ?? u.name },
  };
}

/** The position a users.list cursor points at, or undefined for a cursor this fake never gave. */
function cursorOffset(cursor: string): number | undefined {
  const match = /^user:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** The uploaded file: the first file part of a multipart body, else the body itself (Slack takes either). */
async function fileOf(contentType: string, body: Buffer): Promise<{ bytes: Buffer; filename?: string }> {
  if (!contentType.startsWith('multipart/form-data')) return { bytes: body };
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return { bytes: Buffer.from(await value.arrayBuffer()), filename: value.name };
  }
  return { bytes: body };
}

function parseArgs(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
