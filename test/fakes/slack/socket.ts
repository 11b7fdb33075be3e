/**
 * Slack's Socket Mode side for the real SocketModeClient: apps.connections.open (on the fake Web API)
 * hands out a local WebSocket URL; on connect the server says hello, then sends envelopes (slash
 * commands, interactive payloads, Events API events) and waits for the client's ack of each.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './server.js';

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class FakeSocketMode {
  private socket?: WebSocket;
  private readonly waiting = new Map<string, (ack: Ack) => void>();
  readonly connections: string[] = [];

  private constructor(
    private readonly server: WebSocketServer,
    private readonly fake: FakeSlack,
  ) {}

  /** Serves Socket Mode for `appToken` through `fake`'s apps.connections.open. */
  static async start(fake: FakeSlack, appToken: string): Promise<FakeSocketMode> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const socketMode = new FakeSocketMode(server, fake);
    const { port } = server.address() as AddressInfo;
    fake.on('apps.connections.open', (call) =>
      call.token === appToken ? { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}` } : { ok: false, error: 'invalid_auth' },
    );
    server.on('connection', (ws, req) => {
      socketMode.connections.push(req.url ?? '');
      socketMode.socket = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as Ack;
        socketMode.waiting.get(ack.envelope_id)?.(ack);
        socketMode.waiting.delete(ack.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0DOJO' } }));
    });
    return socketMode;
  }

  /** Sends one envelope and resolves with the client's ack of it, or undefined when none came in time. */
  send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; waitMs?: number } = {},
  ): Promise<Ack | undefined> {
    if (!this.socket) throw new Error('no Socket Mode client is connected');
    const envelopeId = randomUUID();
    const acked = new Promise<Ack | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        resolve(undefined);
      }, options.waitMs ?? 3000);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    this.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryAttempt ? 'timeout' : '' } : {}),
      }),
    );
    // A slash command's answer in its ack is what Slack shows, as it shows what comes through the response_url.
    const url = type === 'slash_commands' && typeof payload.response_url === 'string' ? payload.response_url : undefined;
    return url
      ? acked.then((ack) => {
          if (ack?.payload && Object.keys(ack.payload).length > 0) this.fake.responses.push({ id: url.slice(url.lastIndexOf('/') + 1), body: ack.payload, via: 'ack' });
          return ack;
        })
      : acked;
  }

  /**
   * Closes the client's connection from Slack's side (what a server going away does) and resolves once
   * the client has answered the close, so it knows the connection is gone; it then connects again.
   */
  drop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1001, 'going away');
    });
  }

  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
