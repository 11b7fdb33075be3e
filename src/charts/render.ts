/** SVG to PNG with resvg: the bundled font only, never the machine's fonts (the same pixels everywhere). */
import { createHash } from 'node:crypto';
import { renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFiles } from './font.js';

export interface Png {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/**
 * The same SVG always makes the same PNG, so the last pictures drawn are kept (a member asking for
 * stats again before anything changed, a recap drawn for several channels): at most this many.
 */
const KEPT = 64;
const drawn = new Map<string, Promise<Png>>();

/** Renders off the event loop (resvg's worker threads), so a chart never stalls other deliveries. */
export function renderPng(svg: string): Promise<Png> {
  const key = createHash('sha256').update(svg).digest('base64');
  const known = drawn.get(key);
  if (known) {
    // Most recently used last, so the oldest is the first to go.
    drawn.delete(key);
    drawn.set(key, known);
    return known;
  }
  const png = draw(svg);
  drawn.set(key, png);
  png.catch(() => drawn.delete(key));
  if (drawn.size > KEPT) drawn.delete(drawn.keys().next().value!);
  return png;
}

async function draw(svg: string): Promise<Png> {
  const image = await renderAsync(svg, {
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    background: '#ffffff',
    logLevel: 'off',
  });
  return { bytes: new Uint8Array(image.asPng()), width: image.width, height: image.height };
}

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

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
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

export function svgDocument(width: number, height: number, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body.join('')}</svg>`;
}
