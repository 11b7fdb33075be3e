/**
 * PNG bytes from resvg's pixels, compressed by node's own zlib. resvg's encoder (`asPng()`) was most of
 * each chart's CPU: of the 800x528 stats chart's ~40 ms, 3 went to parsing the SVG, 13 to drawing and
 * 23 to the PNG. Taking the pixels and writing the PNG here costs 8-11 ms (pixels 2-3, the RGB rows 3,
 * deflate 4-5) where asPng() took 22-32 in the same runs, and the files are smaller (stats 36.6 KB for
 * resvg's 42.1 KB, a 10-row board 22.8 KB for 23.3 KB; a 3-row board is 1% larger, 8.4 KB for 8.3).
 *
 * No PNG library, and no new dependency for ~100 lines: fast-png deflates in JavaScript (pako), and the
 * deflate is most of the cost, where node's zlib is native; pngjs does use node's zlib but by default
 * tries every filter on every row in JavaScript, a per-byte pass of the kind that cost 8-20 ms below.
 * (Neither is installed here, so neither was measured.)
 *
 * The choices, measured on the stats chart and the board (bench/charts.ts's pictures):
 * - No filtering (type 0 on every row). Sub and Up make the charts' flat areas zeros but cost a pass
 *   over every byte in JavaScript (8-20 ms here) and made the files larger, not smaller.
 * - RGB, not RGBA: charts are drawn on an opaque white background (render.ts), so alpha is always 255
 *   and a quarter of the data is dropped; then level 3 keeps both files below resvg's own (RGBA at
 *   level 3 made the board larger than resvg's). Levels 4 and up compress ~25% better but cost 3x
 *   (deflate_slow's lazy matching); Z_FILTERED is the same as the default at 1-3 and Z_RLE was 4x larger.
 */
import { deflateSync } from 'node:zlib';

const LEVEL = 3;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOUR_RGB = 2;

/**
 * A PNG (8-bit RGB) of `pixels`, its bytes the whole of their ArrayBuffer: resvg's RGBA, premultiplied, which for opaque pixels is the plain colour.
 * Throws if any pixel is not opaque (dropping alpha would then change the picture).
 */
export function encodePng(pixels: Uint8Array, width: number, height: number): Uint8Array<ArrayBuffer> {
  if (pixels.length !== width * height * 4) throw new Error(`encodePng: ${pixels.length} bytes for ${width}x${height} RGBA`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = COLOUR_RGB; // compression, filter method and interlace stay 0
  const data = deflateSync(rows(pixels, width, height), { level: LEVEL });
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', new Uint8Array(0))];
  // Bytes of their own (not a slice of node's Buffer pool): the drawing thread hands the buffer over.
  const png = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (png.set(part, at), at + part.length), 0);
  return png;
}

/**
 * The image data before compression: each row its filter type (0, none) then its pixels' RGB. Four
 * pixels at a time as 32-bit words (four RGBA words in, three RGB words out): ~3 ms for the stats
 * chart where a byte at a time took ~9. DataView reads and writes unaligned words, little-endian on
 * any machine.
 */
function rows(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3 + 1;
  // 3 bytes to spare: a row's last word may reach past the image by that much.
  const raw = new Uint8Array(stride * height + 3);
  const src = new DataView(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const dst = new DataView(raw.buffer);
  const whole = width & ~3;
  let alpha = 0xff;
  for (let y = 0, i = 0; y < height; y++) {
    let o = y * stride + 1;
    for (let x = 0; x < whole; x += 4, i += 16, o += 12) {
      // Little-endian, a pixel is 0xAABBGGRR.
      const a = src.getUint32(i, true);
      const b = src.getUint32(i + 4, true);
      const c = src.getUint32(i + 8, true);
      const d = src.getUint32(i + 12, true);
      alpha &= (a & b & c & d) >>> 24;
      dst.setUint32(o, (a & 0xffffff) | (b << 24), true);
      dst.setUint32(o + 4, ((b >>> 8) & 0xffff) | (c << 16), true);
      dst.setUint32(o + 8, ((c >>> 16) & 0xff) | (d << 8), true);
    }
    for (let x = whole; x < width; x++, i += 4, o += 3) {
      raw[o] = pixels[i]!;
      raw[o + 1] = pixels[i + 1]!;
      raw[o + 2] = pixels[i + 2]!;
      alpha &= pixels[i + 3]!;
    }
  }
  if (alpha !== 0xff) throw new Error('encodePng: a pixel is not opaque (charts are drawn on a white background)');
  return raw.subarray(0, stride * height);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * CRC-32 (PNG's, the same as zlib's). Node's zlib.crc32 only arrived in 20.15 and any Node 20 may run
 * the bot; a table over a chart's ~40 KB of chunks costs ~0.1 ms.
 */
const TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
