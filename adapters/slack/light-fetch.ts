/**
 * The `fetch` the Slack clients use (WebClient calls and Bolt's `respond`, issue 13): a plain
 * `node:http(s)` request on kept-alive sockets for the string bodies every Web API call and
 * response_url reply sends, and the platform's fetch for anything else (multipart uploads). Node's fetch
 * (undici with web streams) cost about a fifth of the CPU of a board posted through the outbox; this
 * costs a few percent. It answers only what the Slack clients read of a response: status, statusText,
 * ok, url, headers.get/entries, text(), json() and arrayBuffer(). Timeouts come from the caller's
 * signal, as with fetch; a network failure rejects with a TypeError whose `cause` is the socket's
 * error, as fetch does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;

const agents = { http: new HttpAgent({ keepAlive: true, maxFreeSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxFreeSockets: 64 }) };

function responseOf(res: IncomingMessage, url: string, body: Buffer): FetchResponse {
  const flat = new Map<string, string>();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) flat.set(name, Array.isArray(value) ? value.join(', ') : value);
  const status = res.statusCode ?? 0;
  return {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    url,
    headers: { get: (name: string) => flat.get(name.toLowerCase()) ?? null, entries: () => flat.entries() },
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}

/** A `fetch` for the Slack clients: see the file's comment. */
export const lightFetch: FetchFunction = (input, init: FetchRequestInit = {}) => {
  const body = init.body;
  const url = typeof input === 'string' ? input : input.href;
  if (body !== undefined && typeof body !== 'string') return fetch(input, init);
  // Bolt's respond() passes no signal; Node's fetch gave up after 300 s, this gives up after 30 s, never waits for ever.
  const signal = init.signal ?? AbortSignal.timeout(30_000);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const headers = { ...init.headers, ...(payload ? { 'content-length': String(payload.length) } : {}) };
  return new Promise<FetchResponse>((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(target, { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http });
    const onAbort = () => req.destroy(signal!.reason as Error);
    const settle = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      settle();
      reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: error }));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        settle();
        reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: error }));
      });
      res.on('end', () => {
        settle();
        resolve(responseOf(res, url, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      });
    });
    req.end(payload);
  });
};
