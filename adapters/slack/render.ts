/**
 * The core's platform-neutral messages and modals as Block Kit. All text is escaped (text.ts); the only
 * markup written here is ours: bold field labels, the code fence of a table, preformatted rich text for code, and `<@U…>` for the users a
 * `mention` block names. Slack's limits are kept: 3,000 characters a section, 50 blocks a message (100 a
 * view), 24 characters a modal title; what is cut says so.
 */
import type { ActionsBlock, Button as SlackButton, HomeView, InputBlock, KnownBlock, ModalView, PlainTextElement, PlainTextOption } from '@slack/types';
import type { Block, Button, Modal, ModalField, OutMessage } from '../../src/core/messages.js';
import { codeSafe, escape, fit, isUserId } from './text.js';

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  section: 3000,
  header: 150,
  field: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonsPerBlock: 25,
  modalTitle: 24,
  label: 2000,
  optionText: 75,
  options: 100,
  placeholder: 150,
  fallback: 3000,
  tableCell: 40,
} as const;

export interface RenderedMessage {
  /** The notification and screen-reader fallback (mrkdwn, escaped). */
  text: string;
  blocks: KnownBlock[];
}

const plain = (text: string, max: number = LIMITS.section): PlainTextElement => ({ type: 'plain_text', text: fit(text, max) || ' ', emoji: true });

/** A short label cut with an ellipsis (titles and buttons have no room for a note). */
function short(text: string, max: number): string {
  const escaped = escape(text);
  if (escaped.length <= max) return escaped || ' ';
  return fit(text, max, '…');
}

export function renderMessage(message: OutMessage): RenderedMessage {
  return { text: fit(message.text, LIMITS.fallback), blocks: renderBlocks(message.blocks, LIMITS.messageBlocks) };
}

export function renderBlocks(blocks: Block[], maxBlocks: number = LIMITS.messageBlocks): KnownBlock[] {
  const out: KnownBlock[] = [];
  blocks.forEach((block, index) => out.push(...renderBlock(block, index)));
  if (out.length <= maxBlocks) return out;
  // Keep the buttons: a card without its choices cannot be answered.
  const actions = out.filter((b) => b.type === 'actions');
  const rest = out.filter((b) => b.type !== 'actions').slice(0, Math.max(0, maxBlocks - actions.length - 1));
  const dropped = out.length - rest.length - actions.length;
  const note: KnownBlock = { type: 'context', elements: [plain(`… ${dropped} more part${dropped === 1 ? '' : 's'} not shown here.`)] };
  return [...rest, note, ...actions].slice(0, maxBlocks);
}

function renderBlock(block: Block, index: number): KnownBlock[] {
  const id = (n = 0) => `b${index}${n ? `.${n}` : ''}`;
  switch (block.type) {
    case 'header':
      return [{ type: 'header', block_id: id(), text: plain(block.text, LIMITS.header) }];
    case 'text':
      return [{ type: 'section', block_id: id(), text: plain(block.text) }];
    case 'context':
      return [{ type: 'context', block_id: id(), elements: [plain(block.text)] }];
    case 'code':
      // Preformatted rich text shows the snippet verbatim (backticks, <, & and all) and parses nothing.
      return [{ type: 'rich_text', block_id: id(), elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: codeText(block.text) }] }] }];
    case 'fields': {
      const sections: KnownBlock[] = [];
      for (let i = 0; i < block.fields.length; i += LIMITS.fieldsPerSection) {
        const fields = block.fields.slice(i, i + LIMITS.fieldsPerSection).map((f) => ({
          type: 'mrkdwn' as const,
          text: `*${short(f.label, 100)}*\n${fit(f.value, LIMITS.field - 110)}`,
          verbatim: true,
        }));
        sections.push({ type: 'section', block_id: id(i), fields });
      }
      return sections;
    }
    case 'list': {
      const lines = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${item}`);
      return [{ type: 'section', block_id: id(), text: plain(lines.join('\n')) }];
    }
    case 'quote': {
      const out: KnownBlock[] = [{ type: 'section', block_id: id(), text: plain(block.text) }];
      if (block.author) out.unshift({ type: 'context', block_id: id(1), elements: [plain(`${block.author} wrote:`)] });
      return out;
    }
    case 'table':
      return tableSections(block.columns, block.rows).map((text, i) => ({
        type: 'section' as const,
        block_id: id(i),
        text: { type: 'mrkdwn' as const, text, verbatim: true },
      }));
    case 'buttons':
      return buttonBlocks(block.buttons, index);
    case 'mention': {
      const pings = block.userIds.map((u) => (isUserId(u) ? `<@${u}>` : `@${escape(u)}`)).join(' ');
      const budget = LIMITS.section - pings.length - 1;
      return [{ type: 'section', block_id: id(), text: { type: 'mrkdwn', text: `${pings} ${fit(block.text, Math.max(budget, 100))}`.slice(0, LIMITS.section), verbatim: true } }];
    }
    default: {
      const never: never = block;
      throw new Error(`unknown block ${JSON.stringify(never)}`);
    }
  }
}

function buttonBlocks(buttons: Button[], index: number): ActionsBlock[] {
  // Slack wants action ids unique within a block; the core's ids already are, a repeat is dropped.
  const seen = new Set<string>();
  const unique = buttons.filter((b) => !seen.has(b.id) && seen.add(b.id));
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < unique.length; i += LIMITS.buttonsPerBlock) {
    const elements: SlackButton[] = unique.slice(i, i + LIMITS.buttonsPerBlock).map((b) => ({
      type: 'button',
      action_id: b.id,
      value: b.id,
      text: { type: 'plain_text', text: short(b.label, LIMITS.buttonText), emoji: true },
      ...(b.style ? { style: b.style } : {}),
    }));
    blocks.push({ type: 'actions', block_id: `actions:${index}${i ? `.${i}` : ''}`, elements });
  }
  return blocks;
}

/** A snippet kept within a section's budget, cut on a line with a note when it is longer. */
function codeText(text: string): string {
  const max = LIMITS.section;
  if (text.length <= max) return text || ' ';
  const kept = text.slice(0, max - 40);
  return `${kept.slice(0, Math.max(0, kept.lastIndexOf('\n')))}\n… (shortened here)`;
}

/** A monospace table in code fences, split over as many sections as the 3,000-character limit needs. */
export function tableSections(columns: string[], rows: string[][]): string[] {
  const cell = (s: string) => {
    const clean = codeSafe(s.replace(/\s+/g, ' '));
    return clean.length > LIMITS.tableCell ? `${clean.slice(0, LIMITS.tableCell - 1)}…` : clean;
  };
  const cells = [columns, ...rows].map((r) => columns.map((_, i) => cell(r[i] ?? '')));
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const lines = cells.map((r) => escape(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()));
  const sections: string[] = [];
  const budget = LIMITS.section - 8;
  let current: string[] = [];
  for (const line of lines) {
    const clipped = line.slice(0, budget);
    if (current.length && [...current, clipped].join('\n').length > budget) {
      sections.push(current.join('\n'));
      current = [];
    }
    current.push(clipped);
  }
  if (current.length) sections.push(current.join('\n'));
  return sections.map((s) => `\`\`\`\n${s}\n\`\`\``);
}

export interface ViewContext {
  /** Round-tripped through Slack and back in the submission: where the modal was opened from. */
  privateMetadata: string;
}

export function renderModal(modal: Modal, context: ViewContext): ModalView {
  const intro = renderBlocks(modal.intro ?? [], LIMITS.viewBlocks - modal.fields.length);
  return {
    type: 'modal',
    callback_id: modal.id,
    title: { type: 'plain_text', text: short(modal.title, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: short(modal.submit, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: context.privateMetadata,
    blocks: [...intro, ...modal.fields.map(renderField)],
  };
}

function renderField(field: ModalField): InputBlock {
  const label = plain(field.label, LIMITS.label);
  switch (field.type) {
    case 'text':
      return {
        type: 'input',
        block_id: field.id,
        label,
        optional: !field.required,
        element: {
          type: 'plain_text_input',
          action_id: field.id,
          multiline: field.multiline ?? false,
          ...(field.initial ? { initial_value: field.initial.slice(0, 3000) } : {}),
          ...(field.placeholder ? { placeholder: plain(field.placeholder, LIMITS.placeholder) } : {}),
          ...(field.maxLength ? { max_length: Math.min(field.maxLength, 3000) } : {}),
        },
      };
    case 'select': {
      const options: PlainTextOption[] = field.options.slice(0, LIMITS.options).map((o) => ({
        text: { type: 'plain_text', text: short(o.label, LIMITS.optionText), emoji: true },
        value: o.value.slice(0, 150),
      }));
      const initial = options.find((o) => o.value === field.initial);
      return {
        type: 'input',
        block_id: field.id,
        label,
        optional: !field.required,
        element: { type: 'static_select', action_id: field.id, options, ...(initial ? { initial_option: initial } : {}) },
      };
    }
    case 'checkbox':
      return {
        type: 'input',
        block_id: field.id,
        label,
        optional: true,
        element: { type: 'checkboxes', action_id: field.id, options: [{ text: { type: 'plain_text', text: short(field.label, LIMITS.optionText) }, value: 'true' }] },
      };
    default: {
      const never: never = field;
      throw new Error(`unknown field ${JSON.stringify(never)}`);
    }
  }
}

export function renderHome(blocks: Block[], privateMetadata: string): HomeView {
  return { type: 'home', private_metadata: privateMetadata, blocks: renderBlocks(blocks, LIMITS.viewBlocks) };
}
