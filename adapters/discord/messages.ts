/**
 * Thread messages as answers (only with the privileged Message Content intent switched on). A message
 * gets no interaction to answer privately, so what the core says back goes in the thread, as a reply
 * to the member's message that pings nobody.
 */
import type { Message, PartialMessage } from 'discord.js';
import type { Logger } from '../../src/log.js';
import type { Dojo, InboundEvent } from '../../src/core/ports.js';
import type { DiscordChat } from './chat.js';
import { threadMessageEvent, userOf, teamOf } from './parse.js';
import type { RecentIds } from './recent.js';
import type { Serial } from './serial.js';
import { messageRef, threadRef } from './refs.js';
import { renderMessage } from './render.js';

export interface MessageContext {
  dojo: Dojo;
  chat: DiscordChat;
  log: Logger;
  seen: RecentIds;
  /** A thread's messages reach the core in the order Discord delivered them. */
  serial: Serial;
  botId: () => string | undefined;
}

type ThreadEvent = Extract<InboundEvent, { thread: string }>;

async function dispatch(ctx: MessageContext, event: ThreadEvent, replyTo?: Message): Promise<void> {
  if (event.deliveryId && !ctx.seen.add(event.deliveryId)) return;
  const outcome = await ctx.serial.run(`thread:${event.thread}`, () => ctx.dojo.handle(event));
  if (!outcome.reply || !replyTo) return;
  await ctx.chat.send(replyTo.channelId, {
    ...renderMessage({ text: outcome.reply.text, blocks: outcome.reply.blocks ?? [] }),
    message_reference: { message_id: replyTo.id, fail_if_not_exists: false },
  });
}

export async function onMessageCreate(ctx: MessageContext, message: Message): Promise<void> {
  const botId = ctx.botId();
  const event = botId ? threadMessageEvent(message, botId, 'message') : undefined;
  if (event) await dispatch(ctx, event, message);
}

export async function onMessageUpdate(ctx: MessageContext, before: Message | PartialMessage, after: Message | PartialMessage): Promise<void> {
  const botId = ctx.botId();
  // An uncached message arrives partial; its answer was long recorded, and the edit is not worth a fetch.
  if (!botId || after.partial || (!before.partial && before.content === after.content)) return;
  const event = threadMessageEvent(after, botId, 'message_edited');
  if (event) await dispatch(ctx, event);
}

export async function onMessageDelete(ctx: MessageContext, message: Message | PartialMessage): Promise<void> {
  const botId = ctx.botId();
  const channel = message.channel;
  if (!botId || !message.guildId || !message.author || message.author.bot || !channel.isThread() || channel.ownerId !== botId) return;
  const event: ThreadEvent = {
    type: 'message_deleted',
    deliveryId: `${message.id}:delete`,
    team: teamOf(message.guildId, message.guild),
    channel: { id: channel.parentId ?? channel.id },
    user: userOf({ member: message.member, user: message.author, guildId: message.guildId, permissions: message.member?.permissions }),
    thread: threadRef(message.guildId, channel.id),
    message: messageRef(message.guildId, channel.id, message.id),
  };
  await dispatch(ctx, event);
}
