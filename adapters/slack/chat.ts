/**
 * The core's ChatPort on the Slack Web API. Each call goes through the workspace's WebClient queue (a
 * 429 waits out Retry-After there, never reaching the core); failures become ChatError.
 */
import type { OutMessage } from '../../src/core/messages.js';
import type { ChatCapabilities, ChatPort, MessageRef, Posted, PostOptions, Reaction, SendOptions, TeamRef, ThreadRef } from '../../src/core/ports.js';
import { ChatError } from '../../src/core/ports.js';
import { toChatError } from './errors.js';
import { decodeMessageRef, decodeThreadRef, messageRef, threadRef, type MessageLocation } from './refs.js';
import { renderMessage } from './render.js';
import type { Workspaces } from './workspaces.js';
import { uploadImages } from './files.js';
import type { Logger } from '../../src/log.js';

const REACTIONS: Record<Reaction, string> = { recorded: 'white_check_mark' };

export class SlackChat implements ChatPort {
  /** DM channel per team and user: conversations.open once, not before every message. */
  private readonly dmChannels = new Map<string, string>();

  constructor(
    private readonly workspaces: Workspaces,
    private readonly log?: Logger,
  ) {}

  async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted> {
    // Slack threads need no opening: a reply names its parent's ts (PostOptions.thread is a no-op here).
    const ts = await this.send(team, channelId, message, undefined, 'post', options);
    return { message: messageRef(team.id, channelId, ts), thread: threadRef(team.id, channelId, ts) };
  }

  async reply(team: TeamRef, thread: ThreadRef, message: OutMessage, options?: SendOptions): Promise<MessageRef> {
    const parent = this.own(team, decodeThreadRef(thread));
    const ts = await this.send(team, parent.channelId, message, parent.ts, 'reply', options);
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

  /**
   * Thread replies reach the bot (message.channels / message.groups events); `/dojo` takes text. Slack
   * allows about one post a second per channel. A command's response can be in_channel (the board).
   */
  capabilities(): ChatCapabilities {
    return { threadReplies: true, commandStyle: 'text', pacing: { perChannel: 1 }, publicAnswers: true };
  }

  /** ✅ on a member's message (needs the reactions:write scope; an app installed without it gets none). */
  async react(team: TeamRef, message: MessageRef, reaction: Reaction): Promise<void> {
    const at = this.own(team, decodeMessageRef(message));
    // A lane of its own: a burst of answers, or a 429 on reactions, never holds up a post (workspaces.ts).
    const client = await this.workspaces.reactionsClientFor(team.id);
    try {
      await client.reactions.add({ channel: at.channelId, timestamp: at.ts, name: REACTIONS[reaction] });
    } catch (error) {
      // A replayed acknowledgement finds its reaction there already: that is the reaction we wanted.
      if ((error as { data?: { error?: string } }).data?.error === 'already_reacted') return;
      throw toChatError(error, 'react');
    }
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

  private async send(team: TeamRef, channel: string, message: OutMessage, threadTs: string | undefined, what: string, options?: SendOptions): Promise<string> {
    const client = await this.workspaces.clientFor(team.id);
    const rendered = renderMessage(message);
    // Slack has no idempotent send: a retry first looks for the message an earlier try may have posted.
    if (options?.key && options.retry) {
      const earlier = await findKeyed(client, channel, threadTs, options.key);
      if (earlier) return earlier;
    }
    try {
      const result = await client.chat.postMessage({
        channel,
        text: rendered.text,
        blocks: asJson(rendered.blocks),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(options?.key ? { metadata: asJson({ event_type: KEY_EVENT, event_payload: { key: options.key } }) } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!result.ts) throw new ChatError('unknown', `${what}: chat.postMessage returned no ts`);
      if (message.files?.length) await this.pictures(client, channel, message.files, threadTs, what);
      return result.ts;
    } catch (error) {
      throw toChatError(error, what);
    }
  }

  /**
   * A message's pictures, shared right after it in the same conversation (and thread). Best effort: the
   * message is out and says it in words, and failing here would post it again on the retry.
   */
  private async pictures(client: Client, channel: string, files: NonNullable<OutMessage['files']>, threadTs: string | undefined, what: string): Promise<void> {
    try {
      await uploadImages(client, channel, files, threadTs ? { threadTs } : {});
    } catch (error) {
      const failure = toChatError(error, `${what} picture`);
      this.log?.warn({ err: failure, code: failure.code }, 'slack picture upload failed');
    }
  }

  private own(team: TeamRef, at: MessageLocation): MessageLocation {
    if (at.teamId !== team.id) throw new ChatError('message_not_found', `a ref of ${at.teamId} was used for ${team.id}`, { permanent: true });
    return at;
  }
}

const KEY_EVENT = 'dojo_delivery';

/**
 * An argument as the JSON text WebClient would send for it (it form-encodes an object argument as JSON):
 * the same bytes on the wire, but WebClient's eager debug line no longer walks and copies every block
 * (its redact) and stringifies it again, about a tenth of the CPU of a post with a card (issue 13).
 */
function asJson<T>(value: T): T {
  return JSON.stringify(value) as T;
}

type Client = Awaited<ReturnType<Workspaces['clientFor']>>;

/**
 * The ts of a recent bot message carrying this delivery key (in its metadata), in the channel or the
 * thread; undefined when there is none or it cannot be looked up (then the caller posts, at worst twice).
 */
async function findKeyed(client: Client, channel: string, threadTs: string | undefined, key: string): Promise<string | undefined> {
  try {
    const found = threadTs
      ? await client.conversations.replies({ channel, ts: threadTs, limit: 200, include_all_metadata: true })
      : await client.conversations.history({ channel, limit: 50, include_all_metadata: true });
    const match = (found.messages ?? []).find((m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key);
    return match?.ts;
  } catch {
    return undefined;
  }
}
