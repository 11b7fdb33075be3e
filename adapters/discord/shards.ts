/**
 * Which gateway shards this instance runs. Each shard has an advisory lock; an instance runs a shard
 * only while it holds the shard's lock, so two instances never both run one. Every instance also
 * holds a shared "member" lock, so each can count the instances and take its fair share
 * (ceil(shards / instances)): instances split the shards, give extras back when another joins, and
 * take over the shards of one that stops or dies.
 *
 * A lost lock connection (a Postgres restart, a terminated backend) stops that shard at once, is
 * logged once, and the lock is taken again with backoff when the database answers.
 */
import type { HeldLock, LockSource } from '../../src/db/repos/held-locks.js';
import type { Logger } from '../../src/log.js';

export interface ShardKeeperOptions {
  count: number;
  /** Absent: one process on its own database, which runs every shard. */
  locks?: LockSource;
  /** Names the bot's locks (without its token). */
  lockPrefix: string;
  startShard(id: number): Promise<void>;
  stopShard(id: number): Promise<void>;
  log: Logger;
  /** How often the shares are checked (a standby instance looks for free shards). */
  balanceEveryMs: number;
  /** Backoff after a lost lock or a failed attempt: first wait, doubling up to the most. */
  retryFirstMs: number;
  retryMaxMs: number;
  /** A freshly taken shard waits this long before connecting, so its last holder has surely left. */
  handoverGraceMs: number;
}

export class ShardKeeper {
  private readonly held = new Map<number, HeldLock | undefined>();
  private member: HeldLock | undefined;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private balancing: Promise<void> | undefined;
  private failures = 0;

  constructor(private readonly o: ShardKeeperOptions) {}

  /** The shards this instance runs now. */
  get shards(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Takes this instance's share and connects it; a shard that cannot connect at start throws. */
  async start(): Promise<void> {
    this.running = true;
    await this.run(false);
    this.schedule(this.o.balanceEveryMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.balancing?.catch(() => {});
    for (const id of this.shards) await this.giveBack(id);
    const member = this.member;
    this.member = undefined;
    await member?.release();
  }

  private run(grace: boolean): Promise<void> {
    const work = this.balance(grace).finally(() => {
      this.balancing = undefined;
    });
    this.balancing = work;
    return work;
  }

  private schedule(ms: number) {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.balancing) return this.schedule(this.o.balanceEveryMs);
      this.run(true).then(
        () => {
          if (this.failures > 0) this.o.log.info({ shards: this.shards }, 'the gateway locks answer again');
          this.failures = 0;
          this.schedule(this.o.balanceEveryMs);
        },
        (error: unknown) => {
          // One line when trouble starts; the retries while it lasts stay quiet.
          if (this.failures === 0) this.o.log.error({ err: error }, 'could not take the Discord gateway shards; retrying with backoff');
          else this.o.log.debug({ err: error }, 'gateway shards still unavailable');
          this.failures++;
          this.schedule(this.backoff());
        },
      );
    }, ms);
    this.timer.unref();
  }

  private backoff(): number {
    const base = Math.min(this.o.retryMaxMs, this.o.retryFirstMs * 2 ** Math.max(0, this.failures - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async balance(grace: boolean): Promise<void> {
    const { locks, count } = this.o;
    if (!locks) {
      for (let id = 0; id < count && this.running; id++) if (!this.held.has(id)) await this.take(id, undefined, false);
      return;
    }
    if (!this.member) {
      const member = await locks.tryHold(`${this.o.lockPrefix}:members`, { shared: true });
      if (!member) throw new Error('the gateway member lock is held exclusively');
      this.member = member;
      void member.lost.then((cause) => {
        if (this.member !== member) return;
        this.member = undefined;
        this.o.log.warn({ err: cause }, 'lost the gateway member lock; counting instances again when the database answers');
        this.retrySoon();
      });
    }
    const instances = Math.max(1, await this.member.holders());
    const fair = Math.ceil(count / instances);
    // Another instance joined: hand the highest shards back for it to take.
    while (this.held.size > fair && this.running) await this.giveBack(Math.max(...this.held.keys()));
    for (let id = 0; id < count && this.held.size < fair && this.running; id++) {
      if (this.held.has(id)) continue;
      const lock = await locks.tryHold(`${this.o.lockPrefix}:shard-${id}`);
      if (lock) await this.take(id, lock, grace);
    }
  }

  private async take(id: number, lock: HeldLock | undefined, grace: boolean): Promise<void> {
    if (!this.running) return void (await lock?.release());
    this.held.set(id, lock);
    if (lock) void lock.lost.then((cause) => this.onLost(id, lock, cause));
    if (grace && this.o.handoverGraceMs > 0) await new Promise((r) => setTimeout(r, this.o.handoverGraceMs));
    if (this.held.get(id) !== lock || !this.running) return;
    try {
      await this.o.startShard(id);
    } catch (error) {
      this.held.delete(id);
      await lock?.release();
      throw error;
    }
    if (this.held.get(id) !== lock || !this.running) {
      // The lock went (or we stopped) while the shard connected: it must not keep running.
      await this.o.stopShard(id);
      return;
    }
    this.o.log.info({ shardId: id, shardCount: this.o.count }, 'running gateway shard');
  }

  private async giveBack(id: number): Promise<void> {
    const lock = this.held.get(id);
    this.held.delete(id);
    // The shard stops before its lock is free, so whoever takes the lock next finds it stopped.
    await this.o.stopShard(id).catch((error: unknown) => this.o.log.warn({ err: error, shardId: id }, 'a gateway shard did not stop cleanly'));
    await lock?.release();
    if (this.running) this.o.log.info({ shardId: id }, 'handed a gateway shard back for another instance');
  }

  private onLost(id: number, lock: HeldLock, cause: unknown) {
    if (this.held.get(id) !== lock) return;
    this.held.delete(id);
    this.o.log.error({ err: cause, shardId: id }, 'lost the lock of a gateway shard; stopping the shard and taking the lock again when the database answers');
    this.o.stopShard(id).catch((error: unknown) => this.o.log.warn({ err: error, shardId: id }, 'a gateway shard did not stop cleanly'));
    this.retrySoon();
  }

  private retrySoon() {
    if (!this.running) return;
    this.failures = Math.max(this.failures, 1);
    this.schedule(this.backoff());
  }
}
