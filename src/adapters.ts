/** The platform adapters the server can start, each deciding from the configuration whether it runs. */
import { discordAdapterFactory } from '../adapters/discord/factory.js';
import type { AdapterFactory } from './main.js';

export const adapterFactories: AdapterFactory[] = [discordAdapterFactory];
