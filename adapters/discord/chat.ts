/**
 * The ChatPort on Discord's REST API. It needs only the bot token, not the gateway, so an instance
 * that does not hold the gateway lock still posts what its scheduler tick decides. @discordjs/rest
 * queues requests per route and waits out 429s, so a fan-out to many channels is paced, not failed.
 */
import { Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import type { Logger } from '../../src/log.js';
import type { OutMessage } from '../../src/core/messages.js';
import { ChatError, type ChatPort, type MessageRef, type PostOptions, type Posted, type TeamRef, type ThreadRef } from '../../src/core/ports.js';
import { DiscordCodes, discordCode, toChatError } from './errors.js';
import { clip, renderMessage, type DiscordMessage } from './render.js';
import { decodeMessageRef, decodeThreadRef, messageRef, threadRef } from './refs.js';

const THREAD_NAME = 100;
// A week, the longest Discord allows: rounds stay open up to 7 days, and their thread with them.
const AUTO_ARCHIVE_MINUTES = 10080;

export type SendBody = DiscordMessage & { message_reference?: { message_id: string; fail_if_not_exists: boolean } };

export interface DiscordChat extends ChatPort {
  /** Sends an already rendered message to a channel (interaction replies meant for everyone, thread replies). */
  send(channelId: string, body: SendBody): Promise<APIMessage>;
}

export function createChat(rest: REST, log: Logger): DiscordChat {
  async function send(channelId: string, body: SendBody): Promise<APIMessage> {
    try {
      return (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    } catch (error) {
      throw toChatError(error, `posting in channel ${channelId}`);
    }
  }

  async function openThread(channelId: string, messageId: string, name: string): Promise<void> {
    try {
      await rest.post(Routes.threads(channelId, messageId), {
        body: { name: clip(name.replace(/\s+/g, ' ').trim() || 'Round', THREAD_NAME, '…'), auto_archive_duration: AUTO_ARCHIVE_MINUTES },
      });
    } catch (error) {
      // A retried post may find its thread already made: that is the thread we wanted.
      if (discordCode(error) === DiscordCodes.ThreadAlreadyCreated) return;
      throw toChatError(error, `opening a thread in channel ${channelId}`);
    }
  }

  return {
    send,

    async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted> {
      const posted = await send(channelId, renderMessage(message));
      if (options?.thread) {
        try {
          await openThread(channelId, posted.id, options.thread.name);
        } catch (error) {
          // A card whose round cannot take answers would mislead; take it down and report.
          await rest.delete(Routes.channelMessage(channelId, posted.id)).catch((e: unknown) => log.warn({ err: e, channelId }, 'could not remove a card without a thread'));
          throw error;
        }
      }
      return { message: messageRef(team.id, channelId, posted.id), thread: threadRef(team.id, posted.id) };
    },

    async reply(team: TeamRef, thread: ThreadRef, message: OutMessage): Promise<MessageRef> {
      const { threadId } = decodeThreadRef(thread);
      const body = renderMessage(message);
      let posted: APIMessage;
      try {
        posted = await send(threadId, body);
      } catch (error) {
        // A quiet thread may have been archived; the bot reopens it to post the close.
        if (!(error instanceof ChatError && error.code === 'archived')) throw error;
        try {
          await rest.patch(Routes.channel(threadId), { body: { archived: false } });
        } catch (reopen) {
          throw toChatError(reopen, `reopening thread ${threadId}`);
        }
        posted = await send(threadId, body);
      }
      return messageRef(team.id, threadId, posted.id);
    },

    async update(_team: TeamRef, ref: MessageRef, content: OutMessage): Promise<void> {
      const { channelId, messageId } = decodeMessageRef(ref);
      try {
        await rest.patch(Routes.channelMessage(channelId, messageId), { body: renderMessage(content) });
      } catch (error) {
        throw toChatError(error, `updating message ${messageId}`);
      }
    },

    async dm(team: TeamRef, userId: string, message: OutMessage): Promise<MessageRef> {
      let channel: APIChannel;
      try {
        channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      } catch (error) {
        throw toChatError(error, `opening a DM with ${userId}`);
      }
      const posted = await send(channel.id, renderMessage(message, { dmGuild: team.id }));
      return messageRef(team.id, channel.id, posted.id);
    },
  };
}
