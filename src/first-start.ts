/**
 * A first start on embedded PGlite makes its database in a child process (first-start-child.ts): the
 * template unpacked, the migrations and the bank import grow the process for good (pages PGlite's
 * WebAssembly memory touched, malloc arenas, the YAML parser's heap: ~50 MB that a restart never
 * holds), and a process gives all of it back when it ends. The bot then opens the database as a restart
 * does. The child works in a staging directory that becomes the database in one rename once it is
 * done: a start killed halfway leaves no directory that a later start would take as made.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { BankImport } from './setup.js';

export type FirstStartReply = { type: 'made'; applied: string[]; bank: BankImport } | { type: 'failed'; message: string };

/** What the child did, for the start's own report: the migrations applied and the bank imported. */
export interface FirstStart {
  applied: string[];
  bank: BankImport;
}

/**
 * Makes the embedded database in a child process when this is its first start (no URL, no database in
 * DOJO_DATA_DIR yet); undefined otherwise. If the child fails, the start does the work itself as it
 * always could (with its memory), and a real problem (a bad bank, a full disk) is reported from there.
 */
export async function firstStartInChild(config: Config, log: Pick<Logger, 'warn'>): Promise<FirstStart | undefined> {
  if (config.database.url || config.production) return undefined;
  const target = resolve(config.database.dataDir, 'pglite');
  // PG_VERSION marks a made directory (pglite-unpack.ts writes it last, initdb at its end).
  if (existsSync(join(target, 'PG_VERSION'))) return undefined;
  // One staging directory per start: a child whose parent was killed may still be writing in its own.
  const staging = resolve(config.database.dataDir, `${STAGING}${process.pid}`);
  try {
    await removeLeftovers(config.database.dataDir);
    const made = await runChild(staging);
    // Whatever is at the target was never made (no PG_VERSION): an older start stopped halfway.
    await rm(target, { recursive: true, force: true });
    await rename(join(staging, 'pglite'), target);
    return made;
  } catch (error) {
    log.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'could not make the embedded database in a child process; making it in this one');
    return undefined;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
}

const STAGING = '.first-start-';

/** What earlier first starts that were stopped left behind: never a database, whatever is in it. */
async function removeLeftovers(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => []);
  for (const name of names.filter((n) => n.startsWith(STAGING))) await rm(resolve(dataDir, name), { recursive: true, force: true });
}

/** The child's entry: compiled beside this file (dist/src, or dist/bundle as an entry of its own), else the source through tsx. */
function childEntry(): { file: string; execArgv: string[] } {
  const compiled = fileURLToPath(new URL('./first-start-child.js', import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(compiled)) return { file: compiled, execArgv: [] };
  return { file: fileURLToPath(new URL('./first-start-child.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
}

function runChild(dataDir: string): Promise<FirstStart> {
  const { file, execArgv } = childEntry();
  const child = fork(file, [dataDir], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  return new Promise((resolve, reject) => {
    let reply: FirstStartReply | undefined;
    child.on('message', (message: FirstStartReply) => (reply = message));
    child.on('error', reject);
    // The answer counts once the process has ended (its files closed) and its pipes with it (the answer read).
    child.on('close', (code, signal) => {
      if (reply?.type === 'made' && code === 0) resolve({ applied: reply.applied, bank: reply.bank });
      else reject(new Error(reply?.type === 'failed' ? reply.message : `the child process ended (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  });
}
