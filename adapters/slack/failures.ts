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
    const code = (error as { code?: unknown }).code;
    if (code === ErrorCode.AuthorizationError) {
      response.writeHead(401).end();
    } else if (isUnavailable(error)) {
      response.writeHead(500).end();
    } else if (isBusy(error)) {
      // Too much in flight: Slack delivers it again later, when there is room.
      response.writeHead(503).end();
    } else {
      log.error({ err: error, code }, 'slack: a delivery failed with a bug; answered 200 so Slack does not retry it');
      const body = storedResponse === undefined || storedResponse === '' ? undefined : typeof storedResponse === 'string' ? storedResponse : JSON.stringify(storedResponse);
      response.writeHead(200, body && typeof storedResponse !== 'string' ? { 'content-type': 'application/json' } : {}).end(body);
    }
    return false;
  };
}
