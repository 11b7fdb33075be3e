/**
 * The drawing thread (render-worker.ts) lowers itself first, so that loading d3, the glyph code and
 * resvg already happens at the lowest priority: a picture follows words that are already out, so it
 * waits for the acks, the replies and the database rather than taking their CPU, and a busy machine
 * draws fewer charts (drawing.ts skips them, and the words say so) instead of answering everyone
 * later. On a small machine (one shared core on Fly.io, two here with the fake Slack beside it) a
 * chart's drawing took that from the replies at the same priority.
 *
 * Linux keeps a nice value per thread, and setpriority for "the caller" (0) lowers the calling thread
 * alone. Elsewhere the same call would lower the whole process, acks and all: there the thread draws
 * at the process's priority.
 */
import { setPriority } from 'node:os';

export const LOWEST = 19;

export function lowerThisThread(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, LOWEST);
  } catch {
    // Not allowed (a sandbox): the thread draws at the process's priority.
  }
}
