/**
 * Pictures drawn from their data (svg.ts) into PNGs, off the thread that acks and replies: the SVG, the
 * rasterising (resvg, the bundled font only, never the machine's fonts: the same pixels everywhere) and
 * the PNG all happen on the drawing thread (render-worker.ts). This thread only sends the data and
 * gets the bytes; it loads neither d3 nor resvg.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RenderDone, RenderJob } from './render-worker.js';
import type { ChartJob } from './svg.js';

export interface Png {
  bytes: Uint8Array;
  width: number;
  height: number;
}

/**
 * The same data always makes the same PNG, so the last pictures drawn are kept (a member asking for
 * stats again before anything changed, a recap drawn for several channels): at most this many.
 */
const KEPT = 64;
const drawn = new Map<string, Promise<Png>>();

/** Draws a picture off the event loop, so a chart never stalls other deliveries. */
export function renderChart(job: ChartJob): Promise<Png> {
  const key = createHash('sha256').update(JSON.stringify(job)).digest('base64');
  const known = drawn.get(key);
  if (known) {
    // Most recently used last, so the oldest is the first to go.
    drawn.delete(key);
    drawn.set(key, known);
    return known;
  }
  const png = draw(job);
  drawn.set(key, png);
  png.catch(() => drawn.delete(key));
  if (drawn.size > KEPT) drawn.delete(drawn.keys().next().value!);
  return png;
}

async function draw(job: ChartJob): Promise<Png> {
  const thread = drawingThread();
  if (thread) return thread.draw(job);
  // Run from the TypeScript sources (tests): the SVG built here, rasterised on resvg's own worker
  // threads, the PNG encoded as the drawing thread does (png.ts).
  const [{ svgOf }, { renderAsync }, { fontOptions }, { encodePng }] = await Promise.all([import('./svg.js'), import('@resvg/resvg-js'), import('./font.js'), import('./png.js')]);
  const svg = svgOf(job);
  const image = await renderAsync(svg, { font: fontOptions(svg), background: '#ffffff', logLevel: 'off' });
  return { bytes: encodePng(image.pixels, image.width, image.height), width: image.width, height: image.height };
}

/** How long the drawing thread stays without a picture to draw before it ends (its memory back). */
const IDLE_MS = 60_000;

interface DrawingThread {
  draw(job: ChartJob): Promise<Png>;
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
    draw: (job) =>
      new Promise<Png>((resolve, reject) => {
        clearTimeout(idle);
        worker.ref();
        const id = next++;
        pending.set(id, { resolve, reject });
        try {
          worker.postMessage({ id, job } satisfies RenderJob);
        } catch (error) {
          // Data that cannot be sent: this picture fails, and the thread is let go as after any other.
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
          if (pending.size === 0) {
            worker.unref();
            idle = setTimeout(() => void worker.terminate(), IDLE_MS).unref();
          }
        }
      }),
  };
  return (thread = self);
}

