/**
 * A `message` event, as Bolt's listener (listeners.ts) and the edge's fast path (thread-edge.ts) both
 * take it: one function, so the two ways in cannot drift apart. It resolves once the core has the
 * message (Slack then gets its 200) and throws when the core could not take it (the caller answers
 * 5xx and Slack retries; the core drops a repeat by its event_id).
 */
import type { ListenerContext } from './listeners.js';
import { parseMessageEvent, type EventEnvelope, type MessageEventPayload } from './parse.js';
import { decodeThreadRef } from './refs.js';

/** How long the name of a new answerer is waited for, behind the answer (the Web API client's timeout and a retry). */
const NAME_LOOKUP_MS = 20_000;

/** Slack retries an event 3 times (about 0 s, 1 min and 5 min after the first try); the third is its last. */
export const SLACK_LAST_RETRY = 3;

/** `retryNum`: Slack's X-Slack-Retry-Num (Socket Mode's retry_attempt), absent on a first delivery. */
export async function takeMessage(ctx: ListenerContext, envelope: EventEnvelope, message: MessageEventPayload, botUserId: string | undefined, retryNum?: number): Promise<void> {
  const inbound = parseMessageEvent(envelope, message, botUserId);
  if (!inbound) return;
  // No users.info call holds up a thread message (Slack waits for its answer): a user seen before goes
  // with the cached details; a new one is stored without a name, named once the lookup started here returns.
  const known = ctx.users.cached(inbound);
  const lookup = known ? undefined : ctx.users.lookup(inbound.team.id, inbound.user.id, NAME_LOOKUP_MS);
  const toCore = known ?? { ...inbound, user: { ...inbound.user, name: '' } };
  // Throws when the core could not take it (or too much is in flight): the answer is 5xx and Slack retries.
  // Slack's last try is never shed for being busy (admission.ts): refused, the answer would be lost.
  const outcome = await ctx.admission.run(async () => ctx.dojo().handle(toCore), { lastChance: (retryNum ?? 0) >= SLACK_LAST_RETRY });
  if (lookup) ctx.track(async () => {
    const info = await lookup;
    if (info && !info.isBot) await ctx.dojo().nameMember?.(inbound.team, { id: inbound.user.id, name: info.name });
  });
  if (outcome.reply || outcome.modal) {
    const threadTs = 'thread' in inbound ? decodeThreadRef(inbound.thread).ts : undefined;
    ctx.track(() => ctx.replies.show(outcome, { teamId: inbound.team.id, channelId: inbound.channel.id, userId: inbound.user.id, threadTs }));
  }
}
