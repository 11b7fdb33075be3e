/**
 * A WebClient that tells the operator how its calls go: every Web API call by method and outcome (with
 * its duration), each rate-limit wait, and a token Slack stopped accepting (revoked, uninstalled), so
 * /readyz can say so.
 */
import { WebClient, WebClientEvent, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';
import { slackErrorOf } from './errors.js';

export interface SlackCallObserver {
  /** `status` is 'ok', Slack's error string (channel_not_found, ...) or the transport's error code. */
  call(method: string, status: string, seconds: number): void;
  rateLimited(seconds: number): void;
}

/** Slack's answers that mean the token itself no longer works. */
export const DEAD_TOKEN = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']);

export class ObservedClient extends WebClient {
  constructor(
    token: string,
    options: WebClientOptions,
    private readonly observer: SlackCallObserver | undefined,
    private readonly onDeadToken?: (error: string) => void,
  ) {
    super(token, options);
    if (observer) this.on(WebClientEvent.RATE_LIMITED, (seconds: number) => observer.rateLimited(seconds));
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const started = performance.now();
    try {
      const result = await super.apiCall(method, options);
      this.observer?.call(method, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const slack = slackErrorOf(error);
      const status = slack ?? String((error as { code?: unknown } | null)?.code ?? 'error');
      this.observer?.call(method, status, (performance.now() - started) / 1000);
      if (slack && DEAD_TOKEN.has(slack)) this.onDeadToken?.(slack);
      throw error;
    }
  }
}
