/**
 * The fake's REST API under /api/v10: routes, recorded calls, injected failures and rate limits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RecordedCall {
  method: string;
  /** Decoded path after /api/v10, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the client sent
  /** Multipart file parts: their name, text (a CSV) and bytes (a PNG). */
  files: { name: string; content: string; bytes: Buffer; type: string }[];
  status: number;
  at: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (call: RecordedCall, params: string[]) => Reply | Promise<Reply>;

export interface Injection {
  method?: string;
  path: RegExp;
  reply: Reply;
  times: number;
}

export const json = (status: number, body?: unknown): Reply => ({ status, body });
export const error = (status: number, code: number, message: string): Reply => ({ status, body: { code, message } });

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: RecordedCall['files'] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: RecordedCall['files'] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ name: value.name, content: bytes.toString('utf8'), bytes, type: value.type });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

export class RestRouter {
  readonly calls: RecordedCall[] = [];
  readonly injections: Injection[] = [];
  private readonly routes: { method: string; pattern: RegExp; route: Route }[] = [];
  private readonly listeners = new Set<(call: RecordedCall) => void>();

  on(method: string, pattern: string, route: Route): void {
    // `:x` matches one path segment.
    this.routes.push({ method, pattern: new RegExp(`^${pattern.replace(/:\w+/g, '([^/]+)')}$`), route });
  }

  onCall(listener: (call: RecordedCall) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = '/api/v10';
    // discord.js percent-encodes segments like @original.
    const path = decodeURIComponent(url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname);
    const { body, files } = await readBody(req);
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: url.searchParams, body, files, status: 0, at: Date.now() };
    let reply: Reply;
    const injected = this.injections.find((i) => i.times > 0 && (!i.method || i.method === call.method) && i.path.test(path));
    if (injected) {
      injected.times--;
      reply = injected.reply;
    } else {
      const match = this.routes.map((r) => ({ r, m: r.method === call.method ? r.pattern.exec(path) : null })).find((x) => x.m);
      reply = match ? await match.r.route(call, match.m!.slice(1)) : error(404, 0, '404: Not Found');
    }
    call.status = reply.status;
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);
    const empty = reply.body === undefined || reply.status === 204;
    res.writeHead(reply.status, { ...(empty ? {} : { 'content-type': 'application/json' }), ...reply.headers });
    res.end(empty ? undefined : JSON.stringify(reply.body));
  }
}
