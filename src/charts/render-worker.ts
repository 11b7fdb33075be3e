/**
 * The thread charts are drawn on (render.ts starts it on the first picture): the SVG is built from the
 * picture's data (svg.ts), resvg rasterises it and png.ts encodes the PNG, all synchronously, which on
 * the main thread stalled every ack and reply for the few milliseconds of each chart. Here the main
 * thread only hands over the data and gets the bytes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { lowerThisThread } from './lowest-priority.js';
import type { ChartJob } from './svg.js';

// First the priority, then the drawing code (d3, the glyphs, resvg's native library) loads at it. A
// static import would load before any statement here runs; a message that comes meanwhile waits
// in the port until the listener below is added.
lowerThisThread();
const [{ Resvg }, { fontOptions }, { encodePng }, { svgOf }] = await Promise.all([import('@resvg/resvg-js'), import('./font.js'), import('./png.js'), import('./svg.js')]);

// A picture's canvas and tree live in native memory that V8 does not see, and this thread makes
// almost no garbage of its own, so its collector would run too rarely to free them: collect after
// each picture. A minor collection is enough (the picture's objects are young when it ends) and
// cheap; a full one after each picture cost more than the picture itself (1,000 stats charts on the
// compiled worker: 19 ms of CPU each and a peak RSS of 555 MB with a full collection, 11.5 ms and
// 166 MB with a minor one). A full one every FULL_EVERY pictures still frees a picture that outlived a
// minor collection (promoted by one that ran while it was drawn).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
const FULL_EVERY = 64;
let pictures = 0;

export interface RenderJob {
  id: number;
  job: ChartJob;
}

export type RenderDone = { id: number; bytes: Uint8Array; width: number; height: number } | { id: number; error: string };

parentPort?.on('message', ({ id, job }: RenderJob) => {
  let done: RenderDone;
  try {
    const svg = svgOf(job);
    // The white background is what lets png.ts drop alpha.
    const image = new Resvg(svg, { font: fontOptions(svg), background: '#ffffff', logLevel: 'off' }).render();
    // Not image.asPng(): resvg's encoder cost twice the drawing (png.ts).
    const bytes = encodePng(image.pixels, image.width, image.height);
    done = { id, bytes, width: image.width, height: image.height };
    parentPort!.postMessage(done, [bytes.buffer]);
  } catch (error) {
    done = { id, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(done);
  }
  collect({ type: ++pictures % FULL_EVERY === 0 ? 'major' : 'minor' });
});
