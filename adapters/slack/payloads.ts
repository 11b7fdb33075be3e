/**
 * The shapes of what Slack sends, checked with zod before Bolt or the listeners read them. Only the
 * fields the adapter reads are checked (other fields pass untouched); a body that fails is answered 400
 * over HTTP (acked and dropped over Socket Mode) and never reaches Bolt, whose receiver throws on some
 * of them (a body of `null`) and whose listeners would read them as the wrong types.
 */
import { z } from 'zod';
import type { DojoErrorCode } from '../../src/core/errors.js';

const text = z.string();
const id = z.string().min(1).max(255);

/** A slash command form: every field one string (a repeated key would be an array). */
export const commandSchema = z.object({
  command: text,
  team_id: id,
  team_domain: text.optional(),
  enterprise_id: text.optional(),
  channel_id: id,
  channel_name: text.optional(),
  user_id: id,
  user_name: text.optional(),
  text: text.default(''),
  trigger_id: id,
  response_url: text.optional(),
});

const slackMessage = z.object({
  type: text.optional(),
  subtype: text.optional(),
  user: text.optional(),
  bot_id: text.optional(),
  text: text.optional(),
  ts: text.optional(),
  thread_ts: text.optional(),
  hidden: z.boolean().optional(),
});

/** A `message` event as the listeners read it (new, changed and deleted messages). */
export const messageEventSchema = slackMessage.extend({ channel: id, message: slackMessage.optional(), previous_message: slackMessage.optional(), deleted_ts: text.optional() });

/** The events the listeners read, by type; other types pass with just a type. */
const EVENTS: Record<string, z.ZodType> = {
  message: messageEventSchema,
  app_home_opened: z.object({ user: id, channel: text.optional(), tab: text.optional() }),
};

export const eventEnvelopeSchema = z
  .object({
    type: z.literal('event_callback'),
    team_id: id.optional(),
    enterprise_id: text.nullish(),
    event_id: id,
    event: z.looseObject({ type: text }),
  })
  .superRefine((envelope, ctx) => {
    const schema = EVENTS[envelope.event.type];
    const result = schema?.safeParse(envelope.event);
    if (result && !result.success) ctx.addIssue({ code: 'custom', message: `a ${envelope.event.type} event of the wrong shape`, path: ['event'] });
  });

const teamField = z.object({ id, domain: text.optional() }).nullish();
const userField = z.object({ id, username: text.optional(), name: text.optional(), team_id: text.optional() });

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team: teamField,
  user: userField,
  trigger_id: id,
  actions: z.array(z.object({ action_id: text, value: text.optional(), action_ts: text.optional(), block_id: text.optional() })).min(1),
  channel: z.object({ id, name: text.optional() }).nullish(),
  container: z.object({ type: text.optional(), channel_id: text.optional(), message_ts: text.optional(), thread_ts: text.optional(), is_ephemeral: z.boolean().optional() }).nullish(),
  message: z.object({ ts: text.optional(), thread_ts: text.optional() }).nullish(),
  view: z.object({ id: text.optional(), private_metadata: text.optional(), callback_id: text.optional() }).nullish(),
  response_url: text.optional(),
});

const inputState = z.object({
  type: text.optional(),
  value: text.nullish(),
  selected_option: z.object({ value: text }).nullish(),
  selected_options: z.array(z.object({ value: text })).optional(),
});

export const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  team: teamField,
  user: userField,
  trigger_id: id,
  view: z.object({
    id,
    callback_id: text,
    private_metadata: text.optional(),
    state: z.object({ values: z.record(text, z.record(text, inputState)) }).optional(),
  }),
});

const urlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: text });

/** Interactive payloads the dojo has no listener for: acknowledged, so Slack shows no error. */
const UNUSED_INTERACTIONS = new Set(['view_closed', 'shortcut', 'message_action', 'block_suggestion', 'interactive_message', 'dialog_submission', 'dialog_cancellation']);

export type Verdict =
  /** Bolt handles it (commands, events, clicks, submissions, the URL check). */
  | { to: 'bolt'; kind: 'command' | 'event' | 'block_actions' | 'view_submission' | 'url_verification' }
  /** Answered here: `status` with no body. */
  | { to: 'answer'; status: 200 | 400; reason: string };

/** What to do with a parsed body Slack signed (or sent over Socket Mode). */
export function classify(body: unknown): Verdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { to: 'answer', status: 400, reason: 'not an object' };
  const record = body as Record<string, unknown>;
  // A notice that the app was rate limited (events were dropped for a minute): nothing to do but ack.
  if (record.type === 'app_rate_limited') return { to: 'answer', status: 200, reason: 'app_rate_limited' };
  if ('command' in record) return check(commandSchema, body, 'command');
  if ('event' in record || record.type === 'event_callback') return check(eventEnvelopeSchema, body, 'event');
  switch (record.type) {
    case 'url_verification':
      return check(urlVerificationSchema, body, 'url_verification');
    case 'block_actions':
      return check(blockActionsSchema, body, 'block_actions');
    case 'view_submission':
      return check(viewSubmissionSchema, body, 'view_submission');
    default:
      return typeof record.type === 'string' && UNUSED_INTERACTIONS.has(record.type) ? { to: 'answer', status: 200, reason: `unused ${record.type}` } : { to: 'answer', status: 400, reason: 'an unknown kind of body' };
  }
}

function check(schema: z.ZodType, body: unknown, kind: Extract<Verdict, { to: 'bolt' }>['kind']): Verdict {
  const result = schema.safeParse(body);
  if (result.success) return { to: 'bolt', kind };
  const issue = result.error.issues[0];
  return { to: 'answer', status: 400, reason: `a ${kind} of the wrong shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})` };
}

/** The Slack error that means the core could not store or do the work (so Slack should retry). */
export function isUnavailable(error: unknown): boolean {
  return hasCode(error, 'dojo_unavailable');
}

/** The work was shed by admission (too much in flight): Slack should retry later. */
export function isBusy(error: unknown): boolean {
  return hasCode(error, 'dojo_busy');
}

/** Whether the error, or one Bolt wrapped it in (original, originals, cause), carries the dojo's code. */
function hasCode(error: unknown, code: DojoErrorCode, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { code?: unknown; original?: unknown; originals?: unknown; cause?: unknown };
  if (e.code === code) return true;
  const inner = [e.original, e.cause, ...(Array.isArray(e.originals) ? e.originals : [])];
  return inner.some((x) => hasCode(x, code, depth + 1));
}
