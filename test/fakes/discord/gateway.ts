/**
 * A fake Discord gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, dispatches with
 * sequence numbers, and RESUME (replaying what was missed) after a dropped connection. With several
 * shards each IDENTIFY names its shard, gets its own session and only its guilds' events, and the
 * fake records how many connections ran one shard at the same time (Discord's rule: one).
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** What READY and the GUILD_CREATEs carry for one shard. */
  ready: (shard: number) => { user: unknown; application: { id: string; flags: number }; guilds: unknown[] };
  /** The shard a guild's events go to ((guild_id >> 22) % shards), and the count. */
  shardOf: (guildId: string) => number;
  shards: number;
  /** The shard of the fake's own guild: `session`, `dispatch` without a guild and `drop` default to it. */
  home: () => number;
}

interface Session {
  id: string;
  shard: number;
  seq: number;
  /** Every dispatch of the session, to replay after a resume. */
  log: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
  intents: number;
}

export class FakeGateway extends EventEmitter {
  readonly wss: WebSocketServer;
  /** The live session of each shard. */
  readonly sessions = new Map<number, Session>();
  /** Identifies per shard, and the most connections that ran one shard at once. */
  readonly identifiesByShard = new Map<number, number>();
  readonly mostAtOnce = new Map<number, number>();
  private readonly open = new Map<number, Set<WebSocket>>();
  identifies = 0;
  resumes = 0;
  heartbeats = 0;
  /** Closes every IDENTIFY with this code (4004: bad token, 4014: disallowed intents), as Discord does. */
  refuseIdentify?: number;
  private sessionCount = 0;

  constructor(
    server: Server,
    private readonly options: GatewayOptions,
    readonly url: () => string,
  ) {
    super();
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /** The session of the fake guild's shard. */
  get session(): Session | undefined {
    return this.sessions.get(this.options.home());
  }

  /** The shards with a connected session now. */
  get connectedShards(): number[] {
    return [...this.sessions.values()].filter((x) => x.socket?.readyState === 1).map((x) => x.shard).sort((a, b) => a - b);
  }

  private attach(shard: number, socket: WebSocket) {
    let set = this.open.get(shard);
    if (!set) this.open.set(shard, (set = new Set()));
    set.add(socket);
    this.mostAtOnce.set(shard, Math.max(this.mostAtOnce.get(shard) ?? 0, [...set].filter((x) => x.readyState === 1).length));
    socket.once('close', () => set.delete(socket));
  }

  get intents(): number {
    return this.session?.intents ?? 0;
  }

  get connected(): boolean {
    return this.session?.socket?.readyState === 1;
  }

  private send(socket: WebSocket, payload: unknown) {
    if (socket.readyState === 1) socket.send(JSON.stringify(payload));
  }

  private onConnection(socket: WebSocket) {
    this.send(socket, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | number | null };
      this.onPayload(socket, payload);
    });
  }

  private onPayload(socket: WebSocket, payload: { op: number; d: Record<string, unknown> | number | null }) {
    switch (payload.op) {
      case 1:
        this.heartbeats++;
        this.send(socket, { op: 11, d: null, s: null, t: null });
        break;
      case 2: {
        this.identifies++;
        if (this.refuseIdentify) {
          socket.close(this.refuseIdentify, this.refuseIdentify === 4004 ? 'Authentication failed.' : 'Disallowed intent(s).');
          break;
        }
        const d = payload.d as { intents: number; shard?: [number, number] };
        const shard = d.shard?.[0] ?? 0;
        if ((d.shard?.[1] ?? 1) !== this.options.shards || shard >= this.options.shards) {
          socket.close(4010, 'Invalid shard');
          break;
        }
        this.identifiesByShard.set(shard, (this.identifiesByShard.get(shard) ?? 0) + 1);
        const session: Session = { id: `session-${++this.sessionCount}`, shard, seq: 0, log: [], socket, intents: d.intents };
        this.sessions.set(shard, session);
        this.attach(shard, socket);
        const ready = this.options.ready(shard);
        this.toSession(session, 'READY', {
          v: 10,
          user: ready.user,
          guilds: ready.guilds.map((g) => ({ id: (g as { id: string }).id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: this.url(),
          shard: [shard, this.options.shards],
          application: ready.application,
          private_channels: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
          presences: [],
        });
        for (const guild of ready.guilds) this.toSession(session, 'GUILD_CREATE', guild);
        this.emit('identified');
        break;
      }
      case 6: {
        const d = payload.d as { session_id: string; seq: number };
        const session = [...this.sessions.values()].find((x) => x.id === d.session_id);
        if (!session) {
          this.send(socket, { op: 9, d: false, s: null, t: null });
          break;
        }
        this.resumes++;
        session.socket = socket;
        this.attach(session.shard, socket);
        // Replay what the client missed, then RESUMED, as Discord does.
        for (const entry of session.log.filter((e) => e.s > d.seq)) this.send(socket, { op: 0, ...entry });
        session.seq++;
        this.send(socket, { op: 0, s: session.seq, t: 'RESUMED', d: {} });
        this.emit('resumed');
        break;
      }
      default:
        break;
    }
  }

  /**
   * Sends an event to the session of its guild's shard (the fake guild's without a guild_id); while
   * the connection is down it is kept and replayed on resume.
   */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    const shard = typeof guildId === 'string' ? this.options.shardOf(guildId) : this.options.home();
    const session = this.sessions.get(shard);
    if (!session) throw new Error(`no gateway session (shard ${shard}) to dispatch ${t} to`);
    this.toSession(session, t, d);
  }

  private toSession(session: Session, t: string, d: unknown): void {
    session.seq++;
    const entry = { s: session.seq, t, d };
    session.log.push(entry);
    if (session.socket) this.send(session.socket, { op: 0, ...entry });
  }

  /** Closes the connection the way a network drop or a Discord restart does (4000: resumable). */
  drop(code = 4000, shard = this.options.home()): void {
    const session = this.sessions.get(shard);
    const socket = session?.socket;
    if (session) session.socket = undefined;
    socket?.close(code, 'dropped by the fake');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
