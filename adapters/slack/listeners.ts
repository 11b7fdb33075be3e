/**
 * Bolt listeners: every command, click and submission is acknowledged within Slack's 3 seconds, whatever
 * the database is doing. A command's work starts at once; when its reply comes within the answer budget
 * it goes in the ack itself (one HTTP answer, nothing sent after it), else the ack goes out empty at the
 * budget and the reply follows through the response_url (views.open or a post for the rest). A command
 * the core answers without its database (help) is answered in the ack at once; past the admission
 * bounds a command hears "busy" in its ack and an event is answered 503 (Slack retries it). Events are the other way round: they are handled
 * before the HTTP answer, so one that could not be stored gets a 500 and Slack sends it again (the core
 * drops the repeat by its event_id).
 */
import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackEventMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { actionOpensModal, commandOpensModal } from '../../src/core/actions.js';
import { asCodedError } from '../../src/core/errors.js';
import type { InboundEvent, Outcome } from '../../src/core/ports.js';
import type { Logger } from '../../src/log.js';
import { BUSY_TEXT, type Admission } from '../../src/admission.js';
import type { z } from 'zod';
import type { ActorReplies, Target } from './show-outcome.js';
import { homeBlocks, publishHome, type SlackDojo } from './home.js';
import { renderMessage } from './render.js';
import { decodeViewMeta, parseBlockAction, parseCommand, parseViewSubmission } from './parse.js';
import { blockActionsSchema, commandSchema, messageEventSchema, viewSubmissionSchema } from './payloads.js';
import { takeMessage } from './thread-message.js';
import { within } from '../../src/within.js';
import type { UserDirectory } from './users.js';
import type { Workspaces } from './workspaces.js';

export interface ListenerContext {
  dojo(): SlackDojo;
  workspaces: Workspaces;
  users: UserDirectory;
  replies: ActorReplies;
  log: Logger;
  /** Bounds the work behind acks and events: past it, commands get a busy reply and events a 503. */
  admission: Admission;
  /** Runs work after the ack, keeping track of it (stop() and tests wait for it). */
  track(work: () => Promise<void>): void;
  /**
   * How long a command waits for its reply before acking without it (0: ack at once). Slack allows 3 s;
   * on the embedded database this stays short, so acks never wait long on it.
   */
  answerBudgetMs: number;
  /** An event loop running this late (ms, loop-lag.ts) means the bot is saturated: acks go out at once. */
  laggingMs: number;
  /** The event loop's recent lateness, ms (src/loop-lag.ts). */
  loopLag: () => number;
  /** Drops an uninstalled workspace's installation and cached token. */
  uninstalled(teamId: string): Promise<void>;
}

/** The trigger of a modal lasts 3 seconds: a name lookup may take only a little of it. */
const MODAL_LOOKUP_MS = 300;

/** How long a view submission waits for the core before acking without it (Slack allows 3 s). */
const VIEW_BUDGET_MS = 2000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const SORRY = 'Sorry, something went wrong on our side. Please try again in a moment.';

/**
 * The ack that answers a command: its private reply, or its answer for the channel (in_channel), when
 * that is all it has to show; undefined when it needs more (a modal, a file, or both kinds of answer).
 */
function ackBody(outcome: Outcome): Record<string, unknown> | undefined {
  const { reply, inChannel, modal, file } = outcome;
  if (modal || file || (reply && inChannel)) return undefined;
  if (reply) return { response_type: 'ephemeral', ...renderMessage({ text: reply.text, blocks: reply.blocks ?? [{ type: 'text', text: reply.text }] }) };
  if (inChannel) return { response_type: 'in_channel', ...renderMessage(inChannel) };
  return undefined;
}

export function registerListeners(app: App, ctx: ListenerContext): void {
  const { log } = ctx;

  /** The payload as the listeners read it; the door (edge.ts, socket.ts) has checked it already. */
  function shaped<T>(schema: z.ZodType<T>, body: unknown, kind: string): T | undefined {
    const result = schema.safeParse(body);
    if (!result.success) log.warn({ kind, issue: result.error.issues[0]?.message }, 'slack: a payload of the wrong shape was ignored');
    return result.success ? result.data : undefined;
  }

  /** A failure of the core, logged with its code: the person gets its message or a general apology. */
  function failure(error: unknown, event: InboundEvent): Outcome {
    const coded = asCodedError(error);
    // Shed work (busy) is expected under load: the person hears it, the log does not need it.
    if (coded.code !== 'dojo_busy') log.error({ err: error, code: coded.code, type: event.type, teamId: event.team.id }, 'slack: the core failed to handle an event');
    return { reply: { text: coded.userMessage ?? SORRY, visibility: 'ephemeral' } };
  }

  async function failed(error: unknown, event: InboundEvent, target: Target) {
    await ctx.replies.show(failure(error, event), target);
  }

  /** The core's Outcome for an interactive event, within the admission bounds; a failure becomes a friendly line (never rejects). */
  const outcomeOf = (event: InboundEvent, lookupMs?: number): Promise<Outcome> =>
    ctx.admission.run(async () => ctx.dojo().handle(await ctx.users.enrich(event, lookupMs))).catch((error: unknown) => failure(error, event));

  /** Handles an interactive event after its ack and shows the Outcome. */
  const work = (event: InboundEvent, target: Target, lookupMs?: number) => {
    const outcome = outcomeOf(event, lookupMs);
    ctx.track(async () => ctx.replies.show(await outcome, target));
  };

  app.command(/.*/, async ({ ack, body, respond }: SlackCommandMiddlewareArgs) => {
    const payload = shaped(commandSchema, body, 'command');
    if (!payload) {
      await ack();
      return;
    }
    const event = parseCommand(payload);
    // Answers that need no database (help, from cached rows) go in the ack itself.
    const known = ctx.users.cached(event);
    const now = known && ctx.dojo().answerNow?.(known);
    if (now?.reply && !now.modal && !now.file) {
      await ack({ response_type: 'ephemeral', ...renderMessage({ text: now.reply.text, blocks: now.reply.blocks ?? [{ type: 'text', text: now.reply.text }] }) });
      return;
    }
    // Past capacity the person hears it at once, in the ack, and nothing is queued.
    if (ctx.admission.full()) {
      ctx.admission.stats.rejected++;
      await ack({ response_type: 'ephemeral', text: BUSY_TEXT });
      return;
    }
    const target = { teamId: payload.team_id, channelId: payload.channel_id, userId: payload.user_id, triggerId: payload.trigger_id, respond };
    // A command that opens a modal acks at once: its trigger is what it needs, and the modal is its answer.
    if (commandOpensModal(payload.text ?? '')) {
      await ack();
      work(event, target, MODAL_LOOKUP_MS);
      return;
    }
    const outcome = outcomeOf(event);
    // Tracked from the start (stop() and idle() wait for it); `inAck` says what the ack carried.
    let acked: (inAck: boolean) => void = () => {};
    const sent = new Promise<boolean>((resolve) => (acked = resolve));
    ctx.track(async () => {
      const done = await outcome;
      // An answer in the ack leaves only its pictures to follow; otherwise all of it follows here.
      if (!(await sent)) await ctx.replies.show(done, target);
      else if (done.pictures) await ctx.replies.show({ pictures: done.pictures }, target);
    });
    // A saturated bot (work waiting for a slot, or its event loop running late) acks at once, never later for the answer.
    const saturated = ctx.admission.queued > 0 || ctx.loopLag() > ctx.laggingMs;
    const first = await within(outcome, saturated ? 0 : ctx.answerBudgetMs);
    const answer = first && ackBody(first);
    try {
      await ack(answer);
      acked(Boolean(answer));
    } catch (error) {
      // The work is done (perhaps saved): its answer goes through the response_url instead.
      log.warn({ err: error }, 'slack: a command could not be acknowledged; its answer follows through the response_url');
      acked(false);
    }
  });

  // One catch-all: stale buttons of old messages are acknowledged too, never left to time out.
  app.action(/.*/, async ({ ack, body, respond }: SlackActionMiddlewareArgs) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const payload = shaped(blockActionsSchema, body, 'block_actions');
    if (!payload) return;
    const event = parseBlockAction(payload);
    if (event?.type !== 'button') return;
    const meta = decodeViewMeta(payload.view?.private_metadata);
    const target: Target = {
      teamId: event.team.id,
      channelId: event.channel.id,
      userId: event.user.id,
      triggerId: payload.trigger_id,
      respond: payload.response_url ? respond : undefined,
      threadTs: payload.message?.thread_ts ?? payload.container?.thread_ts ?? meta?.threadTs ?? payload.message?.ts,
    };
    work(event, target, actionOpensModal(event.action) ? MODAL_LOOKUP_MS : undefined);
  });

  // A submission is answered by the core before the ack (within a budget), so a form that did not
  // validate stays open with the error on its field (response_action: errors) and nothing typed is lost.
  app.view(/.*/, async ({ ack, body }: SlackViewMiddlewareArgs) => {
    const payload = shaped(viewSubmissionSchema, body, 'view_submission');
    if (!payload) {
      await ack();
      return;
    }
    const event = parseViewSubmission(payload);
    if (!event) {
      await ack();
      log.warn({ callbackId: payload.view?.callback_id }, 'slack: a view submission without its channel was ignored');
      return;
    }
    const meta = decodeViewMeta(payload.view.private_metadata);
    const target: Target = { teamId: event.team.id, channelId: event.channel.id, userId: event.user.id, triggerId: payload.trigger_id, threadTs: meta?.threadTs };
    const handled = (async () => ctx.dojo().handle(await ctx.users.enrich(event, MODAL_LOOKUP_MS)))();
    const first = await Promise.race([handled.then((outcome) => ({ outcome }), () => undefined), sleep(VIEW_BUDGET_MS).then(() => undefined)]);
    if (first?.outcome.fieldErrors) {
      await ack({ response_action: 'errors', errors: first.outcome.fieldErrors });
      return;
    }
    await ack();
    ctx.track(async () => {
      let outcome: Outcome;
      try {
        outcome = await handled;
      } catch (error) {
        await failed(error, event, target);
        return;
      }
      // Too late to keep the form open: the problem is said privately instead.
      await ctx.replies.show(outcome.fieldErrors ? { ...(outcome.reply ? { reply: outcome.reply } : {}) } : outcome, target);
    });
  });

  app.event('message', async ({ event, body, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    // Bolt's MessageEvent is a union of every subtype; the fields read here are checked, not assumed.
    const message = shaped(messageEventSchema, event, 'message');
    if (message) await takeMessage(ctx, body, message, context.botUserId, context.retryNum);
  });

  app.event('app_home_opened', async ({ event, body }: SlackEventMiddlewareArgs<'app_home_opened'>) => {
    const teamId = body.team_id;
    if (event.tab !== 'home' || !teamId) return;
    ctx.track(async () => {
      const team = { platform: 'slack' as const, id: teamId };
      const info = await ctx.users.lookup(teamId, event.user);
      const user = { id: event.user, name: info?.name ?? event.user, ...(info ? { isPlatformAdmin: info.isPlatformAdmin, roleIds: info.groupIds } : {}) };
      const blocks = await homeBlocks(ctx.dojo(), team, user);
      await publishHome(ctx.workspaces, team, event.user, event.channel, blocks);
    });
  });

  app.event('app_uninstalled', async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'>) => {
    const teamId = body.team_id;
    if (teamId) await ctx.uninstalled(teamId);
  });

  // Revoked bot tokens serve nothing any more: the workspace is treated as uninstalled.
  app.event('tokens_revoked', async ({ event, body }: SlackEventMiddlewareArgs<'tokens_revoked'>) => {
    const teamId = body.team_id;
    const bots = event.tokens?.bot ?? [];
    if (teamId && bots.length > 0) await ctx.uninstalled(teamId);
  });

  app.error(async (error) => {
    log.error({ err: error, code: error.code }, 'slack: an event failed');
    // Rethrown so the receiver answers non-2xx and Slack delivers the event again.
    throw error;
  });
}
