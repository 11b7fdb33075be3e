/** Errors that carry a stable code; the CLI and adapters turn them into one friendly line. */

export class BankInvalidError extends Error {
  readonly code = 'bank_invalid';
  constructor(readonly problems: string[]) {
    super(`the question bank has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
}

export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}
