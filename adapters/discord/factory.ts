/**
 * The Discord adapter as the server starts it (src/adapters.ts), from the DISCORD_* variables. The
 * gateway locks use the server's database (DATABASE_DIRECT_URL when set); thread answers stay off unless the configuration turns
 * them on (they need the privileged Message Content intent).
 */
import type { Config } from '../../src/config.js';
import type { Connected } from '../../src/db/index.js';
import type { Logger } from '../../src/log.js';
import type { Adapter } from '../../src/main.js';
import { platformObserver, type Metrics } from '../../src/metrics.js';
import { explainStartFailure } from './fatal.js';
import { createDiscordAdapter } from './index.js';


export async function discordAdapterFactory(config: Config, db: Connected, log: Logger, metrics?: Metrics): Promise<Adapter | undefined> {
  if (!config.discord) return undefined;
  const discord = config.discord;
  const adapter = createDiscordAdapter({
    token: discord.token,
    apiUrl: discord.apiUrl,
    threadAnswers: discord.threadAnswers,
    database: db,
    shards: discord.shards,
    log,
    ...(metrics ? { observer: platformObserver(metrics, 'discord') } : {}),
  });
  return {
    platform: 'discord',
    chat: adapter.chat,
    start: (dojo) => adapter.start(dojo).catch((error: unknown) => Promise.reject(explainStartFailure(error) ?? error)),
    stop: () => adapter.stop(),
    problem: () => adapter.problem(),
  };
}
