// Every migration, listed explicitly so bundles and builds find them; names sort by time.
import type { Migration } from 'kysely';
import * as init from './20261124T100000Z-init.js';

export const migrations: Record<string, Migration> = {
  '20261124T100000Z-init': init,
};
