/**
 * The in-memory chat adapter: the core's test double (a fake, not a mock). It keeps every message the
 * core sent, hands out refs like a real platform, and can be told to fail the next calls.
 */
import type { Block, OutMessage } from '../../src/core/messages.js';
import { blocksToText } from '../../src/core/messages.js';
import type { ChatCapabilities, ChatPort, MessageRef, Posted, PostOptions, Reaction, SendOptions, TeamRef, ThreadRef } from '../../src/core/ports.js';
import { ChatError, type ChatErrorCode } from '../../src/core/ports.js';

export interface Sent {
  kind: 'post' | 'reply' | 'update' | 'dm';
  team: string;
  /** Channel id (post), thread ref (reply), message ref (update) or user id (dm). */
  to: string;
  ref: string;
  message: OutMessage;
  text: string;
  /** The idempotency key it was sent with. */
  key?: string;
  /** A post that opened a thread (a question card, a quiz): the thread's name. */
  thread?: string;
}

export class MemoryChat implements ChatPort {
  readonly sent: Sent[] = [];
  /** Reactions put on members' messages, in order. */
  readonly reactions: { team: string; message: string; reaction: Reaction }[] = [];
  /** What this fake platform delivers; tests change it (thread replies off is Discord's default). */
  caps: ChatCapabilities;

  private seq = 0;
  private failures: { code: ChatErrorCode; times: number; when?: (kind: Sent['kind']) => boolean }[] = [];

  /**
   * @param options.idempotent honour idempotency keys as Discord honours a nonce (a second send with a
   *   known key returns the first message); off, it behaves like Slack, which has no such thing and
   *   finds an earlier message only when told that a send is a retry.
   * @param options.caps what this fake platform delivers (thread replies off is Discord's default).
   */
  constructor(private readonly options: { idempotent?: boolean; caps?: Partial<ChatCapabilities> } = {}) {
    this.caps = { threadReplies: true, commandStyle: 'text', ...options.caps };
  }

  /** Makes the next `times` calls fail with this code (optionally only calls of some kinds). */
  failNext(code: ChatErrorCode, times = 1, kinds?: Sent['kind'][]): void {
    this.failures.push({ code, times, when: kinds ? (k) => kinds.includes(k) : undefined });
  }

  private maybeFail(kind: Sent['kind']): void {
    const f = this.failures.find((x) => x.times > 0 && (!x.when || x.when(kind)));
    if (!f) return;
    f.times--;
    throw new ChatError(f.code, `memory chat: ${f.code}`);
  }

  private record(kind: Sent['kind'], team: TeamRef, to: string, message: OutMessage, ref: string, key?: string, thread?: string): void {
    this.sent.push({ kind, team: team.id, to, ref, message, text: blocksToText(message.blocks), ...(key ? { key } : {}), ...(thread ? { thread } : {}) });
  }

  /**
   * The message already sent with this key: always when keys are honoured (Discord's nonce), else only
   * on a retry, as the Slack adapter finds it in the channel's history by the key in its metadata.
   */
  private known(kind: Sent['kind'], to: string, options?: SendOptions): Sent | undefined {
    if (!options?.key || !(this.options.idempotent || options.retry)) return undefined;
    return this.sent.find((s) => s.key === options.key && s.kind === kind && s.to === to);
  }

  async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted> {
    this.maybeFail('post');
    const earlier = this.known('post', channelId, options);
    if (earlier) return { message: earlier.ref, thread: earlier.ref };
    const ref = `mem:${channelId}:${++this.seq}`;
    this.record('post', team, channelId, message, ref, options?.key, options?.thread?.name);
    return { message: ref, thread: ref };
  }

  async reply(team: TeamRef, thread: ThreadRef, message: OutMessage, options?: SendOptions): Promise<MessageRef> {
    this.maybeFail('reply');
    const earlier = this.known('reply', thread, options);
    if (earlier) return earlier.ref;
    const ref = `${thread}/${++this.seq}`;
    this.record('reply', team, thread, message, ref, options?.key);
    return ref;
  }

  async update(team: TeamRef, messageRef: MessageRef, content: OutMessage): Promise<void> {
    this.maybeFail('update');
    this.record('update', team, messageRef, content, messageRef);
  }

  async dm(team: TeamRef, userId: string, message: OutMessage, options?: SendOptions): Promise<MessageRef> {
    this.maybeFail('dm');
    const earlier = this.known('dm', userId, options);
    if (earlier) return earlier.ref;
    const ref = `dm:${userId}:${++this.seq}`;
    this.record('dm', team, userId, message, ref, options?.key);
    return ref;
  }

  capabilities(_team: TeamRef): ChatCapabilities {
    return this.caps;
  }

  async react(team: TeamRef, message: MessageRef, reaction: Reaction): Promise<void> {
    this.reactions.push({ team: team.id, message, reaction });
  }

  /** Messages sent since the mark, for assertions. */
  since(mark: number): Sent[] {
    return this.sent.slice(mark);
  }

  /** The buttons of a message, by label. */
  static buttons(message: OutMessage): Map<string, string> {
    const map = new Map<string, string>();
    for (const b of message.blocks as Block[]) if (b.type === 'buttons') for (const x of b.buttons) map.set(x.label, x.id);
    return map;
  }
}
