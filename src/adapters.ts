/** The platform adapters the server can start, each deciding from the configuration whether it runs. */
import type { AdapterFactory } from './main.js';

export const adapterFactories: AdapterFactory[] = [];
