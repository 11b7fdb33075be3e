/**
 * Modals whose read-only intro does not fit beside their fields (Discord allows 5 components a modal;
 * the review form has 5 fields, and a mentor must see the answer under review). Such a modal is shown
 * in two steps: the intro as a private message with an "Open the form" button, whose click opens the
 * stashed modal at once, without asking the core again (so within Discord's 3 seconds).
 */
import { randomBytes } from 'node:crypto';
import type { Block, Modal, OutMessage } from '../../src/core/messages.js';
import { LIMITS } from './render.js';

const PREFIX = 'dojo-form:';
const TTL_MS = 30 * 60_000;
const CAPACITY = 1000;

/**
 * Whether the modal can open at once: its intro fits beside the fields, or is only small print
 * (context blocks) that can be left out.
 */
export function opensDirectly(modal: Modal): boolean {
  const intro = modal.intro ?? [];
  return modal.fields.length + (intro.length ? 1 : 0) <= LIMITS.modalComponents || intro.every((b) => b.type === 'context');
}

export function isFormButton(customId: string): boolean {
  return customId.startsWith(PREFIX);
}

export class FormStash {
  private readonly forms = new Map<string, { modal: Modal; userId: string; expiresAt: number }>();

  /** Keeps the modal for its user and returns the message that shows its intro and opens it. */
  stash(modal: Modal, userId: string, now = Date.now()): OutMessage {
    for (const [key, form] of this.forms) if (form.expiresAt <= now || this.forms.size >= CAPACITY) this.forms.delete(key);
    const key = randomBytes(8).toString('hex');
    this.forms.set(key, { modal, userId, expiresAt: now + TTL_MS });
    const blocks: Block[] = [
      { type: 'header', text: modal.title },
      ...(modal.intro ?? []),
      { type: 'buttons', buttons: [{ id: `${PREFIX}${key}`, label: 'Open the form', style: 'primary' }] },
    ];
    return { text: modal.title, blocks };
  }

  /** The stashed modal for this click, if it is still there and the clicker is its user. */
  take(customId: string, userId: string, now = Date.now()): Modal | undefined {
    const form = this.forms.get(customId.slice(PREFIX.length));
    if (!form || form.expiresAt <= now || form.userId !== userId) return undefined;
    // Kept (not deleted) so a cancelled modal can be opened again with the same button.
    return form.modal;
  }
}
