/**
 * The thread charts are drawn on (render.ts starts it on the first picture): resvg rasterises and,
 * above all, encodes the PNG synchronously, which on the main thread stalled every ack and reply for
 * the few milliseconds of each chart. Here the main thread only hands over the SVG and gets the bytes.
 */
import { parentPort } from 'node:worker_threads';
import './allocator.js';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export interface RenderJob {
  id: number;
  svg: string;
  font: ResvgRenderOptions['font'];
}

export type RenderDone = { id: number; bytes: Uint8Array; width: number; height: number } | { id: number; error: string };

parentPort?.on('message', (job: RenderJob) => {
  let done: RenderDone;
  try {
    const image = new Resvg(job.svg, { font: job.font, background: '#ffffff', logLevel: 'off' }).render();
    const bytes = new Uint8Array(image.asPng());
    done = { id: job.id, bytes, width: image.width, height: image.height };
    parentPort!.postMessage(done, [bytes.buffer]);
  } catch (error) {
    done = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(done);
  }
});
