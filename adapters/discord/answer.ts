/**
 * Answering one interaction with the core's outcome, exactly once and within Discord's 3 seconds.
 *
 * The core's work starts at once; when it finishes within the budget, its outcome goes in the
 * interaction callback itself (a reply, a modal, or a silent acknowledgement of a click), so what the
 * person sees costs one round trip. Only when the budget runs out is the interaction deferred (a
 * private "thinking" reply, or a silent acknowledgement of a click) and the outcome edited or
 * followed up afterwards. The one decision point makes both impossible: never a deferral and a reply
 * (40060), never a callback after the deadline (10062).
 */
import { Busy, BUSY_TEXT, type Admission } from '../../src/admission.js';
import {
  AttachmentBuilder,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalMessageModalSubmitInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../../src/log.js';
import { within } from '../../src/within.js';
import type { Modal } from '../../src/core/messages.js';
import { asCodedError } from '../../src/core/errors.js';
import type { OutMessage } from '../../src/core/messages.js';
import type { Dojo, InboundEvent, Outcome, Reply } from '../../src/core/ports.js';
import type { DiscordChat } from './chat.js';
import { opensDirectly, type FormStash } from './forms.js';
import type { Origin } from './parse.js';
import type { Serial } from './serial.js';
import { renderModal } from './modal.js';
import { clip, LIMITS, renderMessage, renderNotice, replyOptions, type DiscordMessage } from './render.js';

export interface AnswerContext {
  dojo: Dojo;
  chat: DiscordChat;
  log: Logger;
  forms: FormStash;
  /** One person's interactions reach the core in order (a quick A-then-B click must end on B). */
  serial: Serial;
  /** Bounds on the core's work: past them the person hears "busy" in the callback, nothing queued. */
  admission: Admission;
  /** How long an interaction waits for the core before deferring (Discord allows 3 s in all). */
  answerBudgetMs: number;
  /** The same for one that should open a modal (a deferred one can no longer open it directly). */
  modalBudgetMs: number;
}

export type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** One interaction being answered: where it came from, when it arrived, and how its answers render. */
export interface Turn {
  interaction: Answerable;
  ctx: AnswerContext;
  origin: Origin;
  /** When the interaction reached this process (Date.now()): the budget counts from here. */
  receivedAt: number;
  /** Set in DMs: buttons and modals sent there must name their guild. */
  dmGuild?: string;
}

const TEXT = {
  failed: 'Something went wrong on our side. Please try again in a moment.',
  done: 'Done.',
  posted: 'Posted in the channel.',
  privately: "I couldn't post this in the channel, so here it is just for you.",
} as const;

const EPHEMERAL = MessageFlags.Ephemeral;

const BUSY: Outcome = { reply: { text: BUSY_TEXT, visibility: 'ephemeral' } };

/**
 * Asks the core and answers: in the callback when the outcome comes within the budget (the longer
 * modal budget when the interaction should open a modal), else deferred first and delivered later.
 */
export async function answer(turn: Turn, event: InboundEvent, opensModal = false): Promise<void> {
  const { interaction, ctx } = turn;
  // Answers that need no database (help, from the member's cached rows) go in the callback at once,
  // without a slot: they change nothing, so neither order nor capacity matters.
  const now = ctx.dojo.answerNow?.(event);
  if (now?.reply && !now.modal && !now.file) return respond(turn, now);
  // Past capacity the person hears it at once, in the callback itself, and nothing is queued.
  if (ctx.admission.full()) {
    ctx.admission.stats.rejected++;
    return respond(turn, BUSY);
  }
  const work = handle(turn, event);
  const budget = (opensModal ? ctx.modalBudgetMs : ctx.answerBudgetMs) - (Date.now() - turn.receivedAt);
  const outcome = await within(work, budget);
  if (outcome) {
    await respond(turn, outcome);
    return follow(turn, outcome);
  }
  // The core is slow (a busy database): keep the interaction alive and deliver when it is done.
  if (opensModal) ctx.log.warn({ deliveryId: event.deliveryId }, 'the dojo took too long to open a modal; deferring');
  else ctx.log.debug({ deliveryId: event.deliveryId }, 'the dojo took longer than the answer budget; deferring');
  // Clicks (and forms opened from a message) acknowledge without a "thinking" message; the card stays.
  const update = updatesMessage(interaction);
  if (update) await interaction.deferUpdate();
  else await interaction.deferReply({ flags: EPHEMERAL });
  const late = await work;
  await deliver(turn, late, update ? 'deferred-update' : 'deferred-reply');
  await follow(turn, late);
}

/**
 * The pictures that follow the answer (the stats chart): their own private follow-up once drawn, with
 * the alt text as the attachment's description, or a short line when they could not be drawn after all.
 */
async function follow(turn: Turn, outcome: Outcome): Promise<void> {
  if (!outcome.pictures) return;
  const images = await outcome.pictures.images;
  try {
    if (images.length === 0) await turn.interaction.followUp({ ...replyOptions(renderNotice(outcome.pictures.failed)), flags: EPHEMERAL });
    else await turn.interaction.followUp({ files: images.map((f) => new AttachmentBuilder(Buffer.from(f.bytes), { name: f.name, description: f.alt.slice(0, 1024) })), flags: EPHEMERAL });
  } catch (error) {
    // The answer is out already; a picture that cannot follow it (the token expired, Discord refused) is only logged.
    turn.ctx.log.warn({ err: error }, 'discord: the pictures could not follow the answer');
  }
}

/** A click, or a form opened from a message: answered by a new private message, never a "thinking" one. */
function updatesMessage(interaction: Answerable): interaction is ButtonInteraction | ModalMessageModalSubmitInteraction {
  return interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
}

/** The core's outcome; a failure becomes a private apology (the log has the cause). */
async function handle(turn: Turn, event: InboundEvent): Promise<Outcome> {
  try {
    // In order per person; a slot is taken only when it is this interaction's turn.
    return await turn.ctx.serial.run(`user:${event.user.id}`, () => turn.ctx.admission.run(() => turn.ctx.dojo.handle(event)));
  } catch (error) {
    // Admitted to wait but shed (the queue filled, or it waited too long): busy, not a failure.
    if (error instanceof Busy) return BUSY;
    const coded = asCodedError(error);
    turn.ctx.log.error({ err: error, code: coded.code, deliveryId: event.deliveryId, event: event.type }, 'the dojo failed to handle an interaction');
    return { reply: { text: coded.userMessage ?? TEXT.failed, visibility: 'ephemeral' } };
  }
}

function messageOf(turn: Turn, reply: Reply): DiscordMessage {
  return renderMessage({ text: reply.text, blocks: reply.blocks ?? [] }, { dmGuild: turn.dmGuild });
}

/** A modal that cannot open now (or directly): its intro as a private message with a button that opens it. */
function stashed(turn: Turn, modal: Modal): DiscordMessage {
  return renderMessage(turn.ctx.forms.stash(modal, turn.interaction.user.id), { dmGuild: turn.dmGuild });
}

/** The actor's file (the export CSV) as an attachment on the private reply. */
function filesOf(outcome: Outcome): { files?: AttachmentBuilder[] } {
  return outcome.file ? { files: [new AttachmentBuilder(Buffer.from(outcome.file.content, 'utf8'), { name: outcome.file.name })] } : {};
}

/** The outcome in the interaction callback itself: one REST call, the only answer. */
async function respond(turn: Turn, outcome: Outcome): Promise<void> {
  const { interaction } = turn;
  const files = filesOf(outcome);
  if (outcome.modal) {
    // A modal submit cannot answer with another modal (a form with errors reopens from a button).
    if (!interaction.isModalSubmit() && opensDirectly(outcome.modal)) {
      await interaction.showModal(renderModal(outcome.modal, { dmGuild: turn.dmGuild }));
      return;
    }
    await interaction.reply({ ...replyOptions(stashed(turn, outcome.modal)), flags: EPHEMERAL });
    return;
  }
  if (outcome.inChannel) {
    // A command's answer for the whole channel (the board) is its own public reply: one call, no post
    // of the bot's, and it shows where the bot may not post.
    await interaction.reply(replyOptions(renderMessage(outcome.inChannel, { dmGuild: turn.dmGuild })));
    if (outcome.reply) await interaction.followUp({ ...replyOptions(messageOf(turn, outcome.reply)), flags: EPHEMERAL });
    return;
  }
  const reply = outcome.reply;
  if (reply) {
    // Replies are for the actor alone (channel messages go through the outbox).
    await interaction.reply({ ...replyOptions(messageOf(turn, reply)), ...files, flags: EPHEMERAL });
  } else if (files.files) {
    await interaction.reply({ ...replyOptions(renderNotice(outcome.file?.name ?? TEXT.done)), ...files, flags: EPHEMERAL });
  } else if (updatesMessage(interaction)) {
    // Nothing to say: the click is acknowledged and the card stays (its changes come through the outbox).
    await interaction.deferUpdate();
  } else {
    await interaction.reply({ ...replyOptions(renderNotice(TEXT.done)), flags: EPHEMERAL });
  }
}

async function deliver(turn: Turn, outcome: Outcome, state: 'deferred-reply' | 'deferred-update'): Promise<void> {
  const { interaction } = turn;
  const files = filesOf(outcome);
  const privately = async (body: DiscordMessage, attach = files) => {
    if (state === 'deferred-reply') await interaction.editReply({ ...replyOptions(body), ...attach });
    else await interaction.followUp({ ...replyOptions(body), ...attach, flags: EPHEMERAL });
  };
  // A modal can no longer open once deferred; a button opens it.
  if (outcome.modal) return privately(stashed(turn, outcome.modal));
  // The deferral was private, so the answer for the channel cannot be its reply any more: the bot posts it.
  if (outcome.inChannel) {
    // The deferred reply now says where the answer went; anything else follows it, never over it.
    await inTheChannel(turn, outcome.inChannel, (body) => privately(body, {}));
    if (outcome.reply || files.files) await interaction.followUp({ ...replyOptions(outcome.reply ? messageOf(turn, outcome.reply) : renderNotice(outcome.file?.name ?? TEXT.done)), ...files, flags: EPHEMERAL });
    return;
  }
  const reply = outcome.reply;
  if (!reply) {
    if (files.files) await privately(renderNotice(outcome.file?.name ?? TEXT.done));
    else if (state === 'deferred-reply') await interaction.editReply(replyOptions(renderNotice(TEXT.done)));
    return;
  }
  // Replies are for the actor alone (channel messages go through the outbox).
  return privately(messageOf(turn, reply));
}

/**
 * After a private deferral: the answer for the channel as the bot's own post there, and a private line
 * that says so; where the bot may not post, the answer itself, privately, with a line that says why.
 */
async function inTheChannel(turn: Turn, message: OutMessage, privately: (body: DiscordMessage) => Promise<void>): Promise<void> {
  const { interaction, ctx } = turn;
  try {
    await ctx.chat.post({ platform: 'discord', id: turn.origin.guildId }, interaction.channelId ?? '', message);
    await privately(renderNotice(TEXT.posted));
  } catch (error) {
    ctx.log.warn({ err: error }, 'discord: could not post a command answer in its channel; showing it privately');
    // The line above the card, where it is read first.
    const card = renderMessage(message, { dmGuild: turn.dmGuild });
    await privately({ ...card, content: clip([TEXT.privately, card.content.replace('\u200b', '')].filter(Boolean).join('\n'), LIMITS.content) });
  }
}
