/**
 * The core's front door: each inbound event is handled in one transaction (its event receipt recorded
 * with its effect, so a replay changes nothing), for a team, member and channel created on first
 * sight, then routed to its flow (router.ts, where each command's role is checked). Chat posts follow
 * the commit (outbox.ts).
 */
import { Drawing } from '../charts/drawing.js';
import { teamTopics } from '../db/repos/questions.js';
import { ensureMember, ensureTeam, setRole, teamKey } from '../db/repos/tenancy.js';
import { cachedTenancy, confirmTenancy, resolveTenancy } from '../db/repos/tenancy-cache.js';
import type { Role } from '../db/repos/types.js';
import { closingUnit, unitOfWork } from '../db/tx.js';
import type { Ctx, Deps } from './context.js';
import { effectiveRole, teamRefOf } from './context.js';
import type { Block } from './messages.js';
import type { Dojo, InboundEvent, Outcome, TeamRef, UserRef } from './ports.js';
import { ephemeral, settle, type FlowOutcome } from './announce.js';
import { DojoBug, runUnit } from './unit-of-work.js';
import { home } from './home.js';
import { findTarget, route } from './router.js';
import { runTick, nextDueAt, type TickReport } from './tick.js';
import { answerNow, tenancyInput } from './hot-path.js';
import { threadFastPath } from './thread-fast.js';
import { quickChoice } from './quick-choice.js';
import { parseCommand } from './grammar.js';

/**
 * Commands that read and then post or reply, with no write of their own but the outbox: run as a closing
 * unit (tx.ts). `stats` reads one statement and replies in private (its chart is offered after the close).
 */
const READ_THEN_POST = new Set(['leaderboard', 'stats']);

export interface DojoCore extends Dojo {
  /** Runs the due work: questions of the day, closes, quiz steps, seasons, reminders, retries. */
  tick(): Promise<TickReport>;
  /** The earliest time any work becomes due (for the playground's and tests' fake clock). */
  nextDueAt(): Promise<Date | undefined>;
  /** Sets a member's stored role directly (the playground's `:role`, and setup scripts). */
  setRole(team: TeamRef, user: UserRef, role: Role): Promise<void>;
  /** The App Home view of a member: stats, the board, and for admins the schedules. */
  home(team: TeamRef, user: UserRef): Promise<Block[]>;
  readonly deps: Deps;
}

export function createDojo(input: Omit<Deps, 'random' | 'defaultTimezone' | 'drawing'> & Partial<Pick<Deps, 'random' | 'defaultTimezone' | 'drawing'>>): DojoCore {
  const deps: Deps = { random: Math.random, defaultTimezone: 'UTC', drawing: new Drawing(), ...input };
  const fast = threadFastPath(deps);

  async function within<T>(fn: (ctx: Omit<Ctx, 'event' | 'team' | 'teamRef' | 'member' | 'role' | 'channel'>) => Promise<T>, context: Record<string, unknown> = {}): Promise<T> {
    return runUnit(
      deps.log,
      () =>
      unitOfWork(deps.db, (trx, tx) => fn({ deps, trx, tx, now: deps.clock.now() }), {
        onEffectError: (error) => deps.log.error({ err: error }, 'after-commit effect failed'),
      }),
      context,
    );
  }

  async function handle(event: InboundEvent): Promise<Outcome> {
    if (event.user.isBot) return {};
    try {
      // A first answer in a known round's thread: one batched statement, no transaction of its own
      // (thread-fast.ts); a choice click of a known member: one statement, no transaction (quick-choice.ts).
      const quick = event.type === 'message' ? await fast.tryRecord(event) : await quickChoice(deps, event);
      if (quick) return quick;
      return await settle(await handleOnce(event));
    } catch (error) {
      // A bug answers the person with a reference (and 2xx: a retried delivery would fail the same way).
      if (error instanceof DojoBug) return ephemeral(error.userMessage);
      throw error;
    }
  }

  async function handleOnce(event: InboundEvent): Promise<FlowOutcome> {
    if (event.type === 'command') {
      const parsed = event.parsed ?? parseCommand(event.text);
      if (parsed.ok && READ_THEN_POST.has(parsed.intent.cmd)) return readThenPost({ ...event, parsed });
    }
    return within(async (work): Promise<FlowOutcome> => {
      // Ordinary chatter (threads that are not open-question rounds) costs one indexed read and writes nothing.
      const target = await findTarget(work.trx, event);
      fast.learned(event, target?.round, work.tx.afterCommit);
      if (!target) return {};
      // The event receipt, team, member and channel: one statement, or a version check of cached rows.
      const { fresh, team, member, channel } = await resolveTenancy(deps.db, work.trx, tenancyInput(event, deps.defaultTimezone, work.now), work.tx.afterCommit);
      if (!fresh) return { duplicate: true };
      const ctx: Ctx = { ...work, event, team, teamRef: teamRefOf(team), member, role: effectiveRole(member, team, event.user.roleIds), channel };
      return route(ctx, target);
    }, { deliveryId: event.deliveryId, event: event.type, team: event.team.id });
  }

  /**
   * A command that reads, then posts: no transaction; its receipt and posts are written in one statement at
   * its end. On cached rows the tenancy_version check moves into that statement too (nothing is written if
   * it changed meanwhile, and the command runs again on rows read afresh).
   */
  async function readThenPost(event: Extract<InboundEvent, { type: 'command' }>): Promise<FlowOutcome> {
    const now = deps.clock.now();
    const receipt = event.deliveryId ? { platform: event.team.platform, deliveryId: event.deliveryId, now } : undefined;
    // The receipt is the closing statement's, not the tenancy statement's.
    const input = tenancyInput({ ...event, deliveryId: undefined }, deps.defaultTimezone, now);
    const unit = async (memory: boolean) => {
      const hit = memory ? cachedTenancy(deps.db, input) : undefined;
      const expect = hit && { teamId: hit.team.id, version: hit.team.tenancy_version };
      const checkedAt = performance.now();
      const closed = await closingUnit(
        deps.db,
        { ...(receipt ? { receipt } : {}), ...(expect ? { expect } : {}) },
        async (handle, tx): Promise<FlowOutcome> => {
          const { team, member, channel } = hit ?? (await resolveTenancy(deps.db, handle, input, tx.afterCommit));
          const ctx: Ctx = { deps, trx: handle, tx, now, event, team, teamRef: teamRefOf(team), member, role: effectiveRole(member, team, event.user.roleIds), channel };
          return route(ctx, {});
        },
        { onEffectError: (error) => deps.log.error({ err: error }, 'after-commit effect failed') },
      );
      if (hit && closed.current) confirmTenancy(deps.db, hit.team, checkedAt);
      return closed;
    };
    const context = { deliveryId: event.deliveryId, event: event.type, team: event.team.id };
    const closed = await runUnit(deps.log, async () => {
      const first = await unit(true);
      return first.current ? first : unit(false);
    }, context);
    return closed.fresh ? closed.result : { duplicate: true };
  }

  return {
    deps,
    handle,
    answerNow: (event) => answerNow(deps, event),
    nameMember: (team, user) => fast.nameMember(team, user),
    teamTopics: (team) => teamTopics(deps.db, teamKey(team.platform, team.id)),
    tick: () => runTick(deps),
    nextDueAt: () => nextDueAt(deps.db, deps.clock.now()),
    setRole: (team, user, role) =>
      within(async (work) => {
        const t = await ensureTeam(work.trx, team.platform, team.id, team.name ?? '', deps.defaultTimezone);
        const m = await ensureMember(work.trx, t.id, user.id, user.name, user.isPlatformAdmin);
        await setRole(work.trx, t.id, m.id, role);
      }),
    home: (team, user) =>
      within(async (work) => {
        const t = await ensureTeam(work.trx, team.platform, team.id, team.name ?? '', deps.defaultTimezone);
        const m = await ensureMember(work.trx, t.id, user.id, user.name, user.isPlatformAdmin);
        return home(work.trx, t, m, effectiveRole(m, t, user.roleIds), work.now);
      }),
  };
}
