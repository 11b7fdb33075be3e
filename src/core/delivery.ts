/**
 * Chat posts decided inside a transaction. Each is written to the outbox with the transaction and sent
 * right after the commit; one that fails is retried by the tick with backoff, and one that fails for
 * good (the bot was removed from the channel) pauses the schedule behind it and tells the admins.
 */
import { claimOutbox, insertOutbox, markOutbox } from '../db/repos/outbox.js';
import { saveDecisionCard } from '../db/repos/questions.js';
import { refsOf, setRoundRefs, setQuizRefs } from '../db/repos/rounds.js';
import { findTeam, membersWithRole } from '../db/repos/tenancy.js';
import { pauseSchedule } from '../db/repos/schedules.js';
import { transaction } from '../db/tx.js';
import type { OutboxRow } from '../db/schema/outbox.js';
import type { Deps, Work } from './context.js';
import { teamRefOf } from './context.js';
import { message, type OutMessage } from './messages.js';
import { ChatError } from './ports.js';

export type Target = { thread: string } | { roundId: number } | { quizId: number };

export type Delivery =
  | { kind: 'post'; channel: string; message: OutMessage; thread?: { name: string }; link?: { roundId?: number; quizId?: number } }
  | { kind: 'reply'; to: Target; message: OutMessage }
  | { kind: 'update'; to: { message: string } | { roundId: number }; message: OutMessage }
  /** `link.questionId`: a team question's Approve/Reject card, kept so it can show the decision later. */
  | { kind: 'dm'; userId: string; message: OutMessage; link?: { questionId: number } };

export const MAX_ATTEMPTS = 5;
const LEASE_MS = 60_000;
const NOT_READY_MS = 5_000;
const MAX_WAITS = 10;

export interface Origin {
  teamId: string;
  channelId?: number | null;
  scheduleId?: number | null;
  roundId?: number | null;
}

/** Queues a chat post in the current transaction; it is sent after the commit. */
export async function send(work: Work, origin: Origin, delivery: Delivery): Promise<void> {
  const id = await insertOutbox(work.trx, {
    team_id: origin.teamId,
    channel_id: origin.channelId ?? null,
    schedule_id: origin.scheduleId ?? null,
    round_id: origin.roundId ?? null,
    payload: delivery,
    now: work.now,
  });
  work.tx.afterCommit(async () => {
    await deliverOutbox(work.deps, { id });
  });
}

/** Sends due outbox entries (one by id after a commit, or every due one from the tick). */
export async function deliverOutbox(deps: Deps, options: { id?: number } = {}): Promise<number> {
  const claimed = await claimOutbox(deps.db, deps.clock.now(), LEASE_MS, options);
  let sent = 0;
  for (const row of claimed) {
    if (await deliverOne(deps, row)) sent++;
  }
  return sent;
}

class NotReady extends Error {}

async function deliverOne(deps: Deps, row: OutboxRow): Promise<boolean> {
  const team = await findTeam(deps.db, row.team_id);
  if (!team) {
    await markOutbox(deps.db, row.id, { status: 'failed', error: 'team is gone' });
    return false;
  }
  const ref = teamRefOf(team);
  const delivery = row.payload as Delivery;
  try {
    switch (delivery.kind) {
      case 'post': {
        const posted = await deps.chat.post(ref, delivery.channel, delivery.message, delivery.thread ? { thread: delivery.thread } : undefined);
        if (delivery.link?.roundId) await setRoundRefs(deps.db, delivery.link.roundId, posted.message, posted.thread);
        if (delivery.link?.quizId) await setQuizRefs(deps.db, delivery.link.quizId, posted.message, posted.thread);
        break;
      }
      case 'reply': {
        const thread = 'thread' in delivery.to ? delivery.to.thread : (await refsOf(deps.db, delivery.to))?.thread;
        if (!thread) throw new NotReady();
        await deps.chat.reply(ref, thread, delivery.message);
        break;
      }
      case 'update': {
        const target = 'message' in delivery.to ? delivery.to.message : (await refsOf(deps.db, delivery.to))?.message;
        if (!target) throw new NotReady();
        await deps.chat.update(ref, target, delivery.message);
        break;
      }
      case 'dm': {
        const sent = await deps.chat.dm(ref, delivery.userId, delivery.message);
        if (sent && delivery.link?.questionId) await saveDecisionCard(deps.db, row.team_id, delivery.link.questionId, sent);
        break;
      }
      default: {
        const never: never = delivery;
        throw new Error(`unknown delivery ${JSON.stringify(never)}`);
      }
    }
    await markOutbox(deps.db, row.id, { status: 'sent', error: null });
    return true;
  } catch (error) {
    const now = deps.clock.now();
    if (error instanceof NotReady) {
      // Waiting for the message it depends on (a thread still being posted): wait longer each time,
      // and give up after about an hour, when that message has clearly failed for good.
      const waits = row.attempts + 1;
      if (waits > MAX_WAITS) {
        await markOutbox(deps.db, row.id, { status: 'failed', attempts: waits, error: 'the message it replies to was never posted' });
        return false;
      }
      await markOutbox(deps.db, row.id, { status: 'pending', attempts: waits, nextAttemptAt: new Date(now.getTime() + Math.min(NOT_READY_MS * 2 ** (waits - 1), 15 * 60_000)) });
      return false;
    }
    const attempts = row.attempts + 1;
    const permanent = error instanceof ChatError && error.permanent;
    const reason = error instanceof Error ? `${(error as ChatError).code ?? 'error'}: ${error.message}` : String(error);
    deps.log.warn({ outbox: row.id, attempts, permanent, err: reason }, 'chat delivery failed');
    if (permanent || attempts >= MAX_ATTEMPTS) {
      await markOutbox(deps.db, row.id, { status: 'failed', attempts, error: reason });
      if (row.schedule_id !== null && delivery.kind !== 'dm') await pauseForFailure(deps, row, reason);
      return false;
    }
    // 30 s, 1 min, 2 min, 4 min: long enough for a platform hiccup to pass.
    const backoff = 30_000 * 2 ** (attempts - 1);
    await markOutbox(deps.db, row.id, { status: 'pending', attempts, nextAttemptAt: new Date(now.getTime() + backoff), error: reason });
    return false;
  }
}

async function pauseForFailure(deps: Deps, row: OutboxRow, reason: string): Promise<void> {
  await transaction(deps.db, async (trx, tx) => {
    const paused = await pauseSchedule(trx, row.schedule_id!, `posting failed: ${friendly(reason)}`, deps.clock.now(), reason);
    if (!paused) return;
    const admins = await membersWithRole(trx, row.team_id, ['admin']);
    const work: Work = { deps, trx, tx, now: deps.clock.now() };
    const text = `I couldn't post the question of the day in <#${paused.channel}> (${friendly(reason)}), so I paused its schedule. Add me back to the channel, then run /dojo schedule set there to resume.`;
    for (const admin of admins) {
      await send(work, { teamId: row.team_id }, { kind: 'dm', userId: admin.platform_user_id, message: message([{ type: 'text', text: text.replace(`<#${paused.channel}>`, `#${paused.channelName || paused.channel}`) }]) });
    }
  });
}

function friendly(reason: string): string {
  if (reason.startsWith('not_in_channel')) return "I'm not in that channel";
  if (reason.startsWith('channel_not_found')) return 'the channel is gone';
  if (reason.startsWith('archived')) return 'the channel is archived';
  if (reason.startsWith('missing_permissions')) return "I'm missing permissions there";
  return 'it kept failing';
}
