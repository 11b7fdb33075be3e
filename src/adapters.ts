/** The platform adapters the server can start, each deciding from the configuration whether it runs. */
import { discordAdapterFactory } from '../adapters/discord/factory.js';
import { slackAdapterFactory } from '../adapters/slack/factory.js';
import type { AdapterFactory } from './main.js';

export const adapterFactories: AdapterFactory[] = [slackAdapterFactory, discordAdapterFactory];
