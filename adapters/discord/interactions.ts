/**
 * Answering interactions: each within Discord's 3 seconds and exactly once. Clicks and commands that
 * open a modal must answer with the modal itself, so they ask the core first (with a deadline); all
 * others are deferred at once and then edited or followed up with the outcome.
 */
import {
  AttachmentBuilder,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../../src/log.js';
import { actionOpensModal, commandOpensModal } from '../../src/core/actions.js';
import type { Modal } from '../../src/core/messages.js';
import { DojoUnavailable, type Dojo, type InboundEvent, type Outcome, type Reply } from '../../src/core/ports.js';
import type { DiscordChat } from './chat.js';
import { memberOf, untag } from './dm.js';
import { isFormButton, opensDirectly, type FormStash } from './forms.js';
import { buttonEvent, commandEvent, modalEvent, teamOf, type Origin } from './parse.js';
import type { Serial } from './serial.js';
import { renderMessage, renderModal, renderNotice, replyOptions, type DiscordMessage } from './render.js';
import { suggestTopics } from './topics.js';

export interface InteractionContext {
  dojo: Dojo;
  chat: DiscordChat;
  log: Logger;
  topics: () => readonly string[];
  forms: FormStash;
  /** One person's interactions reach the core in order (a quick A-then-B click must end on B). */
  serial: Serial;
  /** How long a modal-opening interaction waits for the core before deferring (Discord allows 3 s). */
  modalBudgetMs: number;
}

type Answerable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** One interaction being answered: where it came from, and how its answers render. */
interface Turn {
  interaction: Answerable;
  ctx: InteractionContext;
  origin: Origin;
  /** Set in DMs: buttons and modals sent there must name their guild. */
  dmGuild?: string;
}

const TEXT = {
  guildOnly: 'Interview Dojo works in server channels. Try /dojo there.',
  notMember: 'I can’t find you in that server any more.',
  failed: 'Something went wrong on our side. Please try again in a moment.',
  formExpired: 'That form has expired. Please run the command again.',
  done: 'Done.',
} as const;

const EPHEMERAL = MessageFlags.Ephemeral;

export async function handleInteraction(interaction: Interaction, ctx: InteractionContext): Promise<void> {
  if (interaction.isAutocomplete()) return autocomplete(interaction, ctx);
  if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) {
    // Nothing the dojo renders; acknowledge so the person sees no error.
    if (interaction.isMessageComponent()) await interaction.deferUpdate();
    return;
  }
  const turn = await turnOf(interaction, ctx);
  if (!turn) return;
  if (interaction.isChatInputCommand()) {
    const event = commandEvent(interaction, turn.origin);
    return event.type === 'command' && commandOpensModal(event.text) ? answerWithModal(turn, event) : answerDeferred(turn, event);
  }
  if (interaction.isButton()) {
    const id = turn.origin.customId!;
    if (isFormButton(id)) return openStashedForm(turn, id);
    const event = buttonEvent(interaction, turn.origin);
    return actionOpensModal(id) ? answerWithModal(turn, event) : answerDeferred(turn, event);
  }
  return answerDeferred(turn, modalEvent(interaction, turn.origin));
}

/** The guild and member of the interaction; in a DM, from the custom id's tag and a member fetch. */
async function turnOf(interaction: Answerable, ctx: InteractionContext): Promise<Turn | undefined> {
  const tagged = interaction.isChatInputCommand() ? undefined : untag(interaction.customId);
  if (interaction.guildId) return { interaction, ctx, origin: { guildId: interaction.guildId, ...(tagged ? { customId: tagged.id } : {}) } };
  if (!tagged?.guildId) {
    await interaction.reply({ ...replyOptions(renderNotice(TEXT.guildOnly)), flags: EPHEMERAL });
    return undefined;
  }
  const member = await memberOf(interaction.client, tagged.guildId, interaction.user.id);
  if (!member) {
    await interaction.reply({ ...replyOptions(renderNotice(TEXT.notMember)), flags: EPHEMERAL });
    return undefined;
  }
  return { interaction, ctx, origin: { guildId: tagged.guildId, member, customId: tagged.id }, dmGuild: tagged.guildId };
}

/** How long autocomplete waits for the team's own topics before answering with the bank's alone. */
const TEAM_TOPICS_MS = 1000;

async function autocomplete(interaction: AutocompleteInteraction, ctx: InteractionContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'topic' && focused.name !== 'topics') return interaction.respond([]);
  const own = interaction.guildId && ctx.dojo.teamTopics ? ctx.dojo.teamTopics(teamOf(interaction.guildId)) : Promise.resolve([]);
  const team: string[] = await Promise.race([own.catch(() => []), sleep(TEAM_TOPICS_MS).then(() => [])]);
  const topics = team.length ? [...new Set([...ctx.topics(), ...team])].sort() : ctx.topics();
  await interaction.respond(suggestTopics(topics, String(focused.value), focused.name === 'topics'));
}

async function openStashedForm(turn: Turn, id: string): Promise<void> {
  const modal = turn.ctx.forms.take(id, turn.interaction.user.id);
  if (modal) await (turn.interaction as ButtonInteraction).showModal(renderModal(modal, { intro: false, dmGuild: turn.dmGuild }));
  else await turn.interaction.reply({ ...replyOptions(renderNotice(TEXT.formExpired)), flags: EPHEMERAL });
}

/** The core's outcome; a failure becomes a private apology (the log has the cause). */
async function handle(turn: Turn, event: InboundEvent): Promise<Outcome> {
  try {
    return await turn.ctx.serial.run(`user:${event.user.id}`, () => turn.ctx.dojo.handle(event));
  } catch (error) {
    turn.ctx.log.error({ err: error, deliveryId: event.deliveryId, event: event.type }, 'the dojo failed to handle an interaction');
    return { reply: { text: error instanceof DojoUnavailable ? error.userMessage : TEXT.failed, visibility: 'ephemeral' } };
  }
}

const sleep = (ms: number) => new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());

function messageOf(turn: Turn, reply: Reply): DiscordMessage {
  return renderMessage({ text: reply.text, blocks: reply.blocks ?? [] }, { dmGuild: turn.dmGuild });
}

/** A modal that cannot open now (or directly): its intro as a private message with a button that opens it. */
function stashed(turn: Turn, modal: Modal): DiscordMessage {
  return renderMessage(turn.ctx.forms.stash(modal, turn.interaction.user.id), { dmGuild: turn.dmGuild });
}

async function answerWithModal(turn: Turn, event: InboundEvent): Promise<void> {
  const interaction = turn.interaction as ChatInputCommandInteraction | ButtonInteraction;
  const work = handle(turn, event);
  const first = await Promise.race([work.then((outcome) => ({ outcome })), sleep(turn.ctx.modalBudgetMs)]);
  if (first !== 'late') {
    const { outcome } = first;
    if (outcome.modal && opensDirectly(outcome.modal)) return interaction.showModal(renderModal(outcome.modal, { dmGuild: turn.dmGuild }));
    if (outcome.modal) {
      await interaction.reply({ ...replyOptions(stashed(turn, outcome.modal)), flags: EPHEMERAL });
      return;
    }
    const reply = outcome.reply;
    await interaction.reply({ ...replyOptions(reply ? messageOf(turn, reply) : renderNotice(TEXT.done)), flags: EPHEMERAL });
    return;
  }
  // The core is slow (a busy database): keep the interaction alive; a modal then opens from a button.
  turn.ctx.log.warn({ deliveryId: event.deliveryId }, 'the dojo took too long to open a modal; deferring');
  await interaction.deferReply({ flags: EPHEMERAL });
  await deliver(turn, await work, 'deferred-reply');
}

async function answerDeferred(turn: Turn, event: InboundEvent): Promise<void> {
  const { interaction } = turn;
  // Clicks (and forms opened from a message) acknowledge without a "thinking" message; the card stays.
  const update = interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());
  if (update) await interaction.deferUpdate();
  else await interaction.deferReply({ flags: EPHEMERAL });
  await deliver(turn, await handle(turn, event), update ? 'deferred-update' : 'deferred-reply');
}

/** The actor's file (the export CSV) as an attachment; it only ever goes with a private reply. */
function filesOf(outcome: Outcome): { files?: AttachmentBuilder[] } {
  const file = outcome.file;
  return file ? { files: [new AttachmentBuilder(Buffer.from(file.content, 'utf8'), { name: file.name })] } : {};
}

async function deliver(turn: Turn, outcome: Outcome, state: 'deferred-reply' | 'deferred-update'): Promise<void> {
  const { interaction, ctx } = turn;
  const files = filesOf(outcome);
  const privately = async (body: DiscordMessage) => {
    if (state === 'deferred-reply') await interaction.editReply({ ...replyOptions(body), ...files });
    else await interaction.followUp({ ...replyOptions(body), ...files, flags: EPHEMERAL });
  };
  // A modal the core gives where none was expected can no longer open directly; a button opens it.
  if (outcome.modal) return privately(stashed(turn, outcome.modal));
  const reply = outcome.reply;
  if (!reply) {
    if (files.files) await privately(renderNotice(outcome.file?.name ?? TEXT.done));
    else if (state === 'deferred-reply') await interaction.editReply(replyOptions(renderNotice(TEXT.done)));
    return;
  }
  const body = messageOf(turn, reply);
  if (reply.visibility === 'ephemeral' || turn.dmGuild) return privately(body);
  if (state === 'deferred-update') {
    // After a deferred update every follow-up is a new message with its own visibility.
    await interaction.followUp(replyOptions(body));
    if (files.files) await privately(renderNotice(outcome.file?.name ?? TEXT.done));
    return;
  }
  // A deferred reply stays as private as the deferral; a reply for everyone goes to the channel.
  try {
    await ctx.chat.send(interaction.channelId!, body);
  } catch (error) {
    ctx.log.warn({ err: error, deliveryId: interaction.id }, 'could not post a reply in the channel; answering privately');
    return privately(body);
  }
  if (files.files) await privately(renderNotice(outcome.file?.name ?? TEXT.done));
  else await interaction.deleteReply();
}
