/**
 * Slack refs, opaque to the core: a message is `slack:<team>:<channel>:<ts>`. Slack threads exist
 * implicitly under any message and are named by the parent's ts, so a thread ref is the parent's message
 * ref, the same string for what `post` returned and for every reply that comes back in that thread.
 */
import { ChatError } from '../../src/core/ports.js';

export interface MessageLocation {
  teamId: string;
  channelId: string;
  ts: string;
}

const ID = /^[A-Z0-9]{2,32}$/;
const TS = /^\d{1,12}\.\d{1,9}$/;

export function messageRef(teamId: string, channelId: string, ts: string): string {
  return `slack:${teamId}:${channelId}:${ts}`;
}

/** The thread under a message is named by that message's ts: the same string as its message ref. */
export const threadRef = messageRef;

function decode(ref: string): MessageLocation | undefined {
  const [platform, teamId, channelId, ts, ...rest] = ref.split(':');
  if (platform !== 'slack' || rest.length || !teamId || !channelId || !ts) return undefined;
  if (!ID.test(teamId) || !ID.test(channelId) || !TS.test(ts)) return undefined;
  return { teamId, channelId, ts };
}

export function decodeMessageRef(ref: string): MessageLocation {
  const location = decode(ref);
  if (!location) throw new ChatError('message_not_found', `not a Slack message ref: ${ref}`, { permanent: true });
  return location;
}

export function decodeThreadRef(ref: string): MessageLocation {
  const location = decode(ref);
  if (!location) throw new ChatError('channel_not_found', `not a Slack thread ref: ${ref}`, { permanent: true });
  return location;
}
