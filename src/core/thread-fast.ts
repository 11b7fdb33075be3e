/**
 * The fast path of a thread answer (issue 13): a member's first message in the thread of an open round
 * is stored in one statement shared with the answers arriving at the same moment (group commit), with
 * its event receipt, and acknowledged with ✅ after that statement committed; no transaction of its own,
 * no lookups first. Which round a thread belongs to is a hint this process learned on the full path; the
 * statement checks it against the database (repos/thread-answers.ts), so two instances, a round closed
 * by another one, or a member renamed meanwhile never give a wrong answer: such a message, and anything
 * that is not a plain first answer, takes the full path (dojo.ts), as does every message when the
 * statement fails (an outage then fails there too, and Slack retries).
 */
import { recordFirstAnswers, roundHint, setRoundHint, type ThreadAnswerItem, type ThreadAnswerResult } from '../db/repos/thread-answers.js';
import { fillMemberNames, teamKey } from '../db/repos/tenancy.js';
import type { Round } from '../db/repos/types.js';
import type { Deps } from './context.js';
import { GroupCommit } from './group-commit.js';
import type { InboundEvent, Outcome, TeamRef, UserRef } from './ports.js';

/** As onThreadMessage keeps it (answers.ts). */
const MAX_ANSWER = 20_000;
/** A batch this size is one statement of about a megabyte at most with long answers. */
const MAX_BATCH = 64;
/** Batches in flight (each holds one pooled connection of ten for a few milliseconds). */
const MAX_RUNNING = 2;

type Message = Extract<InboundEvent, { type: 'message' }>;

export interface ThreadFastPath {
  /** The Outcome when the fast path settled the message (stored, or a replay); undefined: take the full path. */
  tryRecord(event: InboundEvent): Promise<Outcome | undefined>;
  /** The full path found (or did not find) the round of a message's thread: remembered after the commit. */
  learned(event: InboundEvent, round: Round | undefined, afterCommit: (fn: () => void) => void): void;
  /** Dojo.nameMember: the names of new answerers, filled in batches too. */
  nameMember(team: TeamRef, user: UserRef): Promise<void>;
}

export function threadFastPath(deps: Deps): ThreadFastPath {
  const batcher = new GroupCommit<ThreadAnswerItem, ThreadAnswerResult>((items) => recordFirstAnswers(deps.db, items), {
    maxBatch: MAX_BATCH,
    maxRunning: MAX_RUNNING,
    keys: (x) => [`d\n${x.deliveryId}`, `m\n${x.teamId}\n${x.userId}`, `p\n${x.messageRef}`],
  });

  type Name = { teamId: string; userId: string; name: string };
  const names = new GroupCommit<Name, void>(async (items) => {
    await fillMemberNames(deps.db, items);
    return items.map(() => undefined);
  }, { maxBatch: MAX_BATCH, maxRunning: 1, keys: (n) => [`${n.teamId}\n${n.userId}`] });

  return {
    nameMember: (team, user) => names.submit({ teamId: teamKey(team.platform, team.id), userId: user.id, name: user.name }),
    async tryRecord(event) {
      if (event.type !== 'message' || !event.deliveryId) return undefined;
      const teamId = teamKey(event.team.platform, event.team.id);
      const roundId = roundHint(deps.db, teamId, event.thread);
      if (roundId === undefined) return undefined;
      let result: ThreadAnswerResult;
      try {
        result = await batcher.submit(item(event, teamId, roundId, deps.clock.now()));
      } catch (error) {
        deps.log.warn({ err: error, deliveryId: event.deliveryId }, 'the batched answer statement failed; taking the full path');
        return undefined;
      }
      if (result === 'other') return undefined;
      if (result === 'duplicate') return { duplicate: true };
      react(deps, event);
      return {};
    },
    learned(event, round, afterCommit) {
      if (event.type !== 'message') return;
      const teamId = teamKey(event.team.platform, event.team.id);
      // Only rounds found by their own thread ref, and only while they take answers, are worth a hint.
      const open = round && round.thread_ref === event.thread && round.status !== 'closed' && !round.blind && deps.clock.now() < round.closes_at;
      afterCommit(() => setRoundHint(deps.db, teamId, event.thread, open ? round.id : undefined));
    },
  };
}

function item(event: Message, teamId: string, roundId: number, at: Date): ThreadAnswerItem {
  return {
    platform: event.team.platform,
    deliveryId: event.deliveryId!,
    teamId,
    userId: event.user.id,
    userName: event.user.name,
    platformAdmin: event.user.isPlatformAdmin,
    threadRef: event.thread,
    roundId,
    messageRef: event.message,
    body: event.text.slice(0, MAX_ANSWER),
    at,
  };
}

/** ✅ after the commit, best effort, as on the full path (answers.ts: acknowledge). */
function react(deps: Deps, event: Message): void {
  const { chat, log } = deps;
  chat.react?.({ platform: event.team.platform, id: event.team.id, ...(event.team.name ? { name: event.team.name } : {}) }, event.message, 'recorded').catch((error: unknown) =>
    log.info({ err: error }, 'could not add a reaction to an answer'),
  );
}
