/**
 * The core's ChatPort on the Slack Web API. Each call goes through the workspace's WebClient queue (a
 * 429 waits out Retry-After there, never reaching the core); failures become ChatError.
 */
import type { OutMessage } from '../../src/core/messages.js';
import type { ChatPort, MessageRef, Posted, TeamRef, ThreadRef } from '../../src/core/ports.js';
import { ChatError } from '../../src/core/ports.js';
import { toChatError } from './errors.js';
import { decodeMessageRef, decodeThreadRef, messageRef, threadRef, type MessageLocation } from './refs.js';
import { renderMessage } from './render.js';
import type { Workspaces } from './workspaces.js';

export class SlackChat implements ChatPort {
  /** DM channel per team and user: conversations.open once, not before every message. */
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly workspaces: Workspaces) {}

  async post(team: TeamRef, channelId: string, message: OutMessage): Promise<Posted> {
    // Slack threads need no opening: a reply names its parent's ts (PostOptions.thread is a no-op here).
    const ts = await this.send(team, channelId, message, undefined, 'post');
    return { message: messageRef(team.id, channelId, ts), thread: threadRef(team.id, channelId, ts) };
  }

  async reply(team: TeamRef, thread: ThreadRef, message: OutMessage): Promise<MessageRef> {
    const parent = this.own(team, decodeThreadRef(thread));
    const ts = await this.send(team, parent.channelId, message, parent.ts, 'reply');
    return messageRef(team.id, parent.channelId, ts);
  }

  async update(team: TeamRef, message: MessageRef, content: OutMessage): Promise<void> {
    const at = this.own(team, decodeMessageRef(message));
    const client = await this.workspaces.clientFor(team.id);
    const rendered = renderMessage(content);
    try {
      await client.chat.update({ channel: at.channelId, ts: at.ts, text: rendered.text, blocks: rendered.blocks });
    } catch (error) {
      throw toChatError(error, 'update');
    }
  }

  async dm(team: TeamRef, userId: string, message: OutMessage): Promise<MessageRef> {
    const channel = await this.dmChannel(team, userId);
    const ts = await this.send(team, channel, message, undefined, 'dm');
    return messageRef(team.id, channel, ts);
  }

  /** The bot's direct-message channel with a user. */
  async dmChannel(team: TeamRef, userId: string): Promise<string> {
    const key = `${team.id}:${userId}`;
    let channel = this.dmChannels.get(key);
    if (!channel) {
      const client = await this.workspaces.clientFor(team.id);
      try {
        const opened = await client.conversations.open({ users: userId });
        channel = opened.channel?.id;
      } catch (error) {
        throw toChatError(error, 'dm');
      }
      if (!channel) throw new ChatError('user_unavailable', 'dm: conversations.open returned no channel');
      this.dmChannels.set(key, channel);
    }
    return channel;
  }

  private async send(team: TeamRef, channel: string, message: OutMessage, threadTs: string | undefined, what: string): Promise<string> {
    const client = await this.workspaces.clientFor(team.id);
    const rendered = renderMessage(message);
    try {
      const result = await client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: rendered.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!result.ts) throw new ChatError('unknown', `${what}: chat.postMessage returned no ts`);
      return result.ts;
    } catch (error) {
      throw toChatError(error, what);
    }
  }

  private own(team: TeamRef, at: MessageLocation): MessageLocation {
    if (at.teamId !== team.id) throw new ChatError('message_not_found', `a ref of ${at.teamId} was used for ${team.id}`, { permanent: true });
    return at;
  }
}
