/**
 * The playground's ChatPort: prints each bot message, prefixed by where it went. Pictures are saved as
 * files (under the data directory) and their paths printed, with what they show in words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Block, OutImage, OutMessage } from '../../src/core/messages.js';
import { blocksToText } from '../../src/core/messages.js';
import type { ChatCapabilities, ChatPort, MessageRef, PostOptions, Posted, TeamRef, ThreadRef } from '../../src/core/ports.js';

export interface Printed {
  where: string;
  ref: string;
  message: OutMessage;
}

export interface Style {
  where(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const plain: Style = { where: (t) => t, dim: (t) => t, bold: (t) => t };
export const colors: Style = {
  where: (t) => `\x1b[36m${t}\x1b[0m`,
  dim: (t) => `\x1b[2m${t}\x1b[0m`,
  bold: (t) => `\x1b[1m${t}\x1b[0m`,
};

export class PlaygroundChat implements ChatPort {
  readonly printed: Printed[] = [];
  /** The newest thread opened by a post: where `@user > text` replies go. */
  newestThread: string | undefined;
  private seq = 0;
  private pictures = 0;
  private readonly channelNames = new Map<string, string>();

  /** @param imagesDir where pictures are saved; without it they are described, not saved. */
  constructor(
    private readonly write: (line: string) => void,
    private readonly style: Style,
    private readonly imagesDir?: string,
  ) {}

  nameChannel(id: string, name: string): void {
    this.channelNames.set(id, name);
  }

  show(where: string, message: OutMessage | { blocks: Block[]; text: string; files?: OutImage[] }, ref = ''): void {
    // In the playground a user's id is their name, so mentions already read as @name.
    const lines = blocksToText(message.blocks).split('\n');
    this.write(`${this.style.where(where)} ${this.style.bold(lines[0] ?? '')}`);
    for (const line of lines.slice(1)) this.write(`${' '.repeat(where.length)} ${line}`);
    for (const file of message.files ?? []) this.write(`${' '.repeat(where.length)} ${this.style.dim(`[picture: ${this.save(file)}]`)}`);
    this.printed.push({ where, ref, message: { text: message.text, blocks: message.blocks, ...(message.files ? { files: message.files } : {}) } });
  }

  /** Saves a picture (numbered within the run; a new run writes over the last one's) and says where. */
  private save(file: OutImage): string {
    if (!this.imagesDir) return file.alt;
    mkdirSync(this.imagesDir, { recursive: true });
    const path = resolve(join(this.imagesDir, `${String(++this.pictures).padStart(3, '0')}-${file.name.replace(/[^\w.-]/g, '_')}`));
    writeFileSync(path, file.bytes);
    return path;
  }


  /** `@name > text` replies reach the bot; commands are typed as text. */
  capabilities(): ChatCapabilities {
    return { threadReplies: true, commandStyle: 'text' };
  }

  async post(_team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted> {
    const ref = `pg:${++this.seq}`;
    if (options?.thread) this.newestThread = ref;
    this.show(`#${this.channelNames.get(channelId) ?? channelId}`, message, ref);
    return { message: ref, thread: ref };
  }

  async reply(_team: TeamRef, thread: ThreadRef, message: OutMessage): Promise<MessageRef> {
    const ref = `${thread}.${++this.seq}`;
    this.show('thread', message, ref);
    return ref;
  }

  async update(_team: TeamRef, messageRef: MessageRef, content: OutMessage): Promise<void> {
    this.show('edited', content, messageRef);
  }

  async dm(_team: TeamRef, userId: string, message: OutMessage): Promise<void> {
    this.show(`dm @${userId}`, message, `dm:${++this.seq}`);
  }

  /** The id of the newest button with this label (a choice letter, "Review an answer", ...). */
  newestButton(label: string | ((id: string) => boolean)): string | undefined {
    for (let i = this.printed.length - 1; i >= 0; i--) {
      for (const block of this.printed[i]!.message.blocks) {
        if (block.type !== 'buttons') continue;
        const found = block.buttons.find((b) => (typeof label === 'string' ? b.label.toLowerCase() === label.toLowerCase() : label(b.id)));
        if (found) return found.id;
      }
    }
    return undefined;
  }
}
