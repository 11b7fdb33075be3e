/**
 * Prometheus metrics (prom-client) served at GET /metrics: what an operator needs to see the bot work.
 * Inbound events by platform, kind and outcome with their latency; platform calls by method and
 * status, and rate-limit waits; the outbox backlog and the lateness of due work, read from the
 * database when scraped; the database pool.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Connected } from './db/index.js';
import { oldestOverdueSeconds, outboxBacklog } from './db/repos/operations.js';

export interface Metrics {
  registry: Registry;
  /** Inbound deliveries handled: platform, kind (command:quiz, button, message, ...), outcome. */
  events: Counter<'platform' | 'kind' | 'outcome'>;
  handleDuration: Histogram<'platform' | 'kind'>;
  tickDuration: Histogram;
  tickFailures: Counter;
  /** Calls to Slack's Web API or Discord's REST API: method (or route) and status (ok, an error code, an HTTP status). */
  platformCalls: Counter<'platform' | 'method' | 'status'>;
  platformCallDuration: Histogram<'platform'>;
  rateLimited: Counter<'platform'>;
  rateLimitWait: Counter<'platform'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    events: new Counter({ name: 'dojo_events_total', help: 'Inbound events handled, by platform, kind and outcome', labelNames: ['platform', 'kind', 'outcome'], registers }),
    handleDuration: new Histogram({ name: 'dojo_handle_duration_seconds', help: 'Time to handle an inbound event', labelNames: ['platform', 'kind'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers }),
    tickDuration: new Histogram({ name: 'dojo_tick_duration_seconds', help: 'Duration of scheduler ticks', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15], registers }),
    tickFailures: new Counter({ name: 'dojo_tick_failures_total', help: 'Ticks that failed (database unreachable, ...)', registers }),
    platformCalls: new Counter({ name: 'dojo_platform_calls_total', help: 'Calls to the chat platforms, by method and status', labelNames: ['platform', 'method', 'status'], registers }),
    platformCallDuration: new Histogram({ name: 'dojo_platform_call_duration_seconds', help: 'Duration of calls to the chat platforms (queueing and retries included)', labelNames: ['platform'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60], registers }),
    rateLimited: new Counter({ name: 'dojo_platform_rate_limited_total', help: 'Times a platform asked the bot to wait (HTTP 429)', labelNames: ['platform'], registers }),
    rateLimitWait: new Counter({ name: 'dojo_platform_rate_limit_wait_seconds_total', help: 'Seconds spent waiting out rate limits', labelNames: ['platform'], registers }),
  };
}

/** What the adapters report their platform calls to (Slack's WebClient, Discord's REST). */
export function platformObserver(metrics: Metrics, platform: 'slack' | 'discord') {
  return {
    call(method: string, status: string, seconds?: number) {
      metrics.platformCalls.inc({ platform, method, status });
      if (seconds !== undefined) metrics.platformCallDuration.observe({ platform }, seconds);
    },
    rateLimited(seconds: number) {
      metrics.rateLimited.inc({ platform });
      metrics.rateLimitWait.inc({ platform }, seconds);
    },
  };
}

/** How long a scrape may wait on the database before it reports what it has. */
const SCRAPE_DEADLINE_MS = 1_000;

/** Gauges read from the database at each scrape: outbox backlog, tick lag, pool use. */
export function watchDatabase(metrics: Metrics, db: Connected, now: () => Date = () => new Date()): void {
  const registers = [metrics.registry];
  const read = async <T>(query: () => Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SCRAPE_DEADLINE_MS)));
    try {
      return await Promise.race([query().catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  // One query serves both outbox gauges: prom-client starts each collect in registration order.
  let backlog: Promise<{ pending: number; oldestAgeSeconds: number } | undefined> = Promise.resolve(undefined);
  new Gauge({
    name: 'dojo_outbox_pending',
    help: 'Chat posts waiting in the outbox',
    registers,
    async collect() {
      backlog = read(() => outboxBacklog(db.db, now()));
      const value = await backlog;
      if (value) this.set(value.pending);
    },
  });
  new Gauge({
    name: 'dojo_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest chat post waiting in the outbox',
    registers,
    async collect() {
      const value = await backlog;
      if (value) this.set(value.oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'dojo_tick_lag_seconds',
    help: 'How long the oldest due schedule or round close has waited for a tick',
    registers,
    async collect() {
      const lag = await read(() => oldestOverdueSeconds(db.db, now()));
      if (lag !== undefined) this.set(lag);
    },
  });
  if (db.poolStats) {
    const stats = db.poolStats;
    new Gauge({
      name: 'dojo_db_pool_connections',
      help: 'Database connections of this instance, by state',
      labelNames: ['state'],
      registers,
      collect() {
        const { total, idle, waiting } = stats();
        this.set({ state: 'in_use' }, total - idle);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting_queries' }, waiting);
      },
    });
  }
}
