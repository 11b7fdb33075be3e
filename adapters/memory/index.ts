/**
 * The in-memory chat adapter: the core's test double (a fake, not a mock). It keeps every message the
 * core sent, hands out refs like a real platform, and can be told to fail the next calls.
 */
import type { Block, OutMessage } from '../../src/core/messages.js';
import { blocksToText } from '../../src/core/messages.js';
import type { ChatPort, MessageRef, PostOptions, Posted, TeamRef, ThreadRef } from '../../src/core/ports.js';
import { ChatError, type ChatErrorCode } from '../../src/core/ports.js';

export interface Sent {
  kind: 'post' | 'reply' | 'update' | 'dm';
  team: string;
  /** Channel id (post), thread ref (reply), message ref (update) or user id (dm). */
  to: string;
  ref: string;
  message: OutMessage;
  text: string;
}

export class MemoryChat implements ChatPort {
  readonly sent: Sent[] = [];
  private seq = 0;
  private failures: { code: ChatErrorCode; times: number; when?: (kind: Sent['kind']) => boolean }[] = [];

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

  private record(kind: Sent['kind'], team: TeamRef, to: string, message: OutMessage, ref: string): void {
    this.sent.push({ kind, team: team.id, to, ref, message, text: blocksToText(message.blocks) });
  }

  async post(team: TeamRef, channelId: string, message: OutMessage, _options?: PostOptions): Promise<Posted> {
    this.maybeFail('post');
    const ref = `mem:${channelId}:${++this.seq}`;
    this.record('post', team, channelId, message, ref);
    return { message: ref, thread: ref };
  }

  async reply(team: TeamRef, thread: ThreadRef, message: OutMessage): Promise<MessageRef> {
    this.maybeFail('reply');
    const ref = `${thread}/${++this.seq}`;
    this.record('reply', team, thread, message, ref);
    return ref;
  }

  async update(team: TeamRef, messageRef: MessageRef, content: OutMessage): Promise<void> {
    this.maybeFail('update');
    this.record('update', team, messageRef, content, messageRef);
  }

  async dm(team: TeamRef, userId: string, message: OutMessage): Promise<MessageRef> {
    this.maybeFail('dm');
    const ref = `dm:${userId}:${++this.seq}`;
    this.record('dm', team, userId, message, ref);
    return ref;
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
