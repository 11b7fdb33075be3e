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
import { classify, isUnavailable } from './payloads.js';

interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export class SocketReceiver implements Receiver {
  private readonly client: SocketModeClient;
  private app?: App;

  constructor(options: { appToken: string; logger: SlackLogger; clientOptions: WebClientOptions }) {
    this.client = new SocketModeClient({ appToken: options.appToken, logger: options.logger, clientOptions: options.clientOptions });
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
      // Not acked when the database is down: Slack delivers the envelope again. An app that is not
      // installed there never will be, and a bug would fail the same way again.
      logger.error('slack: a Socket Mode envelope failed', error);
      if (!isUnavailable(error)) await args.ack().catch(() => {});
    }
  }
}
