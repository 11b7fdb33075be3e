/**
 * A private PgBouncer in transaction mode (what Fly's pooled DATABASE_URL is), started by a test on
 * a free port in front of TEST_DATABASE_URL's server, with its own configuration in a temp dir.
 * Debian's `pgbouncer` package; tests skip when it is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => spawnSync(p, ['--version']).status === 0);

export interface Bouncer {
  /** `url` with the host and port of the bouncer. */
  url: string;
  stop(): Promise<void>;
}


async function listening(port: number, timeoutMs: number, child: ChildProcess, logfile: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}); see ${logfile}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`pgbouncer did not listen on ${port}; see ${logfile}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts pgbouncer (pool_mode = transaction unless told) in front of the server `url` names. */
/** `ignoreStartup`: more startup parameters it lets through unsent (a pooler that does not refuse the bot's timeouts). */
export async function startBouncer(url: string, options: { poolSize?: number; mode?: 'transaction' | 'statement'; ignoreStartup?: string[] } = {}): Promise<Bouncer> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer)');
  const target = new URL(url);
  const dir = mkdtempSync(join(tmpdir(), 'dojo-pgbouncer-'));
  const port = await freePort();
  const logfile = join(dir, 'pgbouncer.log');
  const user = decodeURIComponent(target.username || 'postgres');
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432} user=${user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      `pool_mode = ${options.mode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 8}`,
      'max_client_conn = 200',
      `ignore_startup_parameters = ${['extra_float_digits', 'options', ...(options.ignoreStartup ?? [])].join(',')}`,
      `logfile = ${logfile}`,
      '',
    ].join('\n'),
  );
  // pgbouncer refuses to run as root; -u drops to the postgres user, who must read its own files.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'pgbouncer.ini'), 0o644);
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  await listening(port, 10_000, child, logfile);
  const via = new URL(url);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  return {
    url: via.toString(),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
