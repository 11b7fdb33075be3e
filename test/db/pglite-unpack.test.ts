/**
 * Unpacking a dumped PGlite data directory without PGlite (src/db/pglite-unpack.ts), as a first start
 * does with the template: the same files as the archive, gzipped or not, PG_VERSION only once the rest
 * is written, and nothing written outside the data directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openPGliteThread } from '../../src/db/pglite-thread.js';
import { unpackDataDir } from '../../src/db/pglite-unpack.js';
import { backend } from '../helpers/db.js';
import { snapshotFile } from '../helpers/pglite-snapshot.js';

/** A ustar entry as PGlite's dumpDataDir writes one (a file, or a directory when data is null). */
function entry(name: string, data: Buffer | null, mtime = 1_700_000_000): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write(`${(data ? 0o600 : 0o700).toString(8).padStart(7, '0')}\0`, 100);
  header.write(`${(data?.length ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${mtime.toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write(data ? '0' : '5', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = data ? Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]) : Buffer.alloc(0);
  return Buffer.concat([header, body]);
}
const tar = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

/** Every file under `dir` with its contents, by path relative to it. */
async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) out[name] = (await readFile(path)).toString('base64');
  }
  return out;
}

describe('unpacking a PGlite data directory', () => {
  const dirs: string[] = [];
  const temp = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dojo-unpack-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('writes the files and directories of the archive, gzipped or not, with their times', async () => {
    const dir = await temp();
    const archive = tar(
      entry('/base', null),
      entry('/base/1', null),
      entry('/base/1/1259', Buffer.alloc(8192 * 3 + 100, 7)),
      entry('/PG_VERSION', Buffer.from('17\n')),
      entry('/global/pg_control', Buffer.from('control')),
      entry('/empty', Buffer.alloc(0)),
    );
    await writeFile(join(dir, 'plain.tar'), archive);
    await writeFile(join(dir, 'packed.tgz'), gzipSync(archive));
    await unpackDataDir(join(dir, 'plain.tar'), join(dir, 'plain'));
    await unpackDataDir(join(dir, 'packed.tgz'), join(dir, 'packed'));
    const expected = {
      'base/1/1259': Buffer.alloc(8192 * 3 + 100, 7).toString('base64'),
      PG_VERSION: Buffer.from('17\n').toString('base64'),
      'global/pg_control': Buffer.from('control').toString('base64'),
      empty: '',
    };
    expect(await files(join(dir, 'plain'))).toEqual(expected);
    expect(await files(join(dir, 'packed'))).toEqual(expected);
    expect((await stat(join(dir, 'packed', 'base/1/1259'))).mtimeMs).toBe(1_700_000_000_000);
  });

  it('leaves no PG_VERSION when the archive is cut short, and a second try completes it', async () => {
    const dir = await temp();
    const whole = tar(entry('/PG_VERSION', Buffer.from('17\n')), entry('/base/big', Buffer.alloc(100_000, 1)));
    await writeFile(join(dir, 'cut.tar'), whole.subarray(0, 512 * 2 + 50_000));
    await expect(unpackDataDir(join(dir, 'cut.tar'), join(dir, 'data'))).rejects.toThrow(/cut short/);
    // PG_VERSION came first in the archive, and still was not written: the directory is not taken for a database.
    expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(false);
    await writeFile(join(dir, 'whole.tar'), whole);
    await unpackDataDir(join(dir, 'whole.tar'), join(dir, 'data'));
    expect((await readFile(join(dir, 'data', 'base/big'))).length).toBe(100_000);
    expect((await readFile(join(dir, 'data', 'PG_VERSION'))).toString()).toBe('17\n');
  });

  it('refuses an entry that lies outside the data directory', async () => {
    const dir = await temp();
    await writeFile(join(dir, 'evil.tar'), tar(entry('/../outside', Buffer.from('x')), entry('/PG_VERSION', Buffer.from('17\n'))));
    await expect(unpackDataDir(join(dir, 'evil.tar'), join(dir, 'data'))).rejects.toThrow(/outside the data directory/);
    expect(existsSync(join(dir, 'outside'))).toBe(false);
  });

  it.skipIf(backend !== 'pglite')('unpacks what PGlite dumped into the same files as tar does, and PGlite opens it', async () => {
    const dir = await temp();
    const snapshot = snapshotFile(inject('pgliteSnapshots'), 'migrated');
    await writeFile(join(dir, 'migrated.tgz'), gzipSync(await readFile(snapshot)));
    await unpackDataDir(join(dir, 'migrated.tgz'), join(dir, 'ours'));
    execFileSync('mkdir', ['-p', join(dir, 'tar')]);
    execFileSync('tar', ['xf', snapshot, '-C', join(dir, 'tar')], { stdio: 'ignore' });
    expect(await files(join(dir, 'ours'))).toEqual(await files(join(dir, 'tar')));
    const pg = await openPGliteThread({ dataDir: join(dir, 'ours') });
    try {
      expect((await pg.query<{ n: number }>(`select count(*)::int as n from team`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await pg.close();
    }
  });
});
