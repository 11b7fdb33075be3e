/**
 * The door in front of Bolt's HTTP receiver on POST /slack/events. It reads the body once (Bolt reuses
 * it as `rawBody`), checks the signature and that the timestamp is within 5 minutes of now in either
 * direction (Bolt refuses only old ones), parses it and checks its shape (payloads.ts). Only a signed,
 * well-formed body reaches Bolt: a malformed one is answered 400 here, since Bolt's receiver throws on
 * some (a body of `null`) where nobody can catch it, which ends the process.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../src/log.js';
import { classify, type Verdict } from './payloads.js';

/** Slack's own window for a request's timestamp, applied both ways. */
export const MAX_SKEW_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

export interface EdgeOptions {
  signingSecret: string;
  log: Logger;
  /** Wall-clock seconds (tests move it). */
  nowSeconds?: () => number;
}

/** A request the door let through: what kind it is, and its body as parsed and checked here. */
export interface Admitted {
  kind: Extract<Verdict, { to: 'bolt' }>['kind'] | 'ssl_check';
  body: unknown;
}

type Checked = ({ pass: true } & Admitted) | { pass: false; status: number; reason: string };

/**
 * Reads and checks one request. Admitted: the body is on `req.rawBody` and Bolt's listener may have it
 * (or the edge's fast path, thread-edge.ts); undefined: the request has been answered (401, 400, 413, or
 * 200 for a notice that needs only an ack).
 */
export async function admit(req: IncomingMessage, res: ServerResponse, options: EdgeOptions): Promise<Admitted | undefined> {
  let checked: Checked;
  try {
    const raw = await readBody(req);
    if (raw === undefined) checked = { pass: false, status: 413, reason: 'body too large' };
    else {
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
      checked = check(req, raw.toString('utf8'), options);
    }
  } catch (error) {
    options.log.warn({ err: error }, 'slack: could not read a request body');
    checked = { pass: false, status: 400, reason: 'unreadable body' };
  }
  if (checked.pass) return { kind: checked.kind, body: checked.body };
  if (checked.status === 200) options.log.info({ reason: checked.reason }, 'slack: acknowledged a notice');
  else options.log.warn({ status: checked.status, reason: checked.reason }, 'slack: refused a request');
  if (!res.headersSent) res.writeHead(checked.status).end();
  return undefined;
}

function check(req: IncomingMessage, body: string, options: EdgeOptions): Checked {
  const contentType = req.headers['content-type'];
  const form = contentType === FORM ? parseQuery(body) : undefined;
  // Slack's SSL check carries no signature; Bolt answers it and drops anything else in it.
  if (form?.ssl_check === '1') return { pass: true, kind: 'ssl_check', body: form };
  const signature = req.headers['x-slack-signature'];
  const stamp = req.headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) return { pass: false, status: 401, reason: 'no signature' };
  const now = options.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(stamp)) > MAX_SKEW_SECONDS) return { pass: false, status: 401, reason: 'timestamp outside five minutes of now' };
  const expected = Buffer.from(`v0=${createHmac('sha256', options.signingSecret).update(`v0:${stamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { pass: false, status: 401, reason: 'bad signature' };

  let parsed: unknown;
  try {
    if (form) {
      const payload = form.payload;
      if (payload === undefined) parsed = form;
      else if (typeof payload === 'string') parsed = JSON.parse(payload);
      else return { pass: false, status: 400, reason: 'payload given twice' };
    } else if (contentType === 'application/json') {
      parsed = JSON.parse(body);
    } else {
      return { pass: false, status: 400, reason: `content type ${String(contentType)}` };
    }
  } catch {
    return { pass: false, status: 400, reason: 'not JSON' };
  }
  const verdict = classify(parsed);
  return verdict.to === 'bolt' ? { pass: true, kind: verdict.kind, body: parsed } : { pass: false, status: verdict.status, reason: verdict.reason };
}

/** The body, or undefined when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
