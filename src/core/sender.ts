/**
 * The outbox sender's pacing (issue 13): sends run in parallel across channels, up to `maxInFlight` at
 * once, while each channel gets its messages one at a time, in order, no faster than the platform allows
 * there (Slack about one per second per channel), and each bot no faster than its global limit (Discord
 * 50 requests per second). Exactly-once stays the outbox's job (owner token and lease, outbox.ts):
 * this only decides when each claimed row is sent.
 */
export interface Pacing {
  /** Messages per second in one channel. */
  perChannel: number;
  /** Requests per second for the whole bot (all its teams), if the platform limits it. */
  perBot?: number;
}

export interface SendTask {
  /** Same key, same lane: sent one after another, in order, paced. */
  channel: string;
  /** Same key, same bot-wide budget (e.g. the platform's name). */
  bot: string;
  pacing: Pacing;
  run(): Promise<void>;
}

interface Lane {
  tasks: SendTask[];
  busy: boolean;
  /** Earliest start of its next send (ms, performance.now()). */
  nextAt: number;
  timer?: NodeJS.Timeout;
}

export class Sender {
  private readonly lanes = new Map<string, Lane>();
  /** Lanes with work that may start now, in the order they became ready. */
  private readonly ready: string[] = [];
  private readonly bots = new Map<string, { tokens: number; at: number }>();
  private inFlight = 0;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private botTimer?: NodeJS.Timeout;

  constructor(
    private readonly maxInFlight = 16,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private enqueued = 0;

  enqueue(task: SendTask): void {
    this.pending++;
    if (++this.enqueued % 1024 === 0) this.prune();
    let lane = this.lanes.get(task.channel);
    if (!lane) this.lanes.set(task.channel, (lane = { tasks: [], busy: false, nextAt: 0 }));
    lane.tasks.push(task);
    if (lane.tasks.length === 1 && !lane.busy && !lane.timer) this.wake(task.channel, lane);
    this.pump();
  }

  /** Resolves once everything enqueued so far (and since) has been sent or has failed. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops idle lanes whose pace no longer matters (keeps memory flat across many channels). */
  private prune(): void {
    const now = this.now();
    for (const [key, lane] of this.lanes) if (!lane.busy && !lane.timer && lane.tasks.length === 0 && lane.nextAt <= now) this.lanes.delete(key);
  }

  /** Puts a lane on the ready list now, or when its pace allows. */
  private wake(key: string, lane: Lane): void {
    const wait = lane.nextAt - this.now();
    if (wait <= 0) {
      this.ready.push(key);
      return;
    }
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.ready.push(key);
      this.pump();
    }, wait);
    lane.timer.unref?.();
  }

  /** Takes a token of the bot's budget; false (and a timer to try again) when it is spent. */
  private takeBot(task: SendTask): boolean {
    const rate = task.pacing.perBot;
    if (!rate) return true;
    const now = this.now();
    const b = this.bots.get(task.bot) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.bots.set(task.bot, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    if (!this.botTimer) {
      this.botTimer = setTimeout(() => {
        this.botTimer = undefined;
        this.pump();
      }, Math.ceil(((1 - b.tokens) / rate) * 1000));
      this.botTimer.unref?.();
    }
    return false;
  }

  private pump(): void {
    let skipped = 0;
    while (this.inFlight < this.maxInFlight && this.ready.length > skipped) {
      const key = this.ready[skipped]!;
      const lane = this.lanes.get(key)!;
      const task = lane.tasks[0]!;
      if (!this.takeBot(task)) {
        // This bot is out of budget for now; lanes of other bots may still go.
        skipped++;
        continue;
      }
      this.ready.splice(skipped, 1);
      lane.tasks.shift();
      lane.busy = true;
      lane.nextAt = this.now() + 1000 / task.pacing.perChannel;
      this.inFlight++;
      void task
        .run()
        .catch(() => {})
        .finally(() => this.done(key, lane));
    }
  }

  private done(key: string, lane: Lane): void {
    this.inFlight--;
    lane.busy = false;
    if (lane.tasks.length > 0) this.wake(key, lane);
    this.pending--;
    if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.pump();
  }
}
