/**
 * A tiny PNG reader for tests: the size from the IHDR header, and the pixels of an 8-bit RGB or RGBA,
 * non-interlaced image (what charts/png.ts and resvg write), inflated with node:zlib and unfiltered by hand.
 */
import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 8)).equals(SIGNATURE);
}

/** Width and height from the header (IHDR is always the first chunk). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  if (!isPng(b) || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

export interface Pixels {
  width: number;
  height: number;
  /** [r, g, b, a] at (x, y). */
  at(x: number, y: number): [number, number, number, number];
  /** Every pixel as RGBA bytes, row after row (alpha 255 in an RGB image). */
  rgba(): Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(bytes: Uint8Array): Pixels {
  const b = Buffer.from(bytes);
  const { width, height } = pngSize(b);
  const channels = ({ 2: 3, 6: 4 } as Record<number, number>)[b[25]!];
  if (b[24] !== 8 || !channels || b[28] !== 0) throw new Error('only 8-bit RGB or RGBA, non-interlaced PNGs');
  const idat: Buffer[] = [];
  for (let at = 8; at < b.length; ) {
    const length = b.readUInt32BE(at);
    if (b.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error(`${raw.length} bytes of image data for ${width}x${height}`);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predicted === undefined) throw new Error(`bad filter ${filter}`);
      out[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    at: (x, y) => {
      const i = y * stride + x * channels;
      return [out[i]!, out[i + 1]!, out[i + 2]!, channels === 4 ? out[i + 3]! : 255];
    },
    rgba: () => {
      if (channels === 4) return new Uint8Array(out);
      const all = new Uint8Array(width * height * 4).fill(255);
      for (let p = 0; p < width * height; p++) all.set(out.subarray(p * 3, p * 3 + 3), p * 4);
      return all;
    },
  };
}

/** How far a pixel is from a colour (#rrggbb), the largest channel difference. */
export function distance(pixel: [number, number, number, number], hex: string): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return Math.max(...want.map((w, i) => Math.abs(w - pixel[i]!)));
}
