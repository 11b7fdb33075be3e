/**
 * `/dojo stats` on Slack: its words come in the ack (or, past the answer budget, through the response_url), and its chart follows as an
 * upload into the person's DMs (or is skipped, and the words say so). This follows the charts beside
 * Replies (slack.ts), which follows the words.
 */
import type { FakeSlack } from '../test/fakes/slack/server.js';
import { openLoop, now } from './lib/util.js';
import { kindOf, type NotAnswered, type SlackTarget } from './slack.js';

const PROMISE = /Your chart follows/;

export class Charts {
  /** Stats replies whose words said their chart follows (the rest said it was skipped), by response id. */
  readonly follows = new Set<string>();
  /** Notes words that came in the ack (the driver's response id stands for them). */
  saw(responseId: string, text: string): void {
    if (PROMISE.test(text)) this.follows.add(responseId);
  }
  /** By DM channel: each upload into a DM settles the oldest chart waiting there. */
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly unclaimed = new Map<string, number>();
  /** Charts uploaded so far, and who waits for a count of them (drained). */
  private uploaded = 0;
  private counting: { n: number; resolve: () => void }[] = [];

  constructor(fake: FakeSlack) {
    const responses = fake.responses.push.bind(fake.responses);
    fake.responses.push = (...items) => {
      for (const item of items) this.saw(item.id, String(item.body.text ?? ''));
      return responses(...items);
    };
    const calls = fake.calls.push.bind(fake.calls);
    fake.calls.push = (...items) => {
      for (const c of items) {
        if (c.method !== 'files.completeUploadExternal') continue;
        this.uploaded++;
        for (const w of this.counting.filter((w) => w.n <= this.uploaded)) w.resolve();
        this.counting = this.counting.filter((w) => w.n > this.uploaded);
        const dm = String(c.args.channel_id);
        const next = this.waiters.get(dm)?.shift();
        if (next) next();
        else this.unclaimed.set(dm, (this.unclaimed.get(dm) ?? 0) + 1);
      }
      return calls(...items);
    };
  }

  /**
   * Resolves once every chart promised so far was uploaded (false after `timeoutMs`, e.g. when one
   * failed to draw and its person was told so instead): the drawing is idle again.
   */
  drained(timeoutMs: number): Promise<boolean> {
    const n = this.follows.size;
    if (this.uploaded >= n) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { n, resolve: () => (clearTimeout(timer), resolve(true)) };
      const timer = setTimeout(() => {
        this.counting = this.counting.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.counting.push(waiter);
    });
  }

  /** Resolves at the next chart uploaded into the DM channel `dm` (false after `timeoutMs`). */
  wait(dm: string, timeoutMs: number): Promise<boolean> {
    const unclaimed = this.unclaimed.get(dm) ?? 0;
    if (unclaimed > 0) {
      this.unclaimed.set(dm, unclaimed - 1);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiters = this.waiters.get(dm) ?? [];
      this.waiters.set(dm, waiters);
      const settle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(settle);
        if (i >= 0) waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      waiters.push(settle);
    });
  }
}

/**
 * One `/dojo stats` while the drawing thread is down (the bot's first picture, or the first after a
 * minute without one, src/charts/render.ts): when its words and its chart arrived. The closed loops
 * measure the steady state after it; this is what a quiet team's member usually gets.
 */
export async function firstChart(t: SlackTarget, charts: Charts, user: number) {
  const s = now();
  const sent = await t.driver.command('stats', { user: `U${user}`, userName: `u${user}` });
  const words = sent.status === 200 && (sent.text || (await t.replies!.wait(sent.responseId, 15_000))) ? now() - s : undefined;
  if (sent.text) charts.saw(sent.responseId, sent.text);
  const chart = charts.follows.has(sent.responseId) && (await charts.wait(`D${user}`, 30_000)) ? now() - s : undefined;
  return { words, chart };
}

/**
 * `/dojo stats` at a fixed rate: the words' latency exactly as commandsAtRate measures it, and apart from
 * it, when each chart the words promised arrived in the person's DMs (the fake's DM with U12 is D12).
 */
export async function statsAtRate(t: SlackTarget, charts: Charts, o: { rate: number; count: number }) {
  const acks: number[] = [];
  const got = { delivered: [] as number[], skipped: 0, never: 0 };
  const not: NotAnswered = { busy: 0, sorry: 0, none: 0 };
  const waits: Promise<unknown>[] = [];
  const r = await openLoop(
    async (i) => {
      const s = now();
      const sent = await t.driver.command('stats', { user: `U${i % 200}`, userName: `u${i % 200}` });
      acks.push(now() - s);
      if (sent.status !== 200 || (!sent.text && !(await t.replies!.wait(sent.responseId, 15_000)))) {
        not.none++;
        return false;
      }
      if (sent.text) charts.saw(sent.responseId, sent.text);
      const kind = sent.text ? kindOf(sent.text) : (t.replies!.kinds.get(sent.responseId) ?? 'ok');
      if (kind !== 'ok') {
        not[kind]++;
        return false;
      }
      if (!charts.follows.has(sent.responseId)) got.skipped++;
      else waits.push(charts.wait(`D${i % 200}`, 30_000).then((ok) => (ok ? got.delivered.push(now() - s) : got.never++)));
      return true;
    },
    { rate: o.rate, count: o.count, maxMs: (o.count / o.rate) * 1000 + 5000, drainMs: 20_000 },
  );
  await Promise.all(waits);
  return { ...r, acks, charts: got, not };
}
