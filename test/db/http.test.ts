import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.js';
import { startHttp, type HttpServer } from '../../src/http.js';
import { backend, testDb, type TestDb } from '../helpers/db.js';

describe(`the HTTP server on ${backend}`, () => {
  let t: TestDb;
  let http: HttpServer;
  const metrics = createMetrics();
  const log = pino({ level: 'silent' });
  const url = (path: string) => `http://127.0.0.1:${http.port}${path}`;

  beforeAll(async () => {
    t = await testDb();
    http = await startHttp({ port: 0, host: '127.0.0.1', db: t.db, metrics, log, routes: { '/slack': (_req, res) => void res.writeHead(204).end() } });
  });
  afterAll(async () => http.close());

  it('answers health, readiness against the database, metrics and mounted routes', async () => {
    expect(await (await fetch(url('/healthz'))).text()).toBe('ok\n');
    const ready = await fetch(url('/readyz'));
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
    metrics.tickFailures.inc();
    const body = await (await fetch(url('/metrics'))).text();
    expect(body).toMatch(/^dojo_tick_failures_total 1$/m);
    expect(body).toContain('# TYPE dojo_tick_duration_seconds histogram');
    expect((await fetch(url('/slack/events'), { method: 'POST' })).status).toBe(204);
    expect((await fetch(url('/nowhere'))).status).toBe(404);
  });

  it('says plainly when the port is taken', async () => {
    await expect(startHttp({ port: http.port, host: '127.0.0.1', db: t.db, metrics, log })).rejects.toThrow(`Port ${http.port} is already in use; set PORT to a free port.`);
  });

  it('reports not ready once the database is gone', async () => {
    await t.close();
    const ready = await fetch(url('/readyz'));
    expect([ready.status, await ready.text()]).toEqual([503, 'database unavailable\n']);
  });
});
