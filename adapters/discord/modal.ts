/**
 * Platform-neutral modals -> Discord modals: fields as labelled components (text inputs, string
 * selects, checkboxes), kept within Discord's limits like messages are (render.ts).
 */
import {
  ComponentType,
  TextInputStyle,
  type APIComponentInLabel,
  type APIModalInteractionResponseCallbackComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Block, Modal, ModalField } from '../../src/core/messages.js';
import { tagWithGuild } from './dm.js';
import { blockMarkdown, clip, LIMITS, type RenderOptions } from './render.js';

function field(f: ModalField): APIComponentInLabel {
  switch (f.type) {
    case 'text': {
      const max = Math.min(f.maxLength ?? LIMITS.textInput, LIMITS.textInput);
      return {
        type: ComponentType.TextInput,
        custom_id: f.id,
        style: f.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required ?? false,
        max_length: max,
        ...(f.initial ? { value: f.initial.slice(0, max) } : {}),
        ...(f.placeholder ? { placeholder: clip(f.placeholder, LIMITS.placeholder, '…') } : {}),
      };
    }
    case 'select':
      return {
        type: ComponentType.StringSelect,
        custom_id: f.id,
        required: f.required ?? false,
        min_values: f.required ? 1 : 0,
        max_values: 1,
        options: f.options.slice(0, LIMITS.selectOptions).map((o) => ({
          label: clip(o.label, LIMITS.selectText, '…'),
          value: o.value.slice(0, LIMITS.selectText),
          ...(o.value === f.initial ? { default: true } : {}),
        })),
      };
    case 'checkbox':
      return { type: ComponentType.Checkbox, custom_id: f.id };
    default: {
      const never: never = f;
      throw new Error(`unknown field ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A Discord modal: fields as labelled components (text inputs, string selects, checkboxes), the intro
 * as a text display when there is room. Discord allows 5 top-level components; fields come first.
 */
export function renderModal(modal: Modal, options: RenderOptions & { intro?: boolean } = {}): APIModalInteractionResponseCallbackData {
  const fields = modal.fields.slice(0, LIMITS.modalComponents).map(
    (f): APIModalInteractionResponseCallbackComponent => ({
      type: ComponentType.Label,
      label: clip(f.label, LIMITS.modalLabel, '…'),
      // A label too long for Discord is shown whole underneath, as the description (100 characters).
      ...(f.label.length > LIMITS.modalLabel ? { description: clip(f.label, LIMITS.labelDescription, '…') } : {}),
      component: field(f),
    }),
  );
  const components: APIModalInteractionResponseCallbackComponent[] = [];
  const intro = modal.intro?.filter((b) => b.type !== 'buttons' && b.type !== 'mention') ?? [];
  if (options.intro !== false && intro.length && fields.length < LIMITS.modalComponents) {
    const content = intro.map((b) => blockMarkdown(b as Exclude<Block, { type: 'buttons' } | { type: 'mention' }>)).join('\n\n');
    components.push({ type: ComponentType.TextDisplay, content: clip(content, LIMITS.textDisplay) });
  }
  components.push(...fields);
  return { custom_id: tagWithGuild(modal.id, options.dmGuild), title: clip(modal.title, LIMITS.modalTitle, '…'), components };
}
