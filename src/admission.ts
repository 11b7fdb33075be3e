/**
 * Bounded admission (issue 13): at most `maxInFlight` units of work run at once, at most `maxQueued`
 * wait for a slot, and none waits longer than `maxWaitMs`. Past that the caller sheds the work politely
 * (a "busy, try again in a moment" reply, or a non-2xx so the platform retries) instead of queueing it
 * without a limit, so memory stays bounded, acks never wait on the work, and once the load drops the
 * queue drains and everything is served again without anyone stepping in.
 *
 * A delivery the platform will not send again (Slack's third and last retry) is the one exception: shed,
 * it would be lost. It waits in a queue of its own, bounded the same way, served before the others and
 * never dropped for waiting long (the platform has given up on its answer by then, but the work is still
 * done: an answer is stored, and the platform's repeats of it are dropped by their event id).
 */
import { DojoError } from './core/errors.js';

export const BUSY_TEXT = "I'm busy right now, try again in a moment.";

/** The work was not admitted (queue full, or it waited too long): shed it. */
export class Busy extends DojoError {
  readonly code = 'dojo_busy';
  override readonly userMessage = BUSY_TEXT;
  constructor() {
    super('busy: too much work in flight');
  }
}

export interface AdmissionOptions {
  maxInFlight: number;
  maxQueued: number;
  maxWaitMs: number;
}

export const DEFAULT_ADMISSION: AdmissionOptions = { maxInFlight: 16, maxQueued: 256, maxWaitMs: 5_000 };

interface Waiter {
  at: number;
  go: () => void;
  shed: () => void;
}

/** How a unit of work is admitted: `lastChance` when the platform will not deliver it again (see above). */
export interface Admit {
  lastChance?: boolean;
}

export class Admission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;
  /** Deliveries the platform will not send again: served first, never shed for waiting. */
  private readonly lastChance: Waiter[] = [];
  /** Counts for metrics and the bench: admitted, shed because the queue was full, shed after waiting. */
  readonly stats = { admitted: 0, rejected: 0, expired: 0 };

  constructor(
    private readonly options: AdmissionOptions = DEFAULT_ADMISSION,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** Work waiting for a slot, last-chance deliveries included. */
  get queued(): number {
    return this.waiting + this.lastChance.length;
  }

  /** Ordinary work waiting for a slot: what maxQueued bounds. */
  private get waiting(): number {
    return this.queue.length - this.head;
  }

  /** True when a new unit of work would be refused right now (the caller may shed it before acking). */
  full(): boolean {
    return this.running >= this.options.maxInFlight && this.waiting >= this.options.maxQueued;
  }

  /**
   * Runs `work` in a slot. Rejects with Busy, without running it, when the queue is full or the work
   * waited past maxWaitMs (the slot went to fresher work); last-chance work only when its own queue is full.
   */
  async run<T>(work: () => Promise<T>, admit: Admit = {}): Promise<T> {
    await (admit.lastChance ? this.acquireLastChance() : this.acquire());
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.maxInFlight && this.queued === 0) {
      this.running++;
      this.stats.admitted++;
      return Promise.resolve();
    }
    if (this.waiting >= this.options.maxQueued) {
      this.stats.rejected++;
      return Promise.reject(new Busy());
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ at: this.now(), go: resolve, shed: () => reject(new Busy()) });
    });
  }

  private acquireLastChance(): Promise<void> {
    if (this.running < this.options.maxInFlight && this.queued === 0) return this.acquire();
    if (this.lastChance.length >= this.options.maxQueued) {
      this.stats.rejected++;
      return Promise.reject(new Busy());
    }
    return new Promise<void>((resolve, reject) => {
      this.lastChance.push({ at: this.now(), go: resolve, shed: () => reject(new Busy()) });
    });
  }

  private release(): void {
    this.running--;
    const last = this.lastChance.shift();
    if (last) {
      this.running++;
      this.stats.admitted++;
      last.go();
      return;
    }
    while (this.waiting > 0) {
      const next = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (this.now() - next.at > this.options.maxWaitMs) {
        this.stats.expired++;
        next.shed();
        continue;
      }
      this.running++;
      this.stats.admitted++;
      next.go();
      return;
    }
  }
}
