import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresInstallations } from '../../adapters/slack/installations.js';
import { systemClock } from '../../src/core/ports.js';
import { run } from '../../src/cli/index.js';
import type { Io } from '../../src/cli/io.js';
import { loadConfig } from '../../src/config.js';
import { secretBox } from '../../src/secrets.js';
import { openDatabase } from '../../src/setup.js';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: process.cwd(), stdin: process.stdin, interactive: false, color: false, waitForSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

describe('dojo slack reencrypt', () => {
  it('seals the stored tokens under the new key, after which the old key can go', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-reencrypt-'));
    const [OLD, NEW] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    try {
      const db = await openDatabase(loadConfig({ DOJO_DATA_DIR: dir }));
      await postgresInstallations({ db: db.db, clock: systemClock, secrets: secretBox({ key: OLD }) }).storeInstallation({
        team: { id: 'T9', name: 'Nine' },
        enterprise: undefined,
        user: { id: 'U1', token: undefined, scopes: undefined },
        bot: { id: 'B1', userId: 'UBOT', token: 'xoxb-nine', scopes: [] },
      });
      await db.close();

      const missing = io({ DOJO_DATA_DIR: dir });
      expect(await run(['slack', 'reencrypt'], missing.io)).toBe(2);
      expect(missing.err[0]).toMatch(/Set DOJO_ENCRYPTION_KEY/);

      const done = io({ DOJO_DATA_DIR: dir, DOJO_ENCRYPTION_KEY: NEW, DOJO_ENCRYPTION_KEY_OLD: OLD });
      expect(await run(['slack', 'reencrypt'], done.io)).toBe(0);
      expect(done.out).toEqual(['Sealed 1 of 1 Slack installation(s) under DOJO_ENCRYPTION_KEY; the others were already.']);

      const after = await openDatabase(loadConfig({ DOJO_DATA_DIR: dir }));
      try {
        const store = postgresInstallations({ db: after.db, clock: systemClock, secrets: secretBox({ key: NEW }) });
        expect((await store.find('T9'))?.bot?.token).toBe('xoxb-nine');
      } finally {
        await after.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
