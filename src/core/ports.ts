/**
 * The boundary between the platform-neutral core and the chat adapters (Slack, Discord, the terminal
 * playground, the in-memory test adapter).
 *
 * Inbound: an adapter turns each platform delivery into an InboundEvent and calls `Dojo.handle`.
 * Outbound: the core calls a ChatPort, and answers the actor of an event through the returned Outcome.
 *
 * Refs (MessageRef, ThreadRef) are opaque strings that only the adapter that made them decodes, e.g.
 * `slack:C123:1718.2`. An adapter must give the same ThreadRef for an inbound reply that it returned
 * from `post` for the thread's parent, since rounds are found by it.
 */
import type { Parsed } from './commands.js';
import { DojoError, type ChatErrorCode } from './errors.js';
import type { Block, Modal, OutImage, OutMessage } from './messages.js';
import type { Pacing } from './sender.js';

export type Platform = 'slack' | 'discord' | 'playground' | 'memory';

/** A workspace (Slack), a guild (Discord), or the playground's single team. */
export interface TeamRef {
  platform: Platform;
  /** The platform's id: Slack team id, Discord guild id. */
  id: string;
  name?: string;
}

export interface UserRef {
  /** The platform's user id. */
  id: string;
  /** A display name for boards and summaries (plain text; adapters escape it). */
  name: string;
  /** Slack workspace admin/owner, Discord Manage Server: always admin in the dojo. */
  isPlatformAdmin?: boolean;
  /** Discord role ids, matched against a team's configured admin roles. */
  roleIds?: string[];
  isBot?: boolean;
}

export interface ChannelRef {
  /** The platform's channel id. */
  id: string;
  name?: string;
}

export type MessageRef = string;
export type ThreadRef = string;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

interface EventBase {
  /**
   * The platform's id for this delivery (Slack event_id, Discord interaction id, a message id).
   * Events whose id the core holds a receipt for (an event receipt) change nothing.
   */
  deliveryId?: string;
  team: TeamRef;
  channel: ChannelRef;
  user: UserRef;
  /** The platform payload, kept for debugging. The core never reads it. */
  raw?: unknown;
}

export type InboundEvent =
  /**
   * `/dojo ...`: Slack and the playground pass the text after `/dojo`, which the core parses. A platform
   * with typed options (Discord) passes `parsed`, the intent it built with the core's builders (or the
   * friendly error its values gave), and the subcommand's words as `text` (for logs and metrics).
   */
  | (EventBase & { type: 'command'; text: string; parsed?: Parsed })
  /** A message in a thread: an answer when the thread belongs to a round. */
  | (EventBase & { type: 'message'; thread: ThreadRef; message: MessageRef; text: string })
  | (EventBase & { type: 'message_edited'; thread: ThreadRef; message: MessageRef; text: string })
  | (EventBase & { type: 'message_deleted'; thread: ThreadRef; message: MessageRef })
  /** A click on a button the core rendered; `action` is the Button's id, unchanged. */
  | (EventBase & { type: 'button'; action: string; message?: MessageRef })
  /** A submitted modal; `modal` is the Modal's id, `values` by field id (checkbox: 'true' or ''). */
  | (EventBase & { type: 'modal_submit'; modal: string; values: Record<string, string> });

export type InboundEventType = InboundEvent['type'];

/** What the actor of an event sees in answer. */
export interface Reply {
  text: string;
  blocks?: Block[];
  /**
   * Only the actor sees it (refusals, errors, help, confirmations). Whatever the channel should see goes
   * through the outbox (core/outbox.ts), where it is retried, never in an Outcome; the one exception is
   * a command's read-only answer where the platform delivers it itself (Outcome.inChannel).
   */
  visibility: 'ephemeral';
}

export interface OutFile {
  name: string;
  /** Text content (CSV). */
  content: string;
  mime: string;
}

/**
 * Pictures that follow the reply as their own private delivery (the /dojo stats chart), so the words
 * never wait for them: a Slack upload into the person's direct messages with the bot (an ephemeral
 * message cannot carry a file), a Discord private follow-up with the attachment, a file the playground
 * saves. The reply says they follow; when they could not be drawn after all, `failed` is said instead.
 */
export interface Pictures {
  /** Never rejects: the pictures, or none when drawing failed. */
  images: Promise<OutImage[]>;
  /** Said privately, after the reply, when `images` came to nothing. */
  failed: string;
}

export interface Outcome {
  reply?: Reply;
  /**
   * A command's answer for everyone in its channel, delivered by the platform as the command's own
   * response (capabilities.publicAnswers: Slack's in_channel response, Discord's public interaction reply),
   * not posted by the bot: the board.
   * Only for what is read, never changed: nothing is retried, and asking again shows it again.
   */
  inChannel?: OutMessage;
  /** Pictures after the reply (they never hold it up). */
  pictures?: Pictures;
  /** A file for the actor only (the CSV of /dojo export): uploaded privately, or printed by the playground. */
  file?: OutFile;
  /** A modal to open for the actor (Slack: views.open with the trigger; Discord: the modal callback). */
  modal?: Modal;
  /**
   * A submitted form that did not validate: the problem by field id. Platforms that can keep the form
   * open show them on its fields (Slack: `response_action: errors`); others show `reply` and reopen
   * `modal`, which then carries what was typed.
   */
  fieldErrors?: Record<string, string>;
  /** True when the delivery was a replay and nothing happened. */
  duplicate?: boolean;
}

export interface Posted {
  message: MessageRef;
  /** The thread under the message; replies there come back as `message` events with this ref. */
  thread: ThreadRef;
}

export interface SendOptions {
  /**
   * Idempotency key (at most 25 characters): where the platform supports it (Discord's `nonce` with
   * `enforce_nonce`), a second send with the same key within a few minutes returns the first message
   * instead of posting again. The outbox passes one per row, so a retry after a crash posts once.
   */
  key?: string;
  /**
   * An earlier try with this key may have reached the platform (a process died, a lease ran out): where
   * sends are not idempotent (Slack), the adapter looks for that message first and returns it.
   */
  retry?: boolean;
}

export interface PostOptions extends SendOptions {
  /** Open a thread under the message now (Discord creates one; Slack threads exist implicitly). */
  thread?: { name: string };
}

/** What a platform delivers for a team; the core renders for it, so a member can always answer. */
export interface ChatCapabilities {
  /**
   * Replies in a round's thread reach the bot as `message` events (Slack; Discord only with the
   * Message Content intent). Where they do not, open questions carry an Answer button and form.
   */
  threadReplies: boolean;
  /**
   * How `/dojo` takes its arguments: typed as text (`/dojo quiz stop`: Slack, the playground) or as
   * the platform's own subcommands and options (`/dojo quiz-stop`: Discord). Help and usage follow it.
   */
  commandStyle: 'text' | 'options';
  /** How fast the outbox may post (per channel, per bot); absent: as fast as it can. */
  pacing?: Pacing;
  /**
   * A command can be answered with a message the whole channel sees, delivered by the platform as the
   * command's own response (Slack: response_type in_channel, in the ack or through the response_url;
   * Discord: the interaction's public reply, or the bot's post after a private deferral), even where the
   * bot was not invited. Absent: false, and such answers are posted through the outbox.
   */
  publicAnswers?: boolean;
}

/** What a port that does not say is assumed to deliver. */
export const DEFAULT_CAPABILITIES: ChatCapabilities = { threadReplies: true, commandStyle: 'text' };

/** The reactions the core puts on members' messages. */
export type Reaction = 'recorded';

/**
 * Everything the core asks of a chat platform. Methods throw ChatError; rate limits are the
 * adapter's to absorb by queueing (the platform SDKs do), so a 429 never reaches the core.
 */
export interface ChatPort {
  /** Post a message in a channel. */
  post(team: TeamRef, channelId: string, message: OutMessage, options?: PostOptions): Promise<Posted>;
  /** Reply in a thread. */
  reply(team: TeamRef, thread: ThreadRef, message: OutMessage, options?: SendOptions): Promise<MessageRef>;
  /** Replace a message the bot posted (question card at close, quiz progress). */
  update(team: TeamRef, message: MessageRef, content: OutMessage): Promise<void>;
  /** Send a direct message to a user; returns its ref where the platform can update it later. */
  dm(team: TeamRef, userId: string, message: OutMessage, options?: SendOptions): Promise<MessageRef | void>;
  /** What the platform delivers for this team (cheap, no network). Absent: DEFAULT_CAPABILITIES. */
  capabilities?(team: TeamRef): ChatCapabilities;
  /** Put a reaction on a member's message (an answer recorded: ✅). Best effort; absent: no reactions. */
  react?(team: TeamRef, message: MessageRef, reaction: Reaction): Promise<void>;
}

/** The capabilities of a port, with the defaults for what it does not say. */
export function capabilitiesOf(chat: ChatPort, team: TeamRef): ChatCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...chat.capabilities?.(team) };
}

export type { ChatErrorCode } from './errors.js';

/** A failed chat call. `permanent` failures (the bot was removed) are not retried. */
export class ChatError extends DojoError {
  readonly permanent: boolean;
  constructor(
    readonly code: ChatErrorCode,
    message: string,
    options?: { cause?: unknown; permanent?: boolean },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'ChatError';
    this.permanent = options?.permanent ?? ['not_in_channel', 'channel_not_found', 'archived', 'missing_permissions', 'user_unavailable'].includes(code);
  }
}

/** The core as adapters see it. */
export interface Dojo {
  /** Handle one inbound event. Never throws for a person's mistake; answers it in the Outcome. */
  handle(event: InboundEvent): Promise<Outcome>;
  /** The topics of a team's own approved questions (for topic autocomplete beside the bank's). */
  teamTopics?(team: TeamRef): Promise<string[]>;
  /** An answer that needs no database (help, from cached rows), for the ack itself; undefined otherwise. */
  answerNow?(event: InboundEvent): Outcome | undefined;
  /** The platform's name for a member stored without one (an answer taken before the name lookup returned); nothing for an unknown member. */
  nameMember?(team: TeamRef, user: UserRef): Promise<void>;
}

/**
 * The core could not do its work (the database is down, most likely). Adapters show `userMessage`
 * to the person and, where the platform retries deliveries, answer so that it does.
 */
export class DojoUnavailable extends DojoError {
  readonly code = 'dojo_unavailable';
  override readonly userMessage = 'I can’t reach my database right now. Please try again in a minute.';
  constructor(options?: { cause?: unknown }) {
    super('the dojo could not handle the event', options);
    this.name = 'DojoUnavailable';
  }
}
