/**
 * Prompts may hold code: a fenced snippet (```sql ... ```) in the pack's text becomes a `code` block, so
 * each platform shows it monospace and whole instead of as a reflowed paragraph.
 */
import type { Block } from './messages.js';

const FENCE = /^```([a-z0-9+#-]*)[ \t]*\n([\s\S]*?)\n```[ \t]*$/gm;

/** The prompt as blocks: paragraphs of text and code blocks, in order. */
export function promptBlocks(prompt: string): Block[] {
  const blocks: Block[] = [];
  const pushText = (text: string) => {
    const trimmed = text.trim();
    if (trimmed) blocks.push({ type: 'text', text: trimmed });
  };
  let last = 0;
  for (const match of prompt.matchAll(FENCE)) {
    pushText(prompt.slice(last, match.index));
    blocks.push({ type: 'code', text: match[2]!, ...(match[1] ? { language: match[1] } : {}) });
    last = match.index + match[0].length;
  }
  pushText(prompt.slice(last));
  return blocks.length ? blocks : [{ type: 'text', text: prompt }];
}

/** The prompt's words without its code: for thread names and one-line mentions of a question. */
export function promptTitle(prompt: string): string {
  return prompt.replace(FENCE, ' ').replace(/\s+/g, ' ').trim();
}
