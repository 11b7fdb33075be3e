/**
 * The composition root: config -> database -> core -> adapters -> scheduler. Nothing else lives here.
 */
import { join } from 'node:path';
import type { Config } from './config.js';
import type { Connected } from './db/index.js';
import { createDojo, type DojoCore } from './core/dojo.js';
import { ManualClock } from './core/clock.js';
import { systemClock, type ChatPort } from './core/ports.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, watchDatabase, type Metrics } from './metrics.js';
import { InFlight, observeDojo } from './observe.js';
import { startHttp, type Handler } from './http.js';
import { Health, databaseCheck } from './health.js';
import { startScheduler } from './scheduler/index.js';
import { Playground } from '../adapters/playground/index.js';
import { PlaygroundChat, colors, plain } from '../adapters/playground/chat.js';
import { RoutingChat } from './routing-chat.js';
import { seededRandom } from './core/selection.js';
import { fontFiles } from './charts/font.js';

export interface PlaygroundRun {
  /** Where the playground's clock starts (scripts that must read the same every day); default now. */
  start?: Date;
  /** Seeds question selection so a script picks the same questions every run. */
  seed?: number;
  input: NodeJS.ReadableStream;
  interactive: boolean;
  write: (line: string) => void;
  color: boolean;
}

/** The terminal playground on the given database; resolves when the input ends. */
export async function runPlayground(config: Config, db: Connected, run: PlaygroundRun): Promise<void> {
  const log = createLogger(config.logLevel ?? 'warn');
  const clock = new ManualClock(run.start ?? new Date());
  const style = run.color ? colors : plain;
  // Pictures (the /dojo stats chart) are saved beside the embedded database and their paths printed.
  const chat = new PlaygroundChat(run.write, style, join(config.database.dataDir, 'pictures'));
  const dojo = createDojo({ db: db.db, chat, clock, log, defaultTimezone: config.timezone, ...(run.seed !== undefined ? { random: seededRandom(run.seed) } : {}) });
  const playground = new Playground({ dojo, chat, clock, write: run.write, style });
  // In a terminal, real time passes too: the clock follows the wall clock plus any :advance.
  let timer: NodeJS.Timeout | undefined;
  if (run.interactive) {
    // The offset grows when :advance moves the clock ahead of the wall clock.
    let offset = clock.now().getTime() - Date.now();
    timer = setInterval(() => {
      offset = Math.max(offset, clock.now().getTime() - Date.now());
      clock.set(new Date(Date.now() + offset));
      void dojo.tick().catch((error) => log.error({ err: error }, 'tick failed'));
    }, 5_000);
  }
  await dojo.tick();
  try {
    await playground.runStream(run.input, run.interactive);
  } finally {
    if (timer) clearInterval(timer);
  }
}

export interface Adapter {
  platform: 'slack' | 'discord';
  chat: ChatPort;
  routes?: Record<string, Handler>;
  start(dojo: DojoCore): Promise<void>;
  /** Stops taking new work and waits for the work in flight. */
  stop(): Promise<void>;
  /** Undefined while the platform connection is fine; else why not (a revoked token, a closed gateway). */
  problem?(): string | undefined;
}

export type AdapterFactory = (config: Config, db: Connected, log: Logger, metrics?: Metrics) => Promise<Adapter | undefined>;

/** How long a shutdown may drain (in-flight work, the outbox) before it gives up; fly.toml's kill_timeout is longer. */
export const SHUTDOWN_DRAIN_MS = 20_000;

/** Slack and/or Discord, the HTTP server and the tick; resolves to a stop function. */
export async function runServer(config: Config, db: Connected, factories: AdapterFactory[], log = createLogger(config.logLevel ?? 'info')): Promise<() => Promise<void>> {
  const metrics = createMetrics();
  const adapters = (await Promise.all(factories.map((f) => f(config, db, log, metrics)))).filter((a): a is Adapter => a !== undefined);
  const chat = new RoutingChat(Object.fromEntries(adapters.map((a) => [a.platform, a.chat])));
  const inFlight = new InFlight();
  const dojo = observeDojo(createDojo({ db: db.db, chat, clock: systemClock, log, defaultTimezone: config.timezone }), metrics, inFlight);
  watchDatabase(metrics, db);
  if (fontFiles().length === 0) log.warn('no font for charts (the dejavu-fonts-ttf package or Debian’s fonts-dejavu-core): pictures are drawn without text');
  const routes = Object.assign({}, ...adapters.map((a) => a.routes ?? {}));
  const health = new Health();
  health.add('database', databaseCheck(db.db));
  for (const adapter of adapters) health.add(adapter.platform, () => adapter.problem?.());
  const http = await startHttp({ port: config.port, db: db.db, metrics, log, routes, health });
  const started: Adapter[] = [];
  try {
    for (const adapter of adapters) {
      await adapter.start(dojo);
      started.push(adapter);
    }
  } catch (error) {
    // A platform that refuses us at start must end the process (so the platform restarts it or the
    // operator sees why), not leave a server answering /healthz with nothing behind it.
    health.markShuttingDown();
    for (const adapter of started) await adapter.stop().catch(() => {});
    await http.close();
    throw error;
  }
  const scheduler = startScheduler(dojo, log, metrics);
  await scheduler.runOnce();
  log.info({ port: http.port, platforms: adapters.map((a) => a.platform) }, 'interview dojo is running');
  return async () => {
    // Not ready first, so traffic goes elsewhere; then no new work, the work in flight, and one last
    // pass over what is due (the outbox above all), within the drain deadline.
    health.markShuttingDown();
    log.info('shutting down: draining in-flight work and the outbox');
    const deadline = Date.now() + SHUTDOWN_DRAIN_MS;
    const within = <T>(work: Promise<T>) => Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
    await within(Promise.allSettled(adapters.map((a) => a.stop())));
    await within(inFlight.idle());
    await within(scheduler.stop());
    await within(dojo.tick().catch((error: unknown) => log.warn({ err: error }, 'the last outbox pass failed; the next instance sends it')));
    await http.close();
    log.info('stopped');
  };
}
