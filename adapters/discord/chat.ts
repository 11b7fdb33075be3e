/**
 * The ChatPort on Discord's REST API. It needs only the bot token, not the gateway, so an instance
 * that does not hold the gateway lock still posts what its scheduler tick decides. @discordjs/rest
 * queues requests per route and waits out 429s, so a fan-out to many channels is paced, not failed.
 */
import { Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import type { Logger } from '../../src/log.js';
import type { OutImage, OutMessage } from '../../src/core/messages.js';
import { type ChatCapabilities, ChatError, type ChatPort, type MessageRef, type Posted, type PostOptions, type Reaction, type SendOptions, type TeamRef, type ThreadRef } from '../../src/core/ports.js';
import { DiscordCodes, discordCode, toChatError } from './errors.js';
import { clip, renderMessage, type DiscordMessage } from './render.js';
import { decodeMessageRef, decodeThreadRef, messageRef, threadRef } from './refs.js';

const THREAD_NAME = 100;
// A week, the longest Discord allows: rounds stay open up to 7 days, and their thread with them.
const AUTO_ARCHIVE_MINUTES = 10080;

export type SendBody = DiscordMessage & {
  attachments?: { id: number; filename: string; description: string }[]; message_reference?: { message_id: string; fail_if_not_exists: boolean }; nonce?: string; enforce_nonce?: boolean };

/** A message's pictures as Discord attachments: the files, and their entries (with alt text) in the body. */
export function attachmentsOf(files: OutImage[] | undefined): { attachments?: { id: number; filename: string; description: string }[]; files?: { name: string; data: Buffer; contentType: string }[] } {
  if (!files?.length) return {};
  return {
    attachments: files.map((f, id) => ({ id, filename: f.name, description: clip(f.alt, 1024, '…') })),
    files: files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes), contentType: 'image/png' })),
  };
}

/** Discord's idempotent send: a second message with this nonce within a few minutes returns the first. */
function once(body: SendBody, options?: SendOptions): SendBody {
  return options?.key ? { ...body, nonce: options.key.slice(0, 25), enforce_nonce: true } : body;
}

export interface DiscordChat extends ChatPort {
  /** Sends an already rendered message to a channel (interaction replies meant for everyone, thread replies). */
  send(channelId: string, body: SendBody, files?: OutImage[]): Promise<APIMessage>;
}

const REACTIONS: Record<Reaction, string> = { recorded: '✅' };

export interface ChatOptions {
  /** DISCORD_THREAD_ANSWERS: thread messages reach the bot (the Message Content intent is on). */
  threadAnswers?: boolean;
}

export function createChat(rest: REST, log: Logger, options: ChatOptions = {}): DiscordChat {
  // Without the Message Content intent thread replies never reach the bot: the core offers the Answer form.
  // Discord: 5 messages per 5 seconds in a channel, 50 requests a second for the whole bot.
  const capabilities: ChatCapabilities = { threadReplies: options.threadAnswers === true, commandStyle: 'options', pacing: { perChannel: 1, perBot: 50 }, publicAnswers: true };

  async function send(channelId: string, body: SendBody, pictures?: OutImage[]): Promise<APIMessage> {
    // Pictures go in the same request (multipart): the message and its pictures arrive together or not at all.
    const { attachments, files } = attachmentsOf(pictures);
    try {
      return (await rest.post(Routes.channelMessages(channelId), { body: attachments ? { ...body, attachments } : body, ...(files ? { files } : {}) })) as APIMessage;
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

    capabilities: () => capabilities,

    async react(_team: TeamRef, ref: MessageRef, reaction: Reaction): Promise<void> {
      const { channelId, messageId } = decodeMessageRef(ref);
      try {
        await rest.put(Routes.channelMessageOwnReaction(channelId, messageId, encodeURIComponent(REACTIONS[reaction])));
      } catch (error) {
        throw toChatError(error, `reacting to message ${messageId}`);
      }
    },

    async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted> {
      const posted = await send(channelId, once(renderMessage(message), options), message.files);
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

    async reply(team: TeamRef, thread: ThreadRef, message: OutMessage, options?: SendOptions): Promise<MessageRef> {
      const { threadId } = decodeThreadRef(thread);
      const body = once(renderMessage(message), options);
      let posted: APIMessage;
      try {
        posted = await send(threadId, body, message.files);
      } catch (error) {
        // A quiet thread may have been archived; the bot reopens it to post the close.
        if (!(error instanceof ChatError && error.code === 'archived')) throw error;
        try {
          await rest.patch(Routes.channel(threadId), { body: { archived: false } });
        } catch (reopen) {
          throw toChatError(reopen, `reopening thread ${threadId}`);
        }
        posted = await send(threadId, body, message.files);
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

    async dm(team: TeamRef, userId: string, message: OutMessage, options?: SendOptions): Promise<MessageRef> {
      let channel: APIChannel;
      try {
        channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      } catch (error) {
        throw toChatError(error, `opening a DM with ${userId}`);
      }
      const posted = await send(channel.id, once(renderMessage(message, { dmGuild: team.id }), options), message.files);
      return messageRef(team.id, channel.id, posted.id);
    },
  };
}
