/**
 * What chart SVGs are made of: escaped text, text as glyph outlines (glyphs.ts), the palette, and the
 * document around a chart's elements. Used where the SVG is built: on the drawing thread
 * (render-worker.ts), or in-process when run from the sources.
 */
import { FONT_FAMILY } from './font.js';
import { setText } from './glyphs.js';

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for an SVG element or attribute (names are members' own). */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML[c]!);
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface TextOptions {
  size?: number;
  weight?: 'bold';
  anchor?: 'start' | 'middle' | 'end';
  fill?: string;
}

/** A line of text: its glyphs' outlines (see glyphs.ts), or an SVG <text> when it needs shaping. */
export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const size = o.size ?? 13;
  const set = setText(content, size, o.weight ?? 'regular');
  if (set) {
    const left = x - (o.anchor === 'middle' ? 0.5 : o.anchor === 'end' ? 1 : 0) * set.width * set.scale;
    for (const g of set.glyphs) GLYPHS.set(g.id, g.d);
    const uses = set.glyphs.map((g) => `<use href="#${g.id}" x="${g.x}"/>`).join('');
    return `<g transform="translate(${left.toFixed(2)} ${y.toFixed(1)}) scale(${set.scale.toFixed(6)} ${(-set.scale).toFixed(6)})" fill="${o.fill ?? INK}">${uses}</g>`;
  }
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="${FONT_FAMILY}" font-size="${o.size ?? 13}"${o.weight ? ` font-weight="${o.weight}"` : ''} text-anchor="${o.anchor ?? 'start'}" fill="${o.fill ?? INK}">${esc(content)}</text>`;
}

export const INK = '#1f2328';
export const MUTED = '#656d76';
export const GRID = '#d8dee4';
export const BLUE = '#4c78a8';
export const ORANGE = '#e8590c';
export const GREEN = '#2f9e44';
export const AMBER = '#e8a317';
export const RED = '#d9480f';

/** The outlines of the glyphs charts have used, by id (at most the glyphs of the two fonts). */
const GLYPHS = new Map<string, string>();

export function svgDocument(width: number, height: number, body: string[]): string {
  const content = body.join('');
  const used = new Set(Array.from(content.matchAll(/href="#([rb]\d+)"/g), (m) => m[1]!));
  const defs = used.size ? `<defs>${[...used].map((id) => `<path id="${id}" d="${GLYPHS.get(id)}"/>`).join('')}</defs>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${defs}${content}</svg>`;
}
