/**
 * Discord REST failures -> ChatError with a stable code, wrapped once here. Rate limits never get this
 * far: @discordjs/rest queues and waits on 429s.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { ChatError, type ChatErrorCode } from '../../src/core/ports.js';

// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
export const DiscordCodes = {
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  MissingPermissions: 50013,
  InteractionAlreadyAcknowledged: 40060,
  ThreadArchived: 50083,
  ThreadAlreadyCreated: 160004,
  ThreadLocked: 160005,
  CannotReplyWithoutHistory: 160002,
} as const;

const BY_CODE: Record<number, ChatErrorCode> = {
  [DiscordCodes.UnknownChannel]: 'channel_not_found',
  [DiscordCodes.UnknownGuild]: 'not_in_channel',
  [DiscordCodes.UnknownMessage]: 'message_not_found',
  [DiscordCodes.UnknownUser]: 'user_unavailable',
  [DiscordCodes.CannotSendToUser]: 'user_unavailable',
  [DiscordCodes.MissingAccess]: 'missing_permissions',
  [DiscordCodes.MissingPermissions]: 'missing_permissions',
  [DiscordCodes.CannotReplyWithoutHistory]: 'missing_permissions',
  [DiscordCodes.ThreadLocked]: 'missing_permissions',
  [DiscordCodes.ThreadArchived]: 'archived',
};

export function discordCode(error: unknown): number | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number' ? error.code : undefined;
}

export function toChatError(error: unknown, what: string): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof DiscordAPIError) {
    const mapped = typeof error.code === 'number' ? BY_CODE[error.code] : undefined;
    const code: ChatErrorCode = mapped ?? (error.status === 403 ? 'missing_permissions' : error.status === 404 ? 'channel_not_found' : error.status >= 500 ? 'unavailable' : 'unknown');
    return new ChatError(code, `${what}: Discord said ${error.status} ${String(error.code)} ${error.message}`, { cause: error });
  }
  if (error instanceof HTTPError || error instanceof RateLimitError) {
    return new ChatError('unavailable', `${what}: Discord is unavailable (${error.message})`, { cause: error });
  }
  // Timeouts (AbortError) and network errors: worth retrying.
  if (error instanceof Error && (error.name === 'AbortError' || 'code' in error)) {
    return new ChatError('unavailable', `${what}: ${error.message}`, { cause: error });
  }
  return new ChatError('unknown', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
