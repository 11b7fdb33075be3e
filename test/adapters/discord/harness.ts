/**
 * Starts the fake Discord and the real adapter (discord.js) against it, with test-sized timeouts.
 */
import { expect } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../../adapters/discord/index.js';
import type { Dojo, InboundEvent, Outcome } from '../../../src/core/ports.js';
import { createLogger } from '../../../src/log.js';
import { FakeDiscord, type FakeDiscordOptions, type RecordedCall } from '../../fakes/discord/index.js';
import { CALLBACK } from '../../fakes/discord/interactions.js';
import type { StoredMessage } from '../../fakes/discord/payloads.js';

export const log = createLogger(process.env.LOG_LEVEL ?? 'silent');

export interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  stop(): Promise<void>;
}

export async function startDiscord(
  dojo: Dojo,
  options: Partial<DiscordAdapterOptions> = {},
  fakeOptions: FakeDiscordOptions = {},
): Promise<Harness> {
  const fake = await new FakeDiscord(fakeOptions).start();
  const adapter = createDiscordAdapter({
    token: 'fake-bot-token.for-tests.only',
    apiUrl: fake.apiUrl,
    log,
    topics: ['caching', 'databases', 'distributed-systems', 'indexing', 'networking'],
    rest: { retries: 1, timeout: 5000 },
    readyTimeoutMs: 10_000,
    ...options,
  });
  await adapter.start(dojo);
  return {
    fake,
    adapter,
    stop: async () => {
      await adapter.stop();
      await fake.stop();
    },
  };
}

/** A Dojo double that records events and answers with what the test says (early adapter tests). */
export class RecordingDojo implements Dojo {
  readonly events: InboundEvent[] = [];
  answer: (event: InboundEvent) => Outcome | Promise<Outcome> = () => ({ reply: { text: 'ok', visibility: 'ephemeral' } });
  async handle(event: InboundEvent): Promise<Outcome> {
    this.events.push(event);
    return this.answer(event);
  }
}

export const member = (username: string, extra: { manageGuild?: boolean; roles?: string[] } = {}) => ({
  id: String(BigInt('400000000000000000') + BigInt([...username].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 1_000_000)),
  username,
  ...extra,
});

/** Polls until `check` passes (for work the adapter does after a gateway event). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** What a person sees of a message: content, embed title and description. */
export function shown(m: { content?: string; embeds?: unknown[] } | undefined): string {
  const embeds = (m?.embeds ?? []) as { title?: string; description?: string }[];
  return [m?.content ?? '', ...embeds.flatMap((e) => [e.title ?? '', e.description ?? ''])].filter(Boolean).join('\n');
}

export function buttonsOf(m: StoredMessage | undefined): { custom_id: string; label: string }[] {
  return ((m?.components ?? []) as { components: { custom_id: string; label: string }[] }[]).flatMap((row) => row.components);
}


/**
 * The person's answer is private: a reply in the callback (when the core was quick) or a private
 * "thinking" deferral edited later, both with the ephemeral flag (64).
 */
export function expectPrivateAnswer(callback: RecordedCall): void {
  expect([CALLBACK.reply, CALLBACK.defer]).toContain(callback.body.type);
  expect(callback.body.data?.flags).toBe(64);
}

/**
 * A click (or a form opened from a message) leaves its card as it is: acknowledged silently, or
 * answered with a private message of its own, never by replacing the card.
 */
export function expectCardKept(callback: RecordedCall): void {
  const { type, data } = callback.body as { type: number; data?: { flags?: number } };
  expect(type === CALLBACK.deferUpdate || (type === CALLBACK.reply && data?.flags === 64)).toBe(true);
}
