/**
 * Gateway closes that no reconnect can fix (a bad token, an intent the portal does not allow): at start
 * they end the process with one clear line; at run time they make the adapter not ready.
 */
import { DojoError } from '../../src/core/errors.js';
import { once } from 'node:events';
import { Events, type Client } from 'discord.js';
import { PlatformRejected } from '../../src/errors.js';

export class GatewayRefused extends DojoError {
  readonly code = 'gateway_refused';
  constructor(readonly closeCode: number) {
    super(`the Discord gateway closed with ${closeCode}`);
  }
}

/** Rejects with GatewayRefused when the client's gateway closes for good (discord.js: shardDisconnect). */
export function fatalClose(client: Client, signal: AbortSignal): Promise<never> {
  return once(client, Events.ShardDisconnect, { signal }).then(([event]) => {
    throw new GatewayRefused((event as { code: number }).code);
  });
}

const EXPLAIN: Record<number, string> = {
  4004: 'Discord did not accept DISCORD_TOKEN (gateway close 4004: authentication failed); copy the token from the Bot page of the developer portal.',
  4013: 'Discord refused the gateway intents (close 4013); this is a bug in the bot, please report it.',
  4014: 'Discord refused the Message Content intent (close 4014): enable it on the Bot page of the developer portal, or unset DISCORD_THREAD_ANSWERS.',
};

// @discordjs/ws rejects the login with these (its stable messages) before discord.js reports the close.
const BY_MESSAGE: Record<string, number> = { 'Authentication failed': 4004, 'Used invalid intents': 4013, 'Used disallowed intents': 4014 };

/** The one line for a start failure the operator must fix, or undefined for anything else. */
export function explainStartFailure(error: unknown): PlatformRejected | undefined {
  const byMessage = error instanceof Error ? BY_MESSAGE[error.message] : undefined;
  if (byMessage) return explainStartFailure(new GatewayRefused(byMessage));
  if (error instanceof GatewayRefused) {
    return new PlatformRejected(EXPLAIN[error.closeCode] ?? `Discord closed the gateway for good (close ${error.closeCode}).`, { cause: error });
  }
  // discord.js says TokenInvalid when GET /gateway/bot answers 401.
  if ((error as { code?: unknown } | null)?.code === 'TokenInvalid') return new PlatformRejected(EXPLAIN[4004]!.replace('gateway close 4004: authentication failed', '401 Unauthorized'), { cause: error });
  return undefined;
}
