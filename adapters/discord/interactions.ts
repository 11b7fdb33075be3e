/**
 * Routing interactions: autocomplete, the stashed forms' buttons, and everything else to the core,
 * answered by answer.ts within Discord's 3 seconds and exactly once.
 */
import { MessageFlags, type AutocompleteInteraction, type ButtonInteraction, type Interaction } from 'discord.js';
import { actionOpensModal, intentOpensModal } from '../../src/core/actions.js';
import { answer, type AnswerContext, type Answerable, type Turn } from './answer.js';
import { memberOf, untag } from './dm.js';
import { isFormButton } from './forms.js';
import { buttonEvent, commandEvent, modalEvent, teamOf } from './parse.js';
import { renderModal } from './modal.js';
import { renderNotice, replyOptions } from './render.js';
import { suggestTopics } from './topics.js';

export interface InteractionContext extends AnswerContext {
  topics: () => readonly string[];
}

const TEXT = {
  guildOnly: 'Interview Dojo works in server channels. Try /dojo there.',
  notMember: 'I can’t find you in that server any more.',
  formExpired: 'That form has expired. Please run the command again.',
} as const;

const EPHEMERAL = MessageFlags.Ephemeral;

export async function handleInteraction(interaction: Interaction, ctx: InteractionContext): Promise<void> {
  if (interaction.isAutocomplete()) return autocomplete(interaction, ctx);
  if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) {
    // Nothing the dojo renders; acknowledge so the person sees no error.
    if (interaction.isMessageComponent()) await interaction.deferUpdate();
    return;
  }
  const turn = await turnOf(interaction, ctx, Date.now());
  if (!turn) return;
  if (interaction.isChatInputCommand()) {
    const event = commandEvent(interaction, turn.origin);
    return answer(turn, event, event.parsed?.ok === true && intentOpensModal(event.parsed.intent));
  }
  if (interaction.isButton()) {
    const id = turn.origin.customId!;
    if (isFormButton(id)) return openStashedForm(turn, id);
    return answer(turn, buttonEvent(interaction, turn.origin), actionOpensModal(id));
  }
  return answer(turn, modalEvent(interaction, turn.origin));
}

/** The guild and member of the interaction; in a DM, from the custom id's tag and a member fetch. */
async function turnOf(interaction: Answerable, ctx: InteractionContext, receivedAt: number): Promise<Turn | undefined> {
  const tagged = interaction.isChatInputCommand() ? undefined : untag(interaction.customId);
  if (interaction.guildId) return { interaction, ctx, receivedAt, origin: { guildId: interaction.guildId, ...(tagged ? { customId: tagged.id } : {}) } };
  if (!tagged?.guildId) {
    await interaction.reply({ ...replyOptions(renderNotice(TEXT.guildOnly)), flags: EPHEMERAL });
    return undefined;
  }
  const member = await memberOf(interaction.client, tagged.guildId, interaction.user.id);
  if (!member) {
    await interaction.reply({ ...replyOptions(renderNotice(TEXT.notMember)), flags: EPHEMERAL });
    return undefined;
  }
  return { interaction, ctx, receivedAt, origin: { guildId: tagged.guildId, member, customId: tagged.id }, dmGuild: tagged.guildId };
}

/** How long autocomplete waits for the team's own topics before answering with the bank's alone. */
const TEAM_TOPICS_MS = 1000;

async function autocomplete(interaction: AutocompleteInteraction, ctx: InteractionContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'topic' && focused.name !== 'topics') return interaction.respond([]);
  const own = interaction.guildId && ctx.dojo.teamTopics ? ctx.dojo.teamTopics(teamOf(interaction.guildId)) : Promise.resolve([]);
  const team: string[] = await Promise.race([own.catch(() => []), sleep(TEAM_TOPICS_MS).then(() => [])]);
  const bank = team.length ? [...new Set([...ctx.topics(), ...team])].sort() : ctx.topics();
  // Practice also drills the member's weakest topic.
  const topics = interaction.options.getSubcommand(false) === 'practice' ? ['weakest', ...bank] : bank;
  await interaction.respond(suggestTopics(topics, String(focused.value), focused.name === 'topics'));
}

async function openStashedForm(turn: Turn, id: string): Promise<void> {
  const modal = turn.ctx.forms.take(id, turn.interaction.user.id);
  if (modal) await (turn.interaction as ButtonInteraction).showModal(renderModal(modal, { intro: false, dmGuild: turn.dmGuild }));
  else await turn.interaction.reply({ ...replyOptions(renderNotice(TEXT.formExpired)), flags: EPHEMERAL });
}

const sleep = (ms: number) => new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());
