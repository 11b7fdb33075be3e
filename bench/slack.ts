/**
 * Slack over signed HTTP against the fake Web API: commands handled (reply delivered) in a closed loop,
 * reply latency at a fixed offered rate, and thread answers with retried deliveries.
 */
import type { SlackDriver } from '../test/fakes/slack/driver.js';
import type { FakeSlack } from '../test/fakes/slack/server.js';
import { closedLoop, now, openLoop, sleep } from './lib/util.js';

export const TEAM = 'T0001';

/** Resolves when the reply for a response_url id arrives (the fake records it; we get told at once). */
export class Replies {
  private readonly waiting = new Map<string, () => void>();
  private readonly seen = new Set<string>();
  /** What each response_url reply said, in short: a normal answer, busy, or an outage apology. */
  readonly kinds = new Map<string, Answer>();
  readonly reactions = new Map<string, number>();
  /** When the latest ✅ came (now()): a run's rate ends there, not at the end of a wait for ✅s that never come. */
  lastReactionAt = 0;
  private reactionWaiters = new Map<string, () => void>();
  constructor(fake: FakeSlack) {
    const push = fake.responses.push.bind(fake.responses);
    fake.responses.push = (...items) => {
      for (const item of items) {
        this.seen.add(item.id);
        this.kinds.set(item.id, kindOf(String(item.body.text ?? '')));
        this.waiting.get(item.id)?.();
      }
      // Keep memory flat: the bench needs only the notification.
      return push();
    };
    const calls = fake.calls.push.bind(fake.calls);
    fake.calls.push = (...items) => {
      for (const c of items) {
        if (c.method !== 'reactions.add') continue;
        const ts = String(c.args.timestamp);
        this.reactions.set(ts, (this.reactions.get(ts) ?? 0) + 1);
        this.lastReactionAt = now();
        this.reactionWaiters.get(ts)?.();
      }
      return calls(...items.filter((c) => c.method !== 'reactions.add' && c.method !== 'users.info'));
    };
  }

  wait(id: string, timeoutMs: number): Promise<boolean> {
    if (this.seen.has(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(true);
      });
    });
  }
}

export interface SlackTarget {
  driver: SlackDriver;
  replies?: Replies;
  /** The bare Bolt floor answers in the ack; the product replies there too within its answer budget, else through response_url. */
  inAck: boolean;
  /** Sees every answer that came in an ack (the stats chart counter). */
  onAck?: (responseId: string, text: string) => void;
}

export type Answer = 'ok' | 'busy' | 'sorry' | 'none';
export const kindOf = (text: string): Answer => (/busy right now/.test(text) ? 'busy' : /can't reach my database|something went wrong/.test(text) ? 'sorry' : 'ok');

/** Acks answered within Slack's 3 seconds (any 200), and all commands sent. */
export interface AckCount {
  sent: number;
  acked: number;
}

/**
 * One `/dojo <text>` and what the person got: a normal answer (in the ack, or through response_url), a
 * busy reply, an apology, or nothing within 15 s. Also records the ack time.
 */
export async function answer(t: SlackTarget, text: string, user: string, acks?: number[], count?: AckCount): Promise<Answer> {
  const s = now();
  const sent = await t.driver.command(text, { user, userName: user.toLowerCase() });
  const ackMs = now() - s;
  acks?.push(ackMs);
  if (count) {
    count.sent++;
    if (sent.status === 200 && ackMs < 3000) count.acked++;
  }
  if (sent.status !== 200) return 'none';
  // The floor answers help in its ack; the product answers help there too once it knows the member.
  if (sent.text) {
    t.onAck?.(sent.responseId, sent.text);
    return kindOf(sent.text);
  }
  if (t.inAck) return 'none';
  // Past the answer budget the answer follows through response_url (the board too, in_channel).
  if (!(await t.replies!.wait(sent.responseId, 15_000))) return 'none';
  return t.replies!.kinds.get(sent.responseId) ?? 'ok';
}

/** One `/dojo <text>`: true once the normal reply is delivered. */
export async function command(t: SlackTarget, text: string, user: string, acks?: number[]): Promise<boolean> {
  return (await answer(t, text, user, acks)) === 'ok';
}

/** `text` from members U0–U199 in turn (from U`from`), 10 in flight. */
export async function commandsClosedLoop(t: SlackTarget, text: string, o: { count: number; maxMs: number; from?: number }) {
  return closedLoop((i) => command(t, text, `U${(i + (o.from ?? 0)) % 200}`), { count: o.count, inFlight: 10, maxMs: o.maxMs });
}

/** What the commands that got no normal answer got instead: a busy reply (shed politely), an apology, or nothing. */
export type NotAnswered = Record<Exclude<Answer, 'ok'>, number>;

/** "3 busy, 1 nothing" (nothing when every command was answered). */
export const notAnswered = (n: NotAnswered) => (['busy', 'sorry', 'none'] as const).filter((k) => n[k] > 0).map((k) => `${n[k]} ${k === 'sorry' ? 'apologies' : k === 'none' ? 'nothing' : k}`).join(', ');

export async function commandsAtRate(t: SlackTarget, text: string, o: { rate: number; count: number }) {
  const acks: number[] = [];
  const not: NotAnswered = { busy: 0, sorry: 0, none: 0 };
  const r = await openLoop(
    async (i) => {
      const a = await answer(t, text, `U${i % 200}`, acks);
      if (a !== 'ok') not[a]++;
      return a === 'ok';
    },
    { rate: o.rate, count: o.count, maxMs: (o.count / o.rate) * 1000 + 5000, drainMs: 20_000 },
  );
  return { ...r, acks, not };
}

/**
 * Offered load past capacity: `rate` commands a second for `seconds`, open loop. Counts what people got
 * (normal answers, busy replies, apologies, nothing), the acks answered within 3 s, and the highest RSS
 * of `pid` seen meanwhile.
 */
export async function overload(t: SlackTarget, text: string, o: { rate: number; seconds: number; rss: () => number }) {
  const got: Record<Answer, number> = { ok: 0, busy: 0, sorry: 0, none: 0 };
  const count: AckCount = { sent: 0, acked: 0 };
  let peak = o.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, o.rss())), 250);
  try {
    await openLoop(
      async (i) => {
        const a = await answer(t, text, `U${i % 200}`, undefined, count);
        got[a]++;
        return a !== 'none';
      },
      { rate: o.rate, count: Math.round(o.rate * o.seconds), maxMs: o.seconds * 1000 + 5000, drainMs: 30_000 },
    );
  } finally {
    clearInterval(sampler);
  }
  return { got, ...count, peakRss: Math.max(peak, o.rss()) };
}

/** Starts a one-question open quiz (thread replies are answers; `/dojo question` may pick a choice question) and returns its thread ts. */
export async function openRound(t: SlackTarget, fake: FakeSlack, channel: string): Promise<string | undefined> {
  const before = fake.posted({ channel }).length;
  await t.driver.command('quiz kind:open count:1 seconds:600', { user: 'UADMIN', userName: 'admin', channel });
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const posts = fake.posted({ channel }).filter((p) => !p.threadTs);
    if (posts.length > before) return posts.at(-1)!.ts;
    await sleep(50);
  }
  return undefined;
}

/** One bench run of thread answers: what was delivered, the acks, and how many Slack had to send again. */
class AnswerRun {
  readonly acks: number[] = [];
  readonly tsOf: string[] = [];
  busy = 0;
  /** Slack's retry copies (every tenth delivery) answered non-2xx: the copy is sent again by Slack; the answer itself went with the first. */
  copiesRefused = 0;
  readonly start = now();

  constructor(
    private readonly t: SlackTarget,
    private readonly threadTs: string,
    private readonly channel: string,
    private readonly userBase: number,
  ) {}

  /**
   * Member `userBase + i` answers. A non-2xx (a busy bot answers 503) is delivered again a second later,
   * up to 3 times: Slack's 3 retries, squeezed from its 0 s, 1 min and 5 min into 1, 2 and 3 s, so the
   * last try still meets the burst that refused the first (harder on the bot than Slack is). Every tenth
   * delivery is sent again at once as Slack's retry (same event id, x-slack-retry-num). True when the delivery was acknowledged (a refused copy is counted apart).
   */
  async deliver(i: number): Promise<boolean> {
    const { t, channel, threadTs } = this;
    const user = `U${this.userBase + i}`;
    const ts = `${1_950_000_000 + this.userBase + i}.000100`;
    this.tsOf.push(ts);
    const text = `Indexes trade write cost for read speed, answer ${i}.`;
    let s = now();
    let first = await t.driver.threadReply({ channel, user, threadTs, ts, text });
    this.acks.push(now() - s);
    for (let retry = 1; first.status >= 500 && retry <= 3; retry++) {
      this.busy++;
      await sleep(1000);
      first = await t.driver.threadReply({ channel, user, threadTs, ts, text }, { eventId: first.eventId, retryNum: retry });
    }
    if (i % 10 === 0) {
      s = now();
      const again = await t.driver.threadReply({ channel, user, threadTs, ts, text }, { eventId: first.eventId, retryNum: 1 });
      this.acks.push(now() - s);
      if (again.status >= 300) this.copiesRefused++;
    }
    return first.status < 300;
  }

  /** Waits (20 s at most) for every answer's ✅: stored counts them, twice those with more than one. */
  async tally(pollMs: number) {
    const replies = this.t.replies!;
    const until = Date.now() + 20_000;
    while (Date.now() < until && this.tsOf.some((ts) => !replies.reactions.has(ts))) await sleep(pollMs);
    const stored = this.tsOf.filter((ts) => replies.reactions.has(ts)).length;
    // Up to the last ✅ seen: an answer Slack gave up on (never 2xx) gets none, and waiting for it is not the bot's time.
    const elapsed = (stored === this.tsOf.length ? now() : Math.max(replies.lastReactionAt, this.start + 1)) - this.start;
    return { sent: this.tsOf.length, acks: this.acks, busy: this.busy, copiesRefused: this.copiesRefused, stored, lost: this.tsOf.length - stored, twice: this.tsOf.filter((ts) => (replies.reactions.get(ts) ?? 0) > 1).length, perSecond: stored / (elapsed / 1000), elapsed };
  }
}

/**
 * `count` members answer in the thread, 10 deliveries in flight (AnswerRun.deliver). An answer counts as
 * stored when the bot puts its ✅ on it (after the commit); lost = never acknowledged, twice = acknowledged
 * more than once.
 */
export async function threadAnswers(t: SlackTarget, threadTs: string, channel: string, o: { count: number; maxMs: number; userBase: number }) {
  const run = new AnswerRun(t, threadTs, channel, o.userBase);
  const r = await closedLoop((i) => run.deliver(i), { count: o.count, inFlight: 10, maxMs: o.maxMs });
  return { ...(await run.tally(100)), ackFailures: r.failed };
}

/**
 * Thread answers as Slack sends them: `rate` deliveries a second whatever the bot does (open loop), each
 * as AnswerRun.deliver sends it (`busy`: those told busy and sent again). Stored/s is over the time from
 * the first delivery to the last ✅; `tailMs` is how long after the last delivery that ✅ came (to 20 ms).
 */
export async function threadAnswersAtRate(t: SlackTarget, threadTs: string, channel: string, o: { rate: number; count: number; userBase: number }) {
  const run = new AnswerRun(t, threadTs, channel, o.userBase);
  const r = await openLoop((i) => run.deliver(i), { rate: o.rate, count: o.count, maxMs: (o.count / o.rate) * 1000 + 5000, drainMs: 30_000 });
  const tally = await run.tally(20);
  return { ...tally, offered: r.achieved, tailMs: tally.elapsed - (tally.sent / r.achieved) * 1000, nonTwoXx: r.failed };
}
