/** SVG to PNG with resvg: the bundled font only, never the machine's fonts (the same pixels everywhere). */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY, fontFiles } from './font.js';
import { setText } from './glyphs.js';
import { encodePng } from './png.js';
import type { RenderDone, RenderJob } from './render-worker.js';

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
  // Text comes as glyph outlines (glyphs.ts); only text that needs shaping makes resvg load the font files.
  const fonts = svg.includes('<text') ? { fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY } : {};
  const font = { loadSystemFonts: false, ...fonts };
  const thread = drawingThread();
  if (thread) return thread.draw(svg, font);
  // Run from the TypeScript sources (tests): resvg's own worker threads, the PNG encoded here, as the
  // drawing thread does (png.ts, not resvg's slower encoder). The white background is what lets png.ts drop alpha.
  const image = await renderAsync(svg, { font, background: '#ffffff', logLevel: 'off' });
  return { bytes: encodePng(image.pixels, image.width, image.height), width: image.width, height: image.height };
}

/** How long the drawing thread stays without a picture to draw before it ends (its memory back). */
const IDLE_MS = 60_000;

interface DrawingThread {
  draw(svg: string, font: RenderJob['font']): Promise<Png>;
}

let thread: DrawingThread | null | undefined;

/**
 * One thread draws every chart, one at a time (render-worker.ts), started on the first picture and
 * ended after a minute without one; undefined when the compiled worker is not there (run from sources).
 */
function drawingThread(): DrawingThread | null {
  if (thread !== undefined) return thread;
  const file = new URL('./render-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(file))) return (thread = null);
  const worker = new Worker(file);
  const pending = new Map<number, { resolve: (png: Png) => void; reject: (error: Error) => void }>();
  let next = 0;
  let idle: NodeJS.Timeout | undefined;
  const end = (error: Error) => {
    if (thread === self) thread = undefined;
    clearTimeout(idle);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (done: RenderDone) => {
    const p = pending.get(done.id);
    pending.delete(done.id);
    if ('error' in done) p?.reject(new Error(done.error));
    else p?.resolve({ bytes: done.bytes, width: done.width, height: done.height });
    if (pending.size > 0) return;
    worker.unref();
    idle = setTimeout(() => void worker.terminate(), IDLE_MS).unref();
  });
  worker.on('error', end);
  worker.on('exit', () => end(new Error('the drawing thread ended')));
  // It keeps the process alive only while it has a picture to draw (unref after the listeners: adding one refs it).
  worker.unref();
  const self: DrawingThread = {
    draw: (svg, font) =>
      new Promise<Png>((resolve, reject) => {
        clearTimeout(idle);
        worker.ref();
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, svg, font } satisfies RenderJob);
      }),
  };
  return (thread = self);
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
