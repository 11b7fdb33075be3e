/**
 * The Web API client's transport (issue 13): a plain node:http(s) request on a keep-alive agent,
 * instead of the global fetch. Profiles of thread answers showed each reactions.add and users.info
 * spending most of its CPU inside undici's fetch (web streams, its WebAssembly parser, many small
 * socket writes): about half of the bot's CPU per answer. Only what the WebClient uses is implemented
 * (a POST of a form string, status, headers, the body as text); anything else (file uploads, which send
 * FormData) goes to the global fetch as before. Redirects are not followed: the WebClient asks for
 * `redirect: 'error'`, and a 3xx is an HTTP error to it either way.
 */
import http from 'node:http';
import https from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

class Headers {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  *entries(): Iterable<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
}

class LightResponse implements FetchResponse {
  readonly ok: boolean;
  readonly headers: Headers;
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    raw: http.IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new Headers(raw);
  }
  async text(): Promise<string> {
    return this.body.toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

export const lightFetch: FetchFunction = (input, init = {}) => {
  const url = typeof input === 'string' ? new URL(input) : input;
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent || (init.body !== undefined && typeof init.body !== 'string')) return globalThis.fetch(input, init as RequestInit);
  const body = init.body;
  return new Promise<FetchResponse>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...init.headers };
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(new LightResponse(res.statusCode ?? 0, res.statusMessage ?? '', url.href, res.headers, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
};
