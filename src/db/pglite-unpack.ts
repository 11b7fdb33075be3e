/**
 * Unpacks a dumped PGlite data directory (a tarball from PGlite's dumpDataDir: the template a first
 * start begins from, pglite-template.ts) into a directory on disk, with plain Node and no PGlite. Letting
 * PGlite load it instead (`loadDataDir`) takes an instance of its own, and most of what an instance
 * allocates natively (compiling the WebAssembly: ~80 MB of malloc arenas here) stays in the process
 * after its thread ends; unpacked here, a first start holds the memory of a restart.
 */
import { closeSync, createReadStream, mkdirSync, openSync, utimesSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

interface Header {
  name: string;
  mode: number;
  mtime: number;
  size: number;
  type: 'file' | 'dir';
}

const text = (b: Buffer, from: number, length: number) => {
  const field = b.subarray(from, from + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
};
const octal = (b: Buffer, from: number, length: number) => parseInt(text(b, from, length).trim() || '0', 8);

/** A ustar header (what PGlite writes: files and directories, no links, no long-name extensions). */
function header(block: Buffer): Header | undefined {
  if (block.every((byte) => byte === 0)) return undefined;
  const prefix = text(block, 345, 155);
  const name = (prefix ? `${prefix}/` : '') + text(block, 0, 100);
  const flag = String.fromCharCode(block[156] ?? 0);
  if (flag !== '0' && flag !== '\0' && flag !== '5') throw new Error(`unexpected entry "${name}" (type ${flag}) in the PGlite template`);
  return { name, mode: octal(block, 100, 8), mtime: octal(block, 136, 12), size: octal(block, 124, 12), type: flag === '5' ? 'dir' : 'file' };
}

/**
 * Unpacks the tarball at `file` (gzipped, as the template is, or not) into `dataDir`, streaming (the 40 MB it holds never sit in
 * memory at once). Its thousand files are written with synchronous calls: a promise per open, write,
 * close and utimes was two thirds of its CPU (1.5 s), and it runs before anything is served. PG_VERSION, which marks a data directory as made, is written last: a start stopped
 * halfway leaves no PG_VERSION, and the next start unpacks again over what is there.
 */
export async function unpackDataDir(file: string, dataDir: string): Promise<void> {
  const root = normalize(dataDir + sep);
  const versionFile = join(dataDir, 'PG_VERSION');
  const target = (name: string) => {
    const path = normalize(join(dataDir, name));
    if (!path.startsWith(root)) throw new Error(`entry "${name}" lies outside the data directory`);
    return path;
  };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let pending: Buffer = Buffer.alloc(0);
  let entry: (Header & { path: string; left: number; out?: number; version?: Buffer[] }) | undefined;
  let padding = 0;
  let version: { data: Buffer; entry: Header } | undefined;
  let ended = false;
  for await (const chunk of (await isGzip(file)) ? createReadStream(file).pipe(createGunzip()) : createReadStream(file)) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (!ended) {
      if (entry) {
        // The entry's data, written as it arrives.
        const piece = pending.subarray(0, Math.min(entry.left, pending.length));
        if (piece.length) {
          if (entry.version) entry.version.push(Buffer.from(piece));
          else writeAll(entry.out!, piece);
          entry.left -= piece.length;
          pending = pending.subarray(piece.length);
        }
        if (entry.left > 0) break;
        if (entry.version) version = { data: Buffer.concat(entry.version), entry };
        else finish(entry.out!, entry);
        padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
        entry = undefined;
      }
      if (padding) {
        const skip = Math.min(padding, pending.length);
        pending = pending.subarray(skip);
        padding -= skip;
        if (padding) break;
      }
      if (pending.length < BLOCK) break;
      const next = header(pending.subarray(0, BLOCK));
      pending = pending.subarray(BLOCK);
      if (!next) {
        ended = true;
        break;
      }
      const path = target(next.name);
      if (next.type === 'dir') {
        mkdirSync(path, { recursive: true, mode: 0o700 });
        continue;
      }
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      entry = { ...next, path, left: next.size, ...(path === versionFile ? { version: [] } : { out: openSync(path, 'w', next.mode & 0o777 || 0o600) }) };
    }
  }
  if (!ended || entry || !version) throw new Error('the PGlite template is cut short or has no PG_VERSION');
  const out = openSync(versionFile, 'w', 0o600);
  writeAll(out, version.data);
  finish(out, { ...version.entry, path: versionFile });
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
}

function finish(fd: number, entry: Header & { path: string }): void {
  closeSync(fd);
  utimesSync(entry.path, entry.mtime, entry.mtime);
}
