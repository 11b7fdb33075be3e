/**
 * Messages a person's command puts in the channel (a schedule saved, a new mentor, a season, a board, a
 * practice question) go through the outbox like every other channel message; the person is told, in
 * private, whether that post worked, from its first attempt, so nobody reads "Posted!" for a post
 * that failed.
 */
import type { Ctx } from './context.js';
import { send, type Attempt, type Queued } from './outbox.js';
import type { Block, OutMessage } from './messages.js';
import { message } from './messages.js';
import type { Outcome } from './ports.js';

/** What the actor hears once the post's first attempt is known. */
export interface Confirm {
  queued: Queued;
  /** Said when the post went out (or is on its way); nothing when the post speaks for itself. */
  sent?: string;
  /** Said when it failed for good; `reason` is readable ("I'm not in that channel"). */
  failed: (reason: string) => string;
}

/**
 * An Outcome that waits for a post, or has pictures to offer: `settle` turns it into a plain Outcome
 * after the commit. `after` runs then (the stats chart: offered to the bounded drawing from data read in
 * the transaction, so drawing never holds a database connection, and a retried unit never draws twice),
 * and gives the outcome to show, at once: pictures follow it, they never hold it up.
 */
export type FlowOutcome = Outcome & { confirm?: Confirm; after?: () => Outcome };

/** Queues a message for the channel of the command, and answers the actor after its first attempt. */
export async function announce(ctx: Ctx, content: Block[] | OutMessage, said: Omit<Confirm, 'queued'>): Promise<FlowOutcome> {
  const msg = Array.isArray(content) ? message(content) : content;
  const queued = await send(ctx, { teamId: ctx.team.id, channelId: ctx.channel.id }, { kind: 'post', channel: ctx.channel.platform_channel_id, message: msg });
  return { confirm: { queued, ...said } };
}

/** Announces plain text. */
export function announceText(ctx: Ctx, text: string, said: Omit<Confirm, 'queued'>): Promise<FlowOutcome> {
  return announce(ctx, { text, blocks: [{ type: 'text', text }] }, said);
}

// The first attempt runs right after the commit, before the handler returns; this bound only guards
// against an attempt that was never made.
const WAIT_MS = 2_000;

/** Resolves a FlowOutcome's confirmation into what the actor sees. */
export async function settle(out: FlowOutcome): Promise<Outcome> {
  const { after, ...now } = out;
  const { confirm, ...rest } = after ? { ...now, ...after() } : now;
  if (!confirm) return rest;
  let timer: NodeJS.Timeout | undefined;
  const attempt = await Promise.race<Attempt>([
    confirm.queued.attempt,
    new Promise<Attempt>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'queued' }), WAIT_MS);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  const say = (text: string): Outcome => ({ ...rest, reply: { text, visibility: 'ephemeral' } });
  switch (attempt.status) {
    case 'sent':
    case 'queued':
      return confirm.sent ? say(confirm.sent) : rest;
    case 'retrying':
      return say("I couldn't post it in the channel just now; I'll keep trying for a few minutes.");
    case 'failed':
      return say(confirm.failed(attempt.reason));
    default: {
      const never: never = attempt;
      throw new Error(`unknown attempt ${JSON.stringify(never)}`);
    }
  }
}

/** A reply only the actor sees. */
export function ephemeral(text: string, blocks?: Block[]): Outcome {
  return { reply: { text, visibility: 'ephemeral', ...(blocks ? { blocks } : {}) } };
}
