/**
 * Text safety for Slack. Every string from the core is plain text, and much of it was typed by members,
 * so `&`, `<` and `>` are always escaped: `<!channel>`, `<!here>`, `<!everyone>`, `<@U1>` and links then
 * show as typed and ping nobody. Limits are counted on the escaped text, which is what Slack measures.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escape(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

export const TRUNCATED_NOTE = '… (shortened here; the full text is kept)';

/**
 * Escapes `text` and keeps it within `max` characters, cutting on a character boundary (never inside an
 * entity or a surrogate pair) and ending with `note` when something was cut.
 */
export function fit(text: string, max: number, note = TRUNCATED_NOTE): string {
  const escaped = escape(text);
  if (escaped.length <= max) return escaped;
  const budget = Math.max(0, max - note.length - 1);
  let out = '';
  for (const ch of text) {
    const piece = ENTITIES[ch] ?? ch;
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out.trimEnd()} ${note}`.slice(0, max);
}

/** Backticks cannot be escaped inside a code block; a look-alike keeps a table's fence whole. */
export function codeSafe(text: string): string {
  return text.replace(/`/g, 'ˋ');
}

/** Slack user ids are upper-case letters and digits; anything else is not rendered as a mention. */
export function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]{2,30}$/.test(id);
}
