/**
 * Socket Mode (SLACK_APP_TOKEN) as a thin Bolt Receiver over @slack/socket-mode's client. Bolt's own
 * SocketModeReceiver acks an event the moment it arrives, so one the core failed to store would be
 * lost; here an Events API envelope is acked only after its listeners finished (an unacked envelope is
 * sent again by Slack, and the core drops the repeat by event_id), as `processBeforeResponse` does over
 * HTTP. Commands, clicks and submissions are acked as soon as their listener calls ack().
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import { SocketModeClient } from '@slack/socket-mode';
import type { WebClientOptions } from '@slack/web-api';
import { classify, isBusy, isUnavailable } from './payloads.js';

interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * SocketModeClient reads `payload.event.type` of an events_api envelope before anything can check it:
 * an envelope without an event throws there, unhandled. Such an envelope is acked and dropped here, and
 * anything else the client throws while reading a message is logged instead of ending the process.
 */
class GuardedClient extends SocketModeClient {
  constructor(
    options: ConstructorParameters<typeof SocketModeClient>[0],
    private readonly log: SlackLogger,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    try {
      const envelope = isBinary ? undefined : parseEnvelope(typeof data === 'string' ? data : new TextDecoder().decode(data));
      if (envelope?.type === 'events_api' && typeof envelope.envelope_id === 'string' && !isObject((envelope.payload as { event?: unknown } | null)?.event)) {
        this.log.warn('slack: dropped a Socket Mode event envelope without an event');
        // The client's own ack (private in its types, hence `as unknown as`): without it Slack sends the envelope again.
        await (this as unknown as { send(id: string): Promise<void> }).send(envelope.envelope_id);
        return;
      }
      await super.onWebSocketMessage(data, isBinary);
    } catch (error) {
      this.log.error('slack: a Socket Mode message could not be read', error);
    }
  }
}

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseEnvelope(text: string): { type?: unknown; envelope_id?: unknown; payload?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? (value as { type?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

export class SocketReceiver implements Receiver {
  private readonly client: SocketModeClient;
  private app?: App;

  constructor(options: { appToken: string; logger: SlackLogger; clientOptions: WebClientOptions }) {
    this.client = new GuardedClient({ appToken: options.appToken, logger: options.logger, clientOptions: options.clientOptions }, options.logger);
    this.client.on('slack_event', (args: SlackEventArgs) => void this.dispatch(args, options.logger));
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<unknown> {
    return this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  private async dispatch(args: SlackEventArgs, logger: SlackLogger): Promise<void> {
    // The same shape checks as over HTTP: a malformed envelope is acked (so it is not sent again) and dropped.
    const verdict = classify(args.body);
    if (verdict.to === 'answer') {
      if (verdict.status !== 200) logger.warn(`slack: dropped a Socket Mode envelope: ${verdict.reason}`);
      await args.ack().catch(() => {});
      return;
    }
    const deferred = args.type === 'events_api';
    let acked = false;
    let response: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      retryNum: args.retry_num,
      retryReason: args.retry_reason,
      ack: async (body?: Record<string, unknown>) => {
        if (acked) return;
        acked = true;
        if (deferred) response = body;
        else await args.ack(body);
      },
    };
    try {
      await this.app?.processEvent(event);
      if (deferred) await args.ack(response);
    } catch (error) {
      // Not acked when the database is down or the bot is too busy to take it now (admission.ts): Slack
      // delivers the envelope again, as over HTTP after a 500 or 503. An app that is not installed there
      // never will be, and a bug would fail the same way again: those are acked.
      if (isBusy(error)) {
        logger.warn('slack: too busy to take a Socket Mode envelope now; left unacknowledged, so Slack sends it again unless that was its last try');
        return;
      }
      logger.error('slack: a Socket Mode envelope failed', error);
      if (!isUnavailable(error)) await args.ack().catch(() => {});
    }
  }
}
