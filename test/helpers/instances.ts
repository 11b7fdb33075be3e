/**
 * Several instances of the bot on one Postgres database (each with its own pool), sharing one chat
 * platform (a MemoryChat), and a way to "kill" one right after a chat call reached the platform.
 */
import { pino } from 'pino';
import { MemoryChat } from '../../adapters/memory/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { createDojo, type DojoCore } from '../../src/core/dojo.js';
import type { OutMessage } from '../../src/core/messages.js';
import type { ChatPort, InboundEvent, Outcome, PostOptions, SendOptions, TeamRef } from '../../src/core/ports.js';
import { seededRandom } from '../../src/core/selection.js';
import type { Connected } from '../../src/db/index.js';
import { testDb, type TestDb } from './db.js';

export const TEAM: TeamRef = { platform: 'memory', id: 'T1', name: 'Team One' };

/** A ChatPort that dies (its database pool closed, nothing more written) right after the `after`th matching call succeeded. */
export class DyingChat implements ChatPort {
  private seen = 0;
  died = false;
  constructor(
    private readonly platform: ChatPort,
    private readonly connected: Connected,
    private readonly when: { kind: 'post' | 'reply'; after: number; text?: RegExp },
  ) {}
  private async maybeDie(kind: 'post' | 'reply', message: OutMessage): Promise<void> {
    if (this.died || kind !== this.when.kind || (this.when.text && !this.when.text.test(message.text))) return;
    if (++this.seen < this.when.after) return;
    this.died = true;
    void this.connected.close();
    throw new Error('killed (fault injected after the chat call)');
  }
  async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions) {
    if (this.died) throw new Error('dead');
    const posted = await this.platform.post(team, channelId, message, options);
    await this.maybeDie('post', message);
    return posted;
  }
  async reply(team: TeamRef, thread: string, message: OutMessage, options?: SendOptions) {
    if (this.died) throw new Error('dead');
    const ref = await this.platform.reply(team, thread, message, options);
    await this.maybeDie('reply', message);
    return ref;
  }
  update(team: TeamRef, ref: string, message: OutMessage) {
    return this.platform.update(team, ref, message);
  }
  dm(team: TeamRef, user: string, message: OutMessage, options?: SendOptions) {
    return this.platform.dm(team, user, message, options);
  }
}

/** A ChatPort whose first matching post waits until `release()`: a send that outlives its lease. */
export class SlowChat implements ChatPort {
  private held = false;
  private gate!: () => void;
  readonly waiting: Promise<void>;
  private arrived!: () => void;
  constructor(
    private readonly platform: ChatPort,
    private readonly text: RegExp,
  ) {
    this.waiting = new Promise((resolve) => (this.arrived = resolve));
  }
  release(): void {
    this.gate();
  }
  async post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions) {
    if (!this.held && this.text.test(message.text)) {
      this.held = true;
      const open = new Promise<void>((resolve) => (this.gate = resolve));
      this.arrived();
      await open;
    }
    return this.platform.post(team, channelId, message, options);
  }
  reply(team: TeamRef, thread: string, message: OutMessage, options?: SendOptions) {
    return this.platform.reply(team, thread, message, options);
  }
  update(team: TeamRef, ref: string, message: OutMessage) {
    return this.platform.update(team, ref, message);
  }
  dm(team: TeamRef, user: string, message: OutMessage, options?: SendOptions) {
    return this.platform.dm(team, user, message, options);
  }
}

export interface Instance {
  dojo: DojoCore;
  connected: Connected;
}

export interface Cluster {
  t: TestDb;
  clock: ManualClock;
  platform: MemoryChat;
  /** A new instance on its own pool; `chat` wraps the platform (to kill it), by default the platform itself. */
  start(chat?: (connected: Connected) => ChatPort): Promise<Instance>;
  cmd(i: Instance, user: string, text: string, channel: string): Promise<Outcome>;
  answer(i: Instance, user: string, thread: string, text: string, messageId: string, channel: string): Promise<Outcome>;
  close(): Promise<void>;
}

export async function cluster(options: { idempotent: boolean; start: Date }): Promise<Cluster> {
  const t = await testDb({ bank: true });
  const clock = new ManualClock(options.start);
  const platform = new MemoryChat({ idempotent: options.idempotent });
  const pools: Connected[] = [];
  let seq = 0;
  const event = (user: string, channel: string) => ({ team: TEAM, user: { id: `U_${user}`, name: user, isPlatformAdmin: user === 'ada' }, channel: { id: channel, name: channel.toLowerCase() } });
  return {
    t,
    clock,
    platform,
    async start(chat) {
      const connected = await t.another();
      pools.push(connected);
      const dojo = createDojo({ db: connected.db, chat: chat ? chat(connected) : platform, clock, log: pino({ level: 'silent' }), random: seededRandom(pools.length) });
      return { dojo, connected };
    },
    cmd: (i, user, text, channel) => i.dojo.handle({ ...event(user, channel), type: 'command', text, deliveryId: `cmd-${++seq}` } as InboundEvent),
    answer: (i, user, thread, text, messageId, channel) => i.dojo.handle({ ...event(user, channel), type: 'message', thread, message: messageId, text, deliveryId: `msg-${messageId}` }),
    async close() {
      for (const p of pools) await p.close().catch(() => {});
      await t.close();
    },
  };
}
