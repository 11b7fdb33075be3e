/**
 * Chat posts decided inside a transaction. Each is written to the outbox with the transaction and sent
 * right after the commit; one that fails is retried by the tick with backoff, and one that fails for
 * good (the bot was removed from the channel) pauses the schedule behind it and tells the admins.
 *
 * A claim carries an owner token and a lease that is extended while the chat call runs; the result
 * (status, the round's refs and thread) is saved in one transaction that checks the token, so a stale
 * owner changes nothing. Every send carries the row's idempotency key: where the platform honours it
 * (Discord's nonce), a retry after a crash returns the first message; where it does not (Slack), every
 * thread a round was posted under is remembered, so an answer in either one counts once.
 */
import { randomUUID } from 'node:crypto';
import { claimOutbox, extendOutboxLease, finishOutbox, finishPosted, insertClaimedOutbox } from '../db/repos/outbox.js';
import { recordPostedThread, refsOf, setQuizRefs, setRoundRefs } from '../db/repos/rounds.js';
import { saveDecisionCard } from '../db/repos/questions.js';
import { unitOfWork } from '../db/tx.js';
import type { OutboxEntry } from '../db/repos/types.js';
import { correlationId } from './correlation.js';
import type { Deps, Work } from './context.js';
import { teamRefOf } from './context.js';
import { friendly, onPermanentFailure } from './outbox-failure.js';
import { outgoingSchema, stored } from './outbox-schema.js';
import type { OutMessage } from './messages.js';
import { ChatError, type Posted } from './ports.js';
import { laneOf, senderOf, stillOurs, taskOf, teamOf } from './outbox-lanes.js';
import { markRoundPosted, markSent } from './outbox-marks.js';

export type Target = { thread: string } | { roundId: number } | { quizId: number };

/** A chat call queued in the outbox: a post, a reply in a thread, an edit, or a direct message. */
export type Outgoing =
  | { kind: 'post'; channel: string; message: OutMessage; thread?: { name: string }; link?: { roundId?: number; quizId?: number } }
  | { kind: 'reply'; to: Target; message: OutMessage }
  | { kind: 'update'; to: { message: string } | { roundId: number }; message: OutMessage }
  /** `link.questionId`: a team question's Approve/Reject card, kept so it can show the decision later. */
  | { kind: 'dm'; userId: string; message: OutMessage; link?: { questionId: number } };

/** How the first attempt at an outgoing message went, for the person who asked for it. */
export type Attempt =
  | { status: 'sent' }
  /** Failed for good (the bot is not in the channel, lacks a permission): `reason` is for people. */
  | { status: 'failed'; code: string; reason: string }
  /** Failed for now; the tick tries again. */
  | { status: 'retrying'; reason: string }
  /** Not attempted here (another instance holds it, or it waits for the message it replies to). */
  | { status: 'queued' };

/** A queued outgoing message: its outbox id, and its first attempt (settled once the commit's effects ran). */
export interface Queued {
  id: number;
  attempt: Promise<Attempt>;
}

export const MAX_ATTEMPTS = 5;
/** A claim's lease; the sender extends it every third of it while the chat call runs. */
export const LEASE_MS = 60_000;
const NOT_READY_MS = 5_000;
const MAX_WAITS = 10;

export interface Origin {
  teamId: string;
  channelId?: number | null;
  scheduleId?: number | null;
  roundId?: number | null;
}

/** Queues a chat post in the current transaction; it is sent after the commit. */
export async function send(work: Work, origin: Origin, outgoing: Outgoing): Promise<Queued> {
  const row = {
    team_id: origin.teamId,
    channel_id: origin.channelId ?? null,
    schedule_id: origin.scheduleId ?? null,
    round_id: origin.roundId ?? null,
    payload: stored(outgoing),
    now: work.now,
    correlation_id: correlationId() ?? null,
  };
  // Inserted already claimed by this instance (no claim of its own after the commit); in a closing unit (tx.ts), by its closing statement.
  const claim = { owner: randomUUID(), leaseMs: LEASE_MS };
  const claimedAt = Date.now();
  const closing = work.tx.closing;
  const inserted = closing ? closing.outbox({ ...row, ...claim }) : insertClaimedOutbox(work.trx, row, claim);
  let settle: (a: Attempt) => void = () => {};
  const queued: Queued = { id: closing ? 0 : (await inserted).id, attempt: new Promise<Attempt>((resolve) => (settle = resolve)) };
  const first = async () => {
    try {
      const entry = await inserted;
      queued.id = entry.id;
      settle((await stillOurs(work.deps, entry, claimedAt, LEASE_MS)) ? await sendOne(work.deps, entry, outgoing) : { status: 'queued' });
    } finally {
      // The row stays pending for the tick when this attempt broke off.
      settle({ status: 'queued' });
    }
  };
  const sender = work.sender;
  // The tick hands its posts to the paced sender (in parallel across channels); a person's event sends at once.
  work.tx.afterCommit(sender ? () => sender.enqueue(taskOf(work.deps, origin.teamId, laneOf(origin.teamId, origin.channelId, outgoing), first)) : first);
  return queued;
}

/**
 * Sends every due outbox entry (the tick's job) through the paced sender, claiming no more than it can
 * start soon; a row that waited in its lane longer than a third of its lease extends the lease first
 * and is skipped if another owner took it meanwhile. Returns how many were sent.
 */
export async function sendOutbox(deps: Deps): Promise<number> {
  const sender = senderOf(deps);
  let sent = 0;
  for (let round = 0; round < 200; round++) {
    const claimedAt = Date.now();
    const claimed = await claimOutbox(deps.db, deps.clock.now(), LEASE_MS, randomUUID());
    for (const row of claimed) {
      const read = readPayload(row);
      // An unreadable row goes in a lane of its own team; sendOne marks it failed.
      sender.enqueue(
        taskOf(deps, row.team_id, read.success ? laneOf(row.team_id, row.channel_id, read.data) : `${row.team_id}:?`, async () => {
          if (!(await stillOurs(deps, row, claimedAt, LEASE_MS))) return;
          if ((await sendOne(deps, row, read.success ? read.data : undefined)).status === 'sent') sent++;
        }),
      );
    }
    await sender.idle();
    if (claimed.length === 0) break;
  }
  return sent;
}

class NotReady extends Error {}

/** The row's idempotency key: short (Discord's nonce takes 25 characters) and unique per row. */
export function keyOf(row: Pick<OutboxEntry, 'id' | 'created_at'>): string {
  return `o${row.id}.${row.created_at.getTime().toString(36)}`;
}

/** The row's payload, checked (outbox-schema.ts). */
const readPayload = (row: OutboxEntry) => outgoingSchema.safeParse(row.payload);

async function sendOne(deps: Deps, row: OutboxEntry, queued?: Outgoing): Promise<Attempt> {
  const owner = row.owner!;
  // A payload read already (the tick's) or queued by this process (the first attempt) needs no reading back.
  const read = queued ? ({ success: true, data: queued } as const) : readPayload(row);
  if (!read.success) {
    // Unreadable (an older version's row, a hand edit): failed for good, never a crash of the sender.
    const issue = read.error.issues[0];
    const reason = `unreadable payload: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') || 'the top'}`;
    deps.log.error({ outbox: row.id, reason }, 'an outbox row could not be read; marked failed');
    await finishOutbox(deps.db, row.id, owner, { status: 'failed', error: reason });
    return { status: 'failed', code: 'payload_invalid', reason: 'the message could not be read' };
  }
  const outgoing = read.data;
  const team = await teamOf(deps, row.team_id);
  if (!team) {
    await finishOutbox(deps.db, row.id, owner, { status: 'failed', error: 'team is gone' });
    return { status: 'failed', code: 'team_gone', reason: 'the team is gone' };
  }
  const ref = teamRefOf(team);
  const key = keyOf(row);
  // Claimed before: an earlier owner may have posted it and died before saving that.
  const retry = row.claims > 1;
  let posted: Posted | undefined;
  const heartbeat = setInterval(() => {
    extendOutboxLease(deps.db, row.id, owner, new Date(deps.clock.now().getTime() + LEASE_MS)).catch((err: unknown) => deps.log.warn({ err, outbox: row.id }, 'could not extend an outbox lease'));
  }, LEASE_MS / 3);
  heartbeat.unref();
  try {
    switch (outgoing.kind) {
      case 'post':
        posted = await deps.chat.post(ref, outgoing.channel, outgoing.message, { ...(outgoing.thread ? { thread: outgoing.thread } : {}), key, retry });
        break;
      case 'reply': {
        const thread = 'thread' in outgoing.to ? outgoing.to.thread : (await refsOf(deps.db, outgoing.to))?.thread;
        if (!thread) throw new NotReady();
        await deps.chat.reply(ref, thread, outgoing.message, { key, retry });
        break;
      }
      case 'update': {
        const target = 'message' in outgoing.to ? outgoing.to.message : (await refsOf(deps.db, outgoing.to))?.message;
        if (!target) throw new NotReady();
        await deps.chat.update(ref, target, outgoing.message);
        break;
      }
      case 'dm': {
        const sent = await deps.chat.dm(ref, outgoing.userId, outgoing.message, { key, retry });
        if (sent && outgoing.link?.questionId) await saveDecisionCard(deps.db, row.team_id, outgoing.link.questionId, sent);
        break;
      }
      default: {
        const never: never = outgoing;
        throw new Error(`unknown outgoing message ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    clearInterval(heartbeat);
    return failed(deps, row, outgoing, error);
  }
  clearInterval(heartbeat);
  const link = outgoing.kind === 'post' ? outgoing.link : undefined;
  if (!(link?.roundId && link.quizId)) {
    // One statement: the thread remembered, the row marked sent and the refs saved (if still ours); a post
    // linked to nothing (a board) is marked with the others finishing now.
    if (!link?.roundId && !link?.quizId) await markSent(deps, row.id, owner);
    else if (link.roundId && posted) await markRoundPosted(deps, row.id, owner, { teamId: row.team_id, roundId: link.roundId, message: posted.message, thread: posted.thread, at: deps.clock.now() });
    else await finishPosted(deps.db, { id: row.id, owner, team_id: row.team_id }, posted && { ...posted, at: deps.clock.now() }, link);
    return { status: 'sent' };
  }
  await unitOfWork(deps.db, async (trx) => {
    if (posted) {
      // Whoever posted it, the thread exists now: remember it, so answers there count.
      const thread = { team_id: row.team_id, thread_ref: posted.thread, message_ref: posted.message, posted_at: deps.clock.now() };
      await recordPostedThread(trx, { ...thread, round_id: link.roundId });
      await recordPostedThread(trx, { ...thread, quiz_id: link.quizId });
    }
    // A stale owner (its lease ran out and another took the row) changes nothing else.
    if (!(await finishOutbox(trx, row.id, owner, { status: 'sent', error: null }))) return;
    if (posted) await setRoundRefs(trx, link.roundId!, posted.message, posted.thread);
    if (posted) await setQuizRefs(trx, link.quizId!, posted.message, posted.thread);
  });
  return { status: 'sent' };
}

async function failed(deps: Deps, row: OutboxEntry, outgoing: Outgoing, error: unknown): Promise<Attempt> {
  const owner = row.owner!;
  const now = deps.clock.now();
  if (error instanceof NotReady) {
    // Waiting for the message it depends on (a thread still being posted): wait longer each time,
    // and give up after about an hour, when that message has clearly failed for good.
    const waits = row.attempts + 1;
    if (waits > MAX_WAITS) {
      await finishOutbox(deps.db, row.id, owner, { status: 'failed', attempts: waits, error: 'the message it replies to was never posted' });
      return { status: 'failed', code: 'not_posted', reason: 'the message it replies to was never posted' };
    }
    await finishOutbox(deps.db, row.id, owner, { status: 'pending', attempts: waits, nextAttemptAt: new Date(now.getTime() + Math.min(NOT_READY_MS * 2 ** (waits - 1), 15 * 60_000)) });
    return { status: 'queued' };
  }
  const attempts = row.attempts + 1;
  const permanent = error instanceof ChatError && error.permanent;
  const code = error instanceof ChatError ? error.code : 'error';
  const reason = error instanceof Error ? `${code}: ${error.message}` : String(error);
  deps.log.warn({ outbox: row.id, attempts, permanent, err: reason }, 'chat delivery failed');
  if (permanent || attempts >= MAX_ATTEMPTS) {
    await unitOfWork(deps.db, async (trx, tx) => {
      if (!(await finishOutbox(trx, row.id, owner, { status: 'failed', attempts, error: reason }))) return;
      await onPermanentFailure({ deps, trx, tx, now }, row, outgoing, reason);
    });
    return { status: 'failed', code, reason: friendly(reason) };
  }
  // 30 s, 1 min, 2 min, 4 min: long enough for a platform hiccup to pass.
  const backoff = 30_000 * 2 ** (attempts - 1);
  await finishOutbox(deps.db, row.id, owner, { status: 'pending', attempts, nextAttemptAt: new Date(now.getTime() + backoff), error: reason });
  return { status: 'retrying', reason: friendly(reason) };
}
