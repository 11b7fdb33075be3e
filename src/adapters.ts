/**
 * The platform adapters the server can start, each deciding from the configuration whether it runs. Each
 * is loaded only when configured: a Slack-only bot never loads discord.js, a Discord-only one never Bolt.
 */
import type { AdapterFactory } from './main.js';

export const adapterFactories: AdapterFactory[] = [
  async (config, ...rest) => (config.slack ? (await import('../adapters/slack/factory.js')).slackAdapterFactory(config, ...rest) : undefined),
  async (config, ...rest) => (config.discord ? (await import('../adapters/discord/factory.js')).discordAdapterFactory(config, ...rest) : undefined),
];
