/** Errors that carry a stable code; the CLI and adapters turn them into one friendly line. */
import { DojoError } from './core/errors.js';

export class BankInvalidError extends DojoError {
  readonly code = 'bank_invalid';
  constructor(readonly problems: string[]) {
    super(`the question bank has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
}

export class UsageError extends DojoError {
  readonly code = 'usage';
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

/** A question bank path that does not exist (`dojo questions ... PATH`). */
export class BankPathError extends DojoError {
  readonly code = 'bank_path_missing';
}

/** Something a server must not run without (a database URL, platform credentials): one line, exit 2. */
export class RefusedToStart extends DojoError {
  readonly code = 'refused_to_start';
}

/** A platform refused the credentials at start (a revoked token, a disallowed intent): one line, exit 1. */
export class PlatformRejected extends DojoError {
  readonly code = 'platform_rejected';
}
