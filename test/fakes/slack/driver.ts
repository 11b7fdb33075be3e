/**
 * Plays Slack's side of the HTTP contract against the adapter: signed slash commands, Events API
 * deliveries (with retries), button clicks and modal submissions, as Slack sends them. The adapter is
 * mounted on a local HTTP server the way the bot's own server mounts it (`handleHttp`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeSlack } from './server.js';

export const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export interface Mountable {
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
}

export interface Sent {
  status: number;
  text: string;
}

export interface Who {
  team?: string;
  user?: string;
  userName?: string;
  channel?: string;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export class SlackDriver {
  private counter = 0;

  private constructor(
    private readonly server: Server | undefined,
    readonly url: string,
    readonly fake: FakeSlack,
    readonly secret: string,
  ) {}

  static async start(adapter: Mountable, fake: FakeSlack, secret = SIGNING_SECRET): Promise<SlackDriver> {
    const server = createServer((req, res) => {
      if (!adapter.handleHttp(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new SlackDriver(server, `http://127.0.0.1:${port}`, fake, secret);
  }

  /** Drives a bot that is already listening at `url` (the whole server, as `dojo start` runs it). */
  static attach(url: string, fake: FakeSlack, secret = SIGNING_SECRET): SlackDriver {
    return new SlackDriver(undefined, url, fake, secret);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** POSTs a body to /slack/events, signed like Slack signs it unless told otherwise. */
  async post(
    body: string,
    contentType: string,
    options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
  ): Promise<Sent> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${this.url}/slack/events`, {
      method: 'POST',
      headers: {
        // Bolt compares the content type exactly: no charset suffix, as Slack sends it.
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': options.signature ?? sign(this.secret, timestamp, body),
        ...options.headers,
      },
      body,
    });
    const sent = { status: res.status, text: await res.text() };
    // A slash command's answer in its ack is what Slack shows, as it shows what comes through the
    // response_url: recorded beside those, under the response_url's id.
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : undefined;
    const responseUrl = form?.get('command') ? form.get('response_url') : undefined;
    if (responseUrl && sent.status === 200 && sent.text.startsWith('{')) {
      this.fake.responses.push({ id: responseUrl.slice(responseUrl.lastIndexOf('/') + 1), body: JSON.parse(sent.text) as Record<string, unknown>, via: 'ack' });
    }
    return sent;
  }

  /** `/dojo <text>`; the reply (in the ack, or through the response_url) arrives at `fake.responses` under the returned responseId. */
  async command(text: string, who: Who = {}, command = '/dojo'): Promise<Sent & { responseId: string; triggerId: string }> {
    const responseId = `r${++this.counter}`;
    const triggerId = `trig.${this.counter}.${randomBytes(4).toString('hex')}`;
    const form = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: who.team ?? 'T0001',
      team_domain: 'acme',
      channel_id: who.channel ?? 'C0001',
      channel_name: 'dojo',
      user_id: who.user ?? 'UALICE',
      user_name: who.userName ?? 'alice',
      command,
      text,
      api_app_id: 'A0DOJO',
      is_enterprise_install: 'false',
      response_url: this.fake.responseUrl(responseId),
      trigger_id: triggerId,
    });
    const sent = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    return { ...sent, responseId, triggerId };
  }

  /** An Events API delivery; the same eventId with retryNum is Slack delivering it again. */
  async event(event: Record<string, unknown>, options: { team?: string; eventId?: string; retryNum?: number } = {}): Promise<Sent & { eventId: string }> {
    const eventId = options.eventId ?? `Ev${String(++this.counter).padStart(8, '0')}`;
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: options.team ?? 'T0001',
      api_app_id: 'A0DOJO',
      event: { event_ts: event.ts ?? '1.0', ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: options.team ?? 'T0001', user_id: 'UBOT1', is_bot: true }],
    });
    const headers: Record<string, string> = options.retryNum ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    const sent = await this.post(body, 'application/json', { headers });
    return { ...sent, eventId };
  }

  /** A member's reply in a thread. */
  threadReply(who: Who & { threadTs: string; ts?: string; text: string }, options: { eventId?: string; retryNum?: number } = {}) {
    const ts = who.ts ?? this.nextTs();
    return this.event(
      { type: 'message', channel: who.channel ?? 'C0001', user: who.user ?? 'UALICE', text: who.text, ts, thread_ts: who.threadTs, channel_type: 'channel' },
      { team: who.team, ...options },
    ).then((sent) => ({ ...sent, ts }));
  }

  /** A click on a button of a message (or of a view, with `view`). */
  async click(
    actionId: string,
    who: Who & { messageTs?: string; threadTs?: string; ephemeral?: boolean; view?: { callback_id?: string; private_metadata: string } } = {},
  ): Promise<Sent & { responseId: string; triggerId: string }> {
    const responseId = `r${++this.counter}`;
    const triggerId = `trig.${this.counter}.${randomBytes(4).toString('hex')}`;
    const team = who.team ?? 'T0001';
    const channel = who.channel ?? 'C0001';
    const inMessage = !who.view;
    const payload = {
      type: 'block_actions',
      team: { id: team, domain: 'acme' },
      user: { id: who.user ?? 'UALICE', username: who.userName ?? 'alice', name: who.userName ?? 'alice', team_id: team },
      api_app_id: 'A0DOJO',
      token: 'legacy-verification-token',
      trigger_id: triggerId,
      ...(inMessage
        ? {
            container: { type: 'message', message_ts: who.messageTs ?? '1.000001', channel_id: channel, is_ephemeral: who.ephemeral ?? false, ...(who.threadTs ? { thread_ts: who.threadTs } : {}) },
            channel: { id: channel, name: 'dojo' },
            message: { type: 'message', ts: who.messageTs ?? '1.000001', ...(who.threadTs ? { thread_ts: who.threadTs } : {}) },
            response_url: this.fake.responseUrl(responseId),
          }
        : { container: { type: 'view', view_id: 'V1' }, view: { id: 'V1', type: 'modal', ...who.view } }),
      actions: [{ action_id: actionId, block_id: 'actions:0', type: 'button', value: actionId, action_ts: '1.0' }],
    };
    const sent = await this.interactive(payload);
    return { ...sent, responseId, triggerId };
  }

  /** Submits a modal the adapter opened (as recorded by the fake's views.open) with these values. */
  async submit(view: { callback_id: string; private_metadata?: string; blocks?: unknown[] }, values: Record<string, string | boolean>, who: Who = {}): Promise<Sent> {
    const team = who.team ?? 'T0001';
    const state: Record<string, Record<string, unknown>> = {};
    const kinds = new Map<string, string>();
    for (const block of (view.blocks ?? []) as { type?: string; block_id?: string; element?: { type?: string; action_id?: string } }[]) {
      if (block.type === 'input' && block.element?.action_id) kinds.set(block.element.action_id, block.element.type ?? 'plain_text_input');
    }
    for (const [id, value] of Object.entries(values)) {
      const kind = kinds.get(id) ?? 'plain_text_input';
      state[id] = {
        [id]:
          kind === 'static_select'
            ? { type: kind, selected_option: { value: String(value), text: { type: 'plain_text', text: String(value) } } }
            : kind === 'checkboxes'
              ? { type: kind, selected_options: value ? [{ value: 'true' }] : [] }
              : { type: kind, value: String(value) },
      };
    }
    return this.interactive({
      type: 'view_submission',
      team: { id: team, domain: 'acme' },
      user: { id: who.user ?? 'UALICE', username: who.userName ?? 'alice', name: who.userName ?? 'alice', team_id: team },
      api_app_id: 'A0DOJO',
      token: 'legacy-verification-token',
      trigger_id: `trig.${++this.counter}.submit`,
      view: { id: 'V1', type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata ?? '', state: { values: state }, hash: 'h' },
      response_urls: [],
    });
  }

  interactive(payload: unknown): Promise<Sent> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }

  nextTs(): string {
    return `${1_900_000_000 + ++this.counter}.${String(this.counter).padStart(6, '0')}`;
  }
}
