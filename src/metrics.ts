/** Prometheus metrics (prom-client) served at GET /metrics. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  events: Counter<'type' | 'outcome'>;
  tickDuration: Histogram;
  tickFailures: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    events: new Counter({ name: 'dojo_events_total', help: 'Inbound events handled', labelNames: ['type', 'outcome'], registers: [registry] }),
    tickDuration: new Histogram({ name: 'dojo_tick_duration_seconds', help: 'Duration of scheduler ticks', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry] }),
    tickFailures: new Counter({ name: 'dojo_tick_failures_total', help: 'Ticks that failed (database unreachable, ...)', registers: [registry] }),
  };
}
