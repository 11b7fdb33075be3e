/**
 * Bounded chart work (issue 13): at most `concurrency` pictures are drawn at once and at most `waiting`
 * wait for their turn. A picture offered past that is refused on the spot (the caller says so in its
 * words and moves on), so drawing never builds a backlog: its memory is a few small data records and
 * `concurrency` canvases, whatever the load. Drawing happens on a thread of its own (render.ts), at
 * the lowest priority (render-worker.ts): the one slot by default leaves the other core to the words,
 * the acks and the database, and the priority leaves them the drawing's core too when they need it.
 */
export interface DrawingOptions {
  concurrency: number;
  waiting: number;
}

export const DEFAULT_DRAWING: DrawingOptions = { concurrency: 1, waiting: 8 };

export class Drawing {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** Counts for the log and the bench: drawn, failed, refused because full. */
  readonly stats = { drawn: 0, failed: 0, refused: 0 };

  constructor(private readonly options: DrawingOptions = DEFAULT_DRAWING) {}

  get busy(): number {
    return this.running + this.queue.length;
  }

  /**
   * Draws when a slot is free. Returns undefined, without drawing or queueing anything, when the slots
   * and the queue are full. The promise never rejects: a drawing that fails resolves undefined.
   */
  offer<T>(draw: () => Promise<T>): Promise<T | undefined> | undefined {
    if (this.running >= this.options.concurrency && this.queue.length >= this.options.waiting) {
      this.stats.refused++;
      return undefined;
    }
    return this.turn().then(async () => {
      try {
        const drawn = await this.run(draw);
        this.stats.drawn++;
        return drawn;
      } catch {
        this.stats.failed++;
        return undefined;
      } finally {
        this.done();
      }
    });
  }

  /** Runs one drawing in its slot (a test may hold or break it here). */
  protected run<T>(draw: () => Promise<T>): Promise<T> {
    return draw();
  }

  private turn(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private done(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next in line.
    if (next) next();
    else this.running--;
  }
}
