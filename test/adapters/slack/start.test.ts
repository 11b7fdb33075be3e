/**
 * `dojo start` with SLACK_* set: the real composition root serves Slack on its one HTTP server
 * (POST /slack/events next to /healthz), against the fake Web API through SLACK_API_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';
import { STATS_SIZE, statsHeight } from '../../../src/charts/index.js';
import { isPng, pngSize } from '../../helpers/png.js';
import { SIGNING_SECRET, SlackDriver } from '../../fakes/slack/driver.js';
import { FakeSlack } from '../../fakes/slack/server.js';
import { freePort } from '../../helpers/ports.js';


describe('dojo start with Slack configured', () => {
  let fake: FakeSlack;
  let child: ChildProcess;
  let dir: string;
  let port: number;
  let stderr = '';

  beforeAll(async () => {
    fake = await FakeSlack.start();
    dir = await mkdtemp(join(tmpdir(), 'dojo-slack-'));
    port = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'bin/dojo.js'), 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: String(port), DOJO_DATA_DIR: dir, SLACK_BOT_TOKEN: 'xoxb-acme', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, LOG_LEVEL: 'warn' },
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await fake.waitFor(() => stderr.includes('listening on port') || child.exitCode !== null, 'the bot to start', 60_000);
    expect(stderr).toContain(`listening on port ${port}`);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a signed /dojo command on the same server as /healthz', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(fake.callsOf('auth.test')[0]?.token).toBe('xoxb-acme');
    const driver = SlackDriver.attach(`http://127.0.0.1:${port}`, fake);
    const sent = await driver.command('help');
    expect(sent.status).toBe(200);
    const reply = await fake.waitFor(() => fake.responses.find((r) => r.id === sent.responseId), 'the reply', 10_000);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Here is what you can do/) });
    const forged = await driver.post('token=x', 'application/x-www-form-urlencoded', { signature: 'v0=00' });
    expect(forged.status).toBe(401);
  });

  // The compiled drawing thread (render-worker.js, started for this first picture) builds and draws
  // the chart from its data; the words never wait for it.
  it('answers /dojo stats with its words, then uploads the chart the compiled drawing thread drew into the DMs', async () => {
    const driver = SlackDriver.attach(`http://127.0.0.1:${port}`, fake);
    const sent = await driver.command('stats', { user: 'UZED', userName: 'zed' });
    expect(sent.status).toBe(200);
    // A new driver numbers its responses from 1 again: the newest of its words is this command's.
    const words = await fake.waitFor(() => [...fake.responses].reverse().find((r) => r.id === sent.responseId && /^Stats for/.test(String(r.body.text))), 'the words of /dojo stats', 10_000);
    expect(String(words.body.text)).toMatch(/Your chart follows in our direct messages\.$/);
    const done = await fake.waitFor(() => fake.callsOf('files.completeUploadExternal').find((c) => c.args.channel_id === 'DZED'), 'the chart in the DMs', 30_000);
    expect(done.args.files).toEqual([{ id: expect.any(String), title: 'dojo-stats.png' }]);
    const bytes = fake.uploads.at(-1)!.bytes;
    expect(isPng(bytes)).toBe(true);
    expect(pngSize(bytes)).toEqual({ width: STATS_SIZE.width, height: statsHeight(0) });
  });
});
