/**
 * Slack Web API failures as the core's ChatError, wrapped once here at the edge. The mapping is by
 * Slack's stable error strings; anything unknown keeps its cause for the log.
 */
import { ErrorCode } from '@slack/web-api';
import { ChatError, type ChatErrorCode } from '../../src/core/ports.js';

const BY_SLACK_ERROR: Record<string, ChatErrorCode> = {
  not_in_channel: 'not_in_channel',
  channel_not_found: 'channel_not_found',
  is_archived: 'archived',
  account_inactive: 'user_unavailable',
  user_not_found: 'user_unavailable',
  user_disabled: 'user_unavailable',
  cannot_dm_bot: 'user_unavailable',
  user_not_visible: 'user_unavailable',
  missing_scope: 'missing_permissions',
  restricted_action: 'missing_permissions',
  restricted_action_read_only_channel: 'missing_permissions',
  restricted_action_thread_only_channel: 'missing_permissions',
  restricted_action_non_threadable_channel: 'missing_permissions',
  not_allowed_token_type: 'missing_permissions',
  ekm_access_denied: 'missing_permissions',
  team_access_not_granted: 'missing_permissions',
  // The app was uninstalled or its token revoked: nothing will work until someone reinstalls it.
  token_revoked: 'missing_permissions',
  invalid_auth: 'missing_permissions',
  not_authed: 'missing_permissions',
  message_not_found: 'message_not_found',
  cant_update_message: 'message_not_found',
  thread_not_found: 'message_not_found',
  ratelimited: 'unavailable',
  fatal_error: 'unavailable',
  internal_error: 'unavailable',
  service_unavailable: 'unavailable',
  request_timeout: 'unavailable',
};

/** The `error` string of a Slack platform error, if this is one. */
export function slackErrorOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; data?: { error?: unknown } };
  return e.code === ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

export function toChatError(error: unknown, what: string): ChatError {
  if (error instanceof ChatError) return error;
  const slack = slackErrorOf(error);
  if (slack) {
    const code = BY_SLACK_ERROR[slack] ?? 'unknown';
    return new ChatError(code, `${what}: ${slack}`, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError || code === ErrorCode.RateLimitedError) {
    return new ChatError('unavailable', `${what}: Slack is unreachable or failing`, { cause: error });
  }
  return new ChatError('unknown', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
