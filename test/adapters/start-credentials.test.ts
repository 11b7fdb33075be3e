/**
 * `dojo start` with credentials the platform refuses: the process ends non-zero with one clear line
 * (so Fly restarts it and the operator reads why), instead of "Something went wrong" and a server
 * that answers /healthz 200 for ever. Real Bolt and discord.js against the local fakes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { SIGNING_SECRET } from '../fakes/slack/driver.js';
import { FakeSlack } from '../fakes/slack/server.js';
import { FakeDiscord } from '../fakes/discord/index.js';
import { freePort } from '../helpers/ports.js';


/** Runs `dojo start` to its end (or 60 s); what it printed after the start-up checklist. */
async function start(env: Record<string, string>): Promise<{ code: number | null; lines: string[]; healthzWhileUp: number[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin/dojo.js'), 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'silent', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(timer);
  const healthzWhileUp: number[] = [];
  // Nothing may be left listening on the port once the process is gone.
  await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => healthzWhileUp.push(r.status), () => {});
  const lines = stderr.trim().split('\n').filter((line) => !/^Interview Dojo$|^ {2}[✓!] /.test(line));
  return { code, lines, healthzWhileUp };
}

describe('dojo start with credentials the platform refuses', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dojo-creds-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('exits 1 with one clear line when Slack answers auth.test with invalid_auth', async () => {
    const fake = await FakeSlack.start();
    try {
      const run = await start({ DOJO_DATA_DIR: join(dir, 'slack'), SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
      expect(fake.callsOf('auth.test')).toHaveLength(1);
      expect(run.code).toBe(1);
      expect(run.lines).toEqual([expect.stringMatching(/^Slack did not accept SLACK_BOT_TOKEN \(invalid_auth\); copy the Bot User OAuth Token/)]);
      expect(run.healthzWhileUp).toEqual([]);
    } finally {
      await fake.stop();
    }
  }, 90_000);

  it.each([
    [4004, /^Discord did not accept DISCORD_TOKEN \(gateway close 4004: authentication failed\)/],
    [4014, /^Discord refused the Message Content intent \(close 4014\)/],
  ])('exits 1 with one clear line when the Discord gateway closes with %i at start', async (closeCode, line) => {
    const fake = await new FakeDiscord().start();
    fake.gateway.refuseIdentify = closeCode;
    try {
      const run = await start({
        DOJO_DATA_DIR: join(dir, `discord-${closeCode}`),
        DISCORD_TOKEN: 'fake-bot-token.for-tests.only',
        DISCORD_API_URL: fake.apiUrl,
        ...(closeCode === 4014 ? { DISCORD_THREAD_ANSWERS: 'true' } : {}),
      });
      expect(fake.gateway.identifies).toBeGreaterThanOrEqual(1);
      expect(run.code).toBe(1);
      expect(run.lines).toEqual([expect.stringMatching(line)]);
      expect(run.healthzWhileUp).toEqual([]);
    } finally {
      await fake.stop();
    }
  }, 90_000);
});
