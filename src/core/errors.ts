/**
 * Errors with a stable code: the CLI, the logs and the adapters tell them apart by `code`, never by
 * their message. Every coded error of the dojo extends DojoError with one of these codes; an error of
 * no known kind is wrapped at the edge (asCodedError) so it has one too.
 */

/** Why a chat platform call failed (ChatError in ports.ts). */
export type ChatErrorCode =
  | 'not_in_channel'
  | 'channel_not_found'
  | 'archived'
  | 'missing_permissions'
  | 'user_unavailable'
  | 'message_not_found'
  | 'unavailable'
  | 'unknown';

export type DojoErrorCode =
  // Starting: configuration, secrets, credentials, the port, the command line.
  | 'config_invalid'
  | 'secret_unreadable'
  | 'refused_to_start'
  | 'platform_rejected'
  | 'gateway_refused'
  | 'port_in_use'
  | 'usage'
  // The database.
  | 'database_unavailable'
  | 'migration_failed'
  | 'lock_refused'
  // The question bank.
  | 'bank_invalid'
  | 'bank_path_missing'
  // Handling an event.
  | 'dojo_busy'
  | 'dojo_unavailable'
  | 'dojo_bug'
  // Anything else, wrapped at the edge.
  | 'unexpected'
  | ChatErrorCode;

export abstract class DojoError extends Error {
  abstract readonly code: DojoErrorCode;
  /** What the person may be told instead of a general apology, where there is something to tell. */
  declare readonly userMessage?: string;
}

/** An error of no known kind, with the original as its cause. */
export class UnexpectedError extends DojoError {
  readonly code = 'unexpected';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'UnexpectedError';
  }
}

/** The error as a coded one: itself when it is, else wrapped (like Bolt's asCodedError). */
export function asCodedError(error: unknown): DojoError {
  return error instanceof DojoError ? error : new UnexpectedError(error);
}
