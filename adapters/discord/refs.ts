/**
 * Discord refs, opaque to the core: a message is `discord:<guild>:<channel>:<message>`, a thread is
 * `discord:<guild>:<thread>`. A thread opened on a message has the message's id, so the thread ref of a
 * posted message is known before (and whether or not) the thread exists.
 */
import { ChatError } from '../../src/core/ports.js';

const SNOWFLAKE = /^\d{1,20}$/;

export interface MessageLocation {
  guildId: string;
  channelId: string;
  messageId: string;
}

export interface ThreadLocation {
  guildId: string;
  threadId: string;
}

export function messageRef(guildId: string, channelId: string, messageId: string): string {
  return `discord:${guildId}:${channelId}:${messageId}`;
}

export function threadRef(guildId: string, threadId: string): string {
  return `discord:${guildId}:${threadId}`;
}

export function decodeMessageRef(ref: string): MessageLocation {
  const [platform, guildId, channelId, messageId, ...rest] = ref.split(':');
  if (platform !== 'discord' || rest.length || ![guildId, channelId, messageId].every((s) => s && SNOWFLAKE.test(s))) {
    throw new ChatError('message_not_found', `not a Discord message ref: ${ref}`, { permanent: true });
  }
  return { guildId: guildId!, channelId: channelId!, messageId: messageId! };
}

export function decodeThreadRef(ref: string): ThreadLocation {
  const [platform, guildId, threadId, ...rest] = ref.split(':');
  if (platform !== 'discord' || rest.length || ![guildId, threadId].every((s) => s && SNOWFLAKE.test(s))) {
    throw new ChatError('channel_not_found', `not a Discord thread ref: ${ref}`, { permanent: true });
  }
  return { guildId: guildId!, threadId: threadId! };
}
