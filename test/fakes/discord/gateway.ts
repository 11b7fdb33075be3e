/**
 * A fake Discord gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, dispatches with
 * sequence numbers, and RESUME (replaying what was missed) after a dropped connection.
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  ready: () => { user: unknown; application: { id: string; flags: number }; guilds: unknown[] };
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch of the session, to replay after a resume. */
  log: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
  intents: number;
}

export class FakeGateway extends EventEmitter {
  readonly wss: WebSocketServer;
  session?: Session;
  identifies = 0;
  resumes = 0;
  heartbeats = 0;
  /** Closes every IDENTIFY with this code (4004: bad token, 4014: disallowed intents), as Discord does. */
  refuseIdentify?: number;
  private sessions = 0;

  constructor(
    server: Server,
    private readonly options: GatewayOptions,
    readonly url: () => string,
  ) {
    super();
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
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
        const d = payload.d as { intents: number };
        const session: Session = { id: `session-${++this.sessions}`, seq: 0, log: [], socket, intents: d.intents };
        this.session = session;
        const ready = this.options.ready();
        this.dispatch('READY', {
          v: 10,
          user: ready.user,
          guilds: ready.guilds.map((g) => ({ id: (g as { id: string }).id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: this.url(),
          shard: [0, 1],
          application: ready.application,
          private_channels: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
          presences: [],
        });
        for (const guild of ready.guilds) this.dispatch('GUILD_CREATE', guild);
        this.emit('identified');
        break;
      }
      case 6: {
        const d = payload.d as { session_id: string; seq: number };
        const session = this.session;
        if (!session || session.id !== d.session_id) {
          this.send(socket, { op: 9, d: false, s: null, t: null });
          break;
        }
        this.resumes++;
        session.socket = socket;
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

  /** Sends an event; while the connection is down it is kept and replayed on resume. */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) throw new Error(`no gateway session to dispatch ${t} to`);
    session.seq++;
    const entry = { s: session.seq, t, d };
    session.log.push(entry);
    if (session.socket) this.send(session.socket, { op: 0, ...entry });
  }

  /** Closes the connection the way a network drop or a Discord restart does (4000: resumable). */
  drop(code = 4000): void {
    const socket = this.session?.socket;
    if (this.session) this.session.socket = undefined;
    socket?.close(code, 'dropped by the fake');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
