/**
 * The HTTP answer to a delivery whose handling failed. Slack retries anything non-2xx, so only a failure
 * a retry can cure (the core could not reach its database) is a 500; a workspace the app is not
 * installed in is a 401, as Bolt answers it; anything else is a bug that would fail the same way again:
 * logged with its cause and answered 200, so Slack does not send it three more times.
 */
import { ErrorCode, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { isBusy, isUnavailable } from './payloads.js';

export function answerFailure(log: Logger) {
  return async ({ error, response, storedResponse }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> => {
    if (response.headersSent) return false;
    const status = failureStatus(error, log);
    const body = status !== 200 || storedResponse === undefined || storedResponse === '' ? undefined : typeof storedResponse === 'string' ? storedResponse : JSON.stringify(storedResponse);
    response.writeHead(status, body && typeof storedResponse !== 'string' ? { 'content-type': 'application/json' } : {}).end(body);
    return false;
  };
}

/** The status for a delivery that failed (the edge's fast path answers with it too); a bug is logged here. */
export function failureStatus(error: unknown, log: Logger): 200 | 401 | 500 | 503 {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === ErrorCode.AuthorizationError) return 401;
  if (isUnavailable(error)) return 500;
  // Too much in flight: Slack delivers it again later, when there is room.
  if (isBusy(error)) return 503;
  log.error({ err: error, code }, 'slack: a delivery failed with a bug; answered 200 so Slack does not retry it');
  return 200;
}
