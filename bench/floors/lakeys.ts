/**
 * The peer: LakeYS's Trivia Bot (github.com/LakeYS/Discord-Trivia-Bot, a discord.js 14 bot with
 * `/help` and button answers), run unmodified against a fake Discord of its own when LAKEYS_DIR names a
 * checkout with its dependencies installed (`npm install --omit=dev` there). Its REST base is pointed
 * at the fake by a preload (lakeys-preload.mjs; the gateway URL comes from the fake's /gateway/bot),
 * its questions come from its own sample files (file://), and it checks no version online.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeDiscord } from '../../test/fakes/discord/index.js';
import { cardIn, measureDiscord, waitConnected, type DiscordFigures } from '../discord.js';
import { descendants, now, sleep } from '../lib/util.js';

const CONFIG = {
  token: 'bench-peer-token-0123456789.abcdefghijklmnopqrstuvwxyz.0123456789',
  databaseURL: 'file://./Questions',
  'shard-count': 1,
  'use-slash-commands': true,
  'disable-version-check': true,
  'disable-discord-presence': true,
  'display-ascii-logo': false,
  'allow-eval': false,
  // One round that stays open while the bench clicks its answers.
  'round-length': 600_000,
  'round-timeout': 600_000,
  'rounds-end-after': 2,
  'auto-delete-msgs': false,
  'auto-delete-answers': false,
  'stat-file': './stats.json',
};

/** Measures the peer, or says why it could not. */
export async function startPeer(dir: string | undefined, count: number): Promise<DiscordFigures | string> {
  if (!dir) return 'peer not available (set LAKEYS_DIR to a checkout of github.com/LakeYS/Discord-Trivia-Bot with its dependencies installed)';
  if (!existsSync(join(dir, 'index.js')) || !existsSync(join(dir, 'node_modules/discord.js'))) return `peer not available (${dir} has no index.js or node_modules/discord.js)`;
  const fake = await new FakeDiscord().start();
  const work = await mkdtemp(join(tmpdir(), 'bench-lakeys-'));
  await writeFile(join(work, 'config.json'), JSON.stringify(CONFIG));
  // Its sample question files, under the names its file database reads.
  await cp(join(dir, 'Questions'), join(work, 'Questions'), { recursive: true });
  for (const f of await readdir(join(work, 'Questions'))) if (f.endsWith('.example.yml')) await cp(join(work, 'Questions', f), join(work, 'Questions', f.replace('.example', '')));
  // It sets its avatar from ./profile.png when it has none.
  await cp(join(dir, 'profile.png'), join(work, 'profile.png'));
  const env = { PATH: process.env.PATH ?? '', LAKEYS_DIR: dir, LAKEYS_API: fake.apiUrl, NODE_OPTIONS: `--import=${join(import.meta.dirname, 'lakeys-preload.mjs')}` };
  const proc = spawn(process.execPath, [join(dir, 'index.js'), `--configfile=${join(work, 'config.json')}`], { cwd: work, env });
  let out = '';
  proc.stdout.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-10_000)));
  proc.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-10_000)));
  try {
    const start = now();
    while (!/connected to/.test(out) || !fake.gateway.connected) {
      if (proc.exitCode !== null || now() - start > 60_000) return `peer did not start (${proc.exitCode ?? 'timeout'}): ${out.slice(-400).replace(/\s+/g, ' ')}`;
      await sleep(50);
    }
    if (process.env.LAKEYS_DEBUG) console.log(out);
    if (!(await waitConnected(fake))) return 'peer did not connect to the fake gateway';
    return await measureDiscord(fake, {
      pid: proc.pid!,
      help: (f, user) => f.play.command(user, 'help'),
      card: async (f, by) => {
        f.play.command(by, 'play');
        return cardIn(f, /^answer_/);
      },
    }, { count, maxMs: 60_000 });
  } catch (error) {
    if (process.env.LAKEYS_DEBUG) console.log(out);
    return `peer failed: ${String(error).slice(0, 300)}; its output: ${out.slice(-300).replace(/\s+/g, ' ')}`;
  } finally {
    // The manager and its shard process.
    for (const pid of descendants(proc.pid!)) process.kill(pid, 'SIGTERM');
    proc.kill('SIGTERM');
    await Promise.race([new Promise((r) => proc.once('exit', r)), sleep(5_000)]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await fake.stop();
    await rm(work, { recursive: true, force: true });
  }
}
