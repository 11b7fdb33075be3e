/**
 * Discord REST calls for the operator's metrics: each response by method, route and status, and each
 * rate-limit wait (discord.js queues per bucket and waits; this counts how long).
 */
import { RESTEvents, type REST } from 'discord.js';

export interface DiscordCallObserver {
  /** `method` is "GET /channels/:id/messages"-like (discord.js's bucket route); `status` the HTTP status. */
  call(method: string, status: string): void;
  rateLimited(seconds: number): void;
}

export function observeRest(rest: REST, observer: DiscordCallObserver | undefined): void {
  if (!observer) return;
  rest.on(RESTEvents.Response, (request, response) => observer.call(`${request.method} ${request.route}`, String(response.status)));
  rest.on(RESTEvents.RateLimited, (info) => observer.rateLimited(info.retryAfter / 1000));
}
