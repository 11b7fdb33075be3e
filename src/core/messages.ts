/**
 * Platform-neutral messages. Every string here is plain text: the core never writes Slack mrkdwn or
 * Discord Markdown, and adapters escape all of it, so text a member typed can never ping @channel,
 * @here or @everyone or break formatting. Only the `mention` block pings, and only the users it names.
 */

export interface Button {
  /** An action id the core understands (e.g. `choice:12:2`); adapters pass it back unchanged. */
  id: string;
  label: string;
  style?: 'primary' | 'danger';
}

export type Block =
  /** A title line. */
  | { type: 'header'; text: string }
  /** A paragraph. */
  | { type: 'text'; text: string }
  /** Label/value pairs (difficulty, topic, closes at). */
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'list'; items: string[]; ordered?: boolean }
  /** Standings, leaderboards: adapters render a monospace table or equivalent. */
  | { type: 'table'; columns: string[]; rows: string[][] }
  /** Someone's words (an answer), shown as a quote with its author. */
  | { type: 'quote'; text: string; author?: string }
  /** Small print. */
  | { type: 'context'; text: string }
  /** A multi-line code snippet, shown monospace and verbatim; `language` is a hint for highlighting. */
  | { type: 'code'; text: string; language?: string }
  | { type: 'buttons'; buttons: Button[] }
  /** Pings these platform users, followed by the text: the one way the core notifies people in a channel. */
  | { type: 'mention'; userIds: string[]; text: string };

/** A picture (a PNG chart) sent with a message; `alt` says what it shows, for screen readers. */
export interface OutImage {
  /** A file name ending in .png. */
  name: string;
  bytes: Uint8Array;
  alt: string;
}

export interface OutMessage {
  /** Plain-text fallback: notifications, screen readers, the terminal. */
  text: string;
  blocks: Block[];
  /**
   * Pictures that go with the message (Slack: files.uploadV2 into the same conversation, Discord:
   * attachments, the playground: files it saves and names). The text and blocks say the same in words.
   */
  files?: OutImage[];
}

export type ModalField =
  | {
      type: 'text';
      id: string;
      label: string;
      multiline?: boolean;
      required?: boolean;
      initial?: string;
      placeholder?: string;
      maxLength?: number;
    }
  | {
      type: 'select';
      id: string;
      label: string;
      options: { value: string; label: string }[];
      required?: boolean;
      initial?: string;
    }
  | { type: 'checkbox'; id: string; label: string };

export interface Modal {
  /** A modal id the core understands (e.g. `review:41`); comes back in `modal_submit`. */
  id: string;
  /** At most 24 characters (Slack's limit). */
  title: string;
  submit: string;
  /** Read-only context shown above the fields (the question, the answer under review). */
  intro?: Block[];
  fields: ModalField[];
}

/** A message of plain paragraphs. */
export function textMessage(...paragraphs: string[]): OutMessage {
  return { text: paragraphs.join('\n'), blocks: paragraphs.map((text) => ({ type: 'text', text })) };
}

/** The plain-text rendering of blocks: the fallback text and the terminal's view. */
export function blocksToText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
      case 'text':
      case 'context':
        lines.push(block.text);
        break;
      case 'fields':
        lines.push(block.fields.map((f) => `${f.label}: ${f.value}`).join(' · '));
        break;
      case 'list':
        block.items.forEach((item, i) => lines.push(`${block.ordered ? `${i + 1}.` : '•'} ${item}`));
        break;
      case 'table': {
        const widths = block.columns.map((c, i) => Math.max(c.length, ...block.rows.map((r) => (r[i] ?? '').length)));
        const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
        lines.push(row(block.columns), ...block.rows.map(row));
        break;
      }
      case 'code':
        lines.push(...block.text.split('\n').map((line) => `    ${line}`.trimEnd()));
        break;
      case 'quote':
        lines.push(`> ${block.text.split('\n').join('\n> ')}${block.author ? `\n  (${block.author})` : ''}`);
        break;
      case 'buttons':
        lines.push(block.buttons.map((b) => `[${b.label}]`).join(' '));
        break;
      case 'mention':
        lines.push(`${block.userIds.map((id) => `@${id}`).join(' ')} ${block.text}`);
        break;
      default: {
        const never: never = block;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  }
  return lines.join('\n');
}

/** Builds a message from blocks, with the plain-text fallback derived from them. */
export function message(blocks: Block[]): OutMessage {
  return { text: blocksToText(blocks), blocks };
}
