/**
 * Group commit (issue 13): work items that arrive together are written together, in one statement,
 * and each caller still learns its own outcome. Nothing waits on a timer: a batch starts at the next
 * turn of the event loop when a slot is free, and whatever arrives while the slots are busy goes in the
 * next batch, so batches grow with the load and a lone item goes at once. Items that would touch the
 * same rows (the same key) never share a batch: the later one waits for the next.
 */
export interface GroupCommitOptions<I> {
  /** Items per statement at most. */
  maxBatch: number;
  /** Batches in flight at once (each holds a connection). */
  maxRunning: number;
  /** Keys of the rows an item writes: two items with a key in common go in different batches. */
  keys(item: I): readonly string[];
}

interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<I, R> {
  private queue: Waiting<I, R>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: I[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions<I>,
  ) {}

  /** Resolves with this item's outcome once its batch is written; rejects when its batch failed. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.running >= this.options.maxRunning || this.queue.length === 0) return;
    this.scheduled = true;
    // The deliveries read in the same turn of the event loop join this batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.options.maxRunning && this.queue.length > 0) {
      const batch: Waiting<I, R>[] = [];
      const rest: Waiting<I, R>[] = [];
      const taken = new Set<string>();
      for (const w of this.queue) {
        const keys = this.options.keys(w.item);
        if (batch.length >= this.options.maxBatch || keys.some((k) => taken.has(k))) {
          rest.push(w);
          continue;
        }
        for (const k of keys) taken.add(k);
        batch.push(w);
      }
      this.queue = rest;
      this.running++;
      this.write(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i]!)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.running--;
          this.kick();
        });
    }
  }
}
