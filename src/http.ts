/**
 * The one HTTP server: health, readiness (the database and each platform), Prometheus metrics, and whatever
 * routes adapters mount (Slack's POST /slack/events).
 */
import { DojoError } from './core/errors.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Db } from './db/index.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { Health, databaseCheck } from './health.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export interface HttpOptions {
  port: number;
  host?: string;
  db: Db;
  metrics: Metrics;
  log: Logger;
  routes?: Record<string, Handler>;
  /** Readiness checks and the shutting-down flag; by default the database alone. */
  health?: Health;
}

export async function startHttp(options: HttpOptions): Promise<HttpServer> {
  const routes = options.routes ?? {};
  const health = options.health ?? new Health();
  if (!options.health) health.add('database', databaseCheck(options.db));
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      // Once shutting down, even liveness says no: the platform stops sending before the drain.
      if (req.method === 'GET' && path === '/healthz') return health.shuttingDown ? send(res, 503, 'shutting down\n') : send(res, 200, 'ok\n');
      if (req.method === 'GET' && path === '/readyz') {
        const problems = await health.problems();
        return problems.length ? send(res, 503, `${problems.join('\n')}\n`) : send(res, 200, 'ready\n');
      }
      if (req.method === 'GET' && path === '/metrics') {
        return send(res, 200, await options.metrics.registry.metrics(), options.metrics.registry.contentType);
      }
      const route = Object.keys(routes).find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
      if (route) return await routes[route]!(req, res);
      send(res, 404, 'not found\n');
    } catch (error) {
      options.log.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'error\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(`Port ${options.port} is already in use; set PORT to a free port.`, { cause: error }) : error),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (health checkers, Slack) would otherwise hold the close open.
        server.closeIdleConnections();
      }),
  };
}

export class PortInUse extends DojoError {
  readonly code = 'port_in_use';
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
