/**
 * Platform-neutral messages -> Discord payloads (modals: modal.ts). Every string from the core is plain text
 * and is escaped here; only `mention` blocks ping, and only the users they name (allowed_mentions on
 * every message). Text is kept within Discord's limits by truncating with a note, since a ChatPort call
 * returns one message ref.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from 'discord.js';
import type { Block, Button, OutMessage } from '../../src/core/messages.js';
import { tagWithGuild } from './dm.js';

export const LIMITS = {
  content: 2000,
  description: 4096,
  title: 256,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  rows: 5,
  modalTitle: 45,
  modalLabel: 45,
  labelDescription: 100,
  modalComponents: 5,
  textDisplay: 4000,
  textInput: 4000,
  placeholder: 100,
  selectOptions: 25,
  selectText: 100,
} as const;

const CUT_NOTE = '\n… (shortened to fit Discord)';
const BRAND = 0x5865f2;

export interface AllowedMentions {
  parse: [];
  users?: string[];
  replied_user: false;
}

/** A message body for channel messages, webhooks and interaction responses (snake_case, as sent). */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  allowed_mentions: AllowedMentions;
}

/**
 * Escapes Discord markdown and mention syntax in plain text: the text shows as typed, and `<@id>`,
 * `<@&role>`, `@everyone` or `@here` written by a member neither renders nor pings.
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\*_~`|<>[\]]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+-])(?=\s|#|$)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\.(?=\s)/gm, '$1$2\\.')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** Cuts text to `max` characters with a note, never leaving half an escape or a lone surrogate. */
export function clip(text: string, max: number, note = CUT_NOTE): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - note.length);
  let cut = text.slice(0, room);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  if (/(^|[^\\])(\\\\)*\\$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${note.slice(0, max - cut.length)}`;
}

const SNOWFLAKE = /^\d{1,20}$/;

function table(columns: string[], rows: string[][]): string {
  // Inside a code block nothing renders, but a backtick could close the block.
  const cell = (s: string) => s.replace(/`/g, 'ˋ').replace(/\n/g, ' ');
  const all = [columns, ...rows].map((r) => r.map(cell));
  const widths = columns.map((_c, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return ['```', ...all.map(line), '```'].join('\n');
}

export function blockMarkdown(block: Exclude<Block, { type: 'buttons' } | { type: 'mention' }>): string {
  switch (block.type) {
    case 'header':
      return `**${escapeText(block.text)}**`;
    case 'text':
      return escapeText(block.text);
    case 'context':
      return block.text
        .split('\n')
        .map((line) => `-# ${escapeText(line)}`)
        .join('\n');
    case 'fields':
      return block.fields.map((f) => `**${escapeText(f.label)}:** ${escapeText(f.value)}`).join(' · ');
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${escapeText(item)}`).join('\n');
    case 'table':
      return table(block.columns, block.rows);
    case 'code': {
      // Only a run of three backticks could close the fence; a look-alike keeps it whole.
      const language = block.language?.replace(/[^a-z0-9+#-]/gi, '') ?? '';
      return ['```' + language, block.text.replace(/```/g, 'ˋˋˋ'), '```'].join('\n');
    }
    case 'quote': {
      const quoted = block.text
        .split('\n')
        .map((line) => `> ${escapeText(line)}`)
        .join('\n');
      return block.author ? `${quoted}\n— *${escapeText(block.author)}*` : quoted;
    }
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

/** Options for messages and modals sent in DMs, whose buttons must name their guild (dm.ts). */
export interface RenderOptions {
  dmGuild?: string;
}

function buttonRows(blocks: Block[], dmGuild?: string): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (const block of blocks) {
    if (block.type !== 'buttons') continue;
    const usable = block.buttons.map((b) => ({ ...b, id: tagWithGuild(b.id, dmGuild) })).filter((b) => b.id.length > 0 && b.id.length <= LIMITS.customId);
    for (let i = 0; i < usable.length; i += LIMITS.buttonsPerRow) {
      rows.push({ type: ComponentType.ActionRow, components: usable.slice(i, i + LIMITS.buttonsPerRow).map(button) });
    }
  }
  // Discord allows 5 rows (25 buttons); a core message never needs more, so extra rows are dropped.
  return rows.slice(0, LIMITS.rows);
}

function button(b: Button): APIButtonComponentWithCustomId {
  const style = b.style === 'primary' ? ButtonStyle.Primary : b.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, custom_id: b.id, label: clip(b.label.trim() || '…', LIMITS.buttonLabel, '…') };
}

/**
 * One Discord message for an OutMessage. Short messages without a header are plain content; cards
 * (a header, or text too long for content) are an embed. Mentions always go in `content`, the only
 * place Discord pings from.
 */
export function renderMessage(message: OutMessage, options: RenderOptions = {}): DiscordMessage {
  const blocks = message.blocks.length ? message.blocks : [{ type: 'text' as const, text: message.text }];
  const users = new Set<string>();
  const mentionLines: string[] = [];
  const body: string[] = [];
  let title: string | undefined;
  for (const block of blocks) {
    if (block.type === 'buttons') continue;
    if (block.type === 'mention') {
      const ids = block.userIds.filter((id) => SNOWFLAKE.test(id));
      ids.forEach((id) => users.add(id));
      mentionLines.push([...ids.map((id) => `<@${id}>`), escapeText(block.text)].filter(Boolean).join(' '));
      continue;
    }
    if (block.type === 'header' && title === undefined) {
      title = escapeText(block.text);
      continue;
    }
    body.push(blockMarkdown(block));
  }
  const allowed_mentions: AllowedMentions = users.size ? { parse: [], users: [...users], replied_user: false } : { parse: [], replied_user: false };
  const components = buttonRows(blocks, options.dmGuild);
  const description = body.join('\n\n');
  const mentions = mentionLines.join('\n');
  const plain = [mentions, description].filter(Boolean).join('\n\n');
  if (title === undefined && plain.length <= LIMITS.content) {
    return { content: plain || '\u200b', embeds: [], components, allowed_mentions };
  }
  const embed: APIEmbed = { color: BRAND };
  if (title !== undefined) embed.title = clip(title, LIMITS.title, '…');
  if (description) embed.description = clip(description, LIMITS.description);
  return { content: clip(mentions, LIMITS.content), embeds: [embed], components, allowed_mentions };
}

/** A plain-text notice (errors, refusals) as a message. */
export function renderNotice(text: string): DiscordMessage {
  return renderMessage({ text, blocks: [{ type: 'text', text }] });
}

/** The discord.js options form of a message (interaction replies go through discord.js's MessagePayload). */
export function replyOptions(message: DiscordMessage) {
  const { allowed_mentions, ...rest } = message;
  return {
    ...rest,
    allowedMentions: { parse: allowed_mentions.parse, users: allowed_mentions.users ?? [], repliedUser: false },
  };
}
