/**
 * The common Events API delivery taken at the edge (issue 13): a person's new message in a thread, in
 * a workspace whose bot identity is known without a lookup. edge.ts has already checked its signature,
 * timestamp and shape, so it goes straight to the same handler Bolt's listener calls (thread-message.ts),
 * without Bolt's second parse of the body, its authorize call, middleware chain and listener matching,
 * which cost more CPU than the answer's own statement. Anything else (edits, deletions, bots, top-level
 * messages, other events, Enterprise Grid and shared channels, a workspace not cached) goes to Bolt.
 * The HTTP answer is the one Bolt gives: 200 once the core has the message, and on a failure the status
 * failures.ts chooses (500 or 503 so Slack retries; a retry carries the same event_id, which the core
 * counts once).
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../src/log.js';
import { failureStatus } from './failures.js';
import type { ListenerContext } from './listeners.js';
import type { EventEnvelope, MessageEventPayload } from './parse.js';
import { takeMessage } from './thread-message.js';
import type { Workspace } from './workspaces.js';

interface Envelope extends EventEnvelope {
  type?: string;
  enterprise_id?: string | null;
  is_ext_shared_channel?: boolean;
  authorizations?: { is_enterprise_install?: boolean }[];
  event?: MessageEventPayload & { type: string };
}

/** A delivery the edge takes itself: what takeMessage (thread-message.ts) needs. */
export interface EdgeMessage {
  envelope: EventEnvelope;
  event: MessageEventPayload;
  botUserId: string | undefined;
  /** X-Slack-Retry-Num, when Slack is sending the delivery again. */
  retryNum?: number;
}

/**
 * The delivery when the edge takes it itself, or undefined: Bolt takes it. `body` is what edge.ts
 * admitted as an event (parsed, and its message fields checked); `known` is Workspaces.known.
 */
export function edgeMessage(body: unknown, known: (teamId: string) => Pick<Workspace, 'botUserId'> | undefined, retryHeader?: string | string[]): EdgeMessage | undefined {
  const envelope = body as Envelope;
  const event = envelope.event;
  if (envelope.type !== 'event_callback' || event?.type !== 'message') return undefined;
  // A plain new message in a thread: what an answer looks like. Subtypes (edits, deletions, joins,
  // bot messages) and bots are Bolt's, with its ignoreSelf middleware.
  if (event.subtype !== undefined || event.bot_id !== undefined || event.hidden || !event.user || !event.ts || !event.thread_ts || event.thread_ts === event.ts) return undefined;
  // Bolt authorizes Grid and shared-channel deliveries by their authorizations; the edge keeps to one workspace's own.
  if (!envelope.team_id || envelope.enterprise_id || envelope.is_ext_shared_channel || envelope.authorizations?.some((a) => a.is_enterprise_install)) return undefined;
  const workspace = known(envelope.team_id);
  const retryNum = typeof retryHeader === 'string' && /^\d{1,2}$/.test(retryHeader) ? Number(retryHeader) : undefined;
  return workspace && { envelope, event, botUserId: workspace.botUserId, ...(retryNum !== undefined ? { retryNum } : {}) };
}

/** Runs the edge's work and answers Slack as Bolt's receiver would (failures.ts). */
export async function answerAtEdge(ctx: ListenerContext, message: EdgeMessage, res: ServerResponse, log: Logger): Promise<void> {
  let status = 200;
  try {
    await takeMessage(ctx, message.envelope, message.event, message.botUserId, message.retryNum);
  } catch (error) {
    status = failureStatus(error, log);
    if (status !== 200 && status !== 503) log.error({ err: error, code: (error as { code?: unknown } | undefined)?.code }, 'slack: an event failed');
  }
  if (!res.headersSent) res.writeHead(status).end();
}
