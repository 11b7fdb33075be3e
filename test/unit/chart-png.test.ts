/**
 * Charts' PNGs are written by charts/png.ts from resvg's pixels, not by resvg's encoder: the picture a
 * member gets must be exactly the one resvg drew, in a PNG any reader takes.
 */
import { crc32 } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { statsChart, STATS_SIZE, statsHeight, type StatsChartData } from '../../src/charts/index.js';
import { FONT_FAMILY, fontFiles } from '../../src/charts/font.js';
import { encodePng } from '../../src/charts/png.js';
import { statsSvg } from '../../src/charts/stats.js';
import { decodePng, isPng } from '../helpers/png.js';

const data: StatsChartData = {
  name: 'Ada Lovelace',
  weeks: Array.from({ length: 12 }, (_, i) => ({ label: `${i + 1} Nov`, points: (i * 7) % 23, scored: 3, correctRate: (i % 4) / 4 })),
  topics: Array.from({ length: 6 }, (_, i) => ({ topic: `topic-${i}`, score: 1 - i / 6, answers: 3 })),
};

/** The chunks of a PNG, in order, each checked against its CRC. */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const b = Buffer.from(png);
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < b.length; ) {
    const length = b.readUInt32BE(at);
    expect(b.readUInt32BE(at + 8 + length)).toBe(crc32(b.subarray(at + 4, at + 8 + length)));
    out.push({ type: b.toString('latin1', at + 4, at + 8), data: b.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

describe('chart PNGs', () => {
  it('hold exactly the pixels resvg drew for a stats chart, in a valid 8-bit RGB PNG', async () => {
    const { bytes } = await statsChart(data);
    expect(isPng(bytes)).toBe(true);
    const parts = chunks(bytes);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = parts[0]!.data;
    const height = statsHeight(data.topics.length);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([STATS_SIZE.width, height, 8, 2, 0, 0, 0]);

    const font = { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY };
    const drawn = new Resvg(statsSvg(data), { font, background: '#ffffff', logLevel: 'off' }).render();
    const pixels = decodePng(bytes).rgba();
    expect(pixels.length).toBe(STATS_SIZE.width * height * 4);
    // Opaque, so resvg's premultiplied pixels are the plain colours its own encoder writes.
    expect(Buffer.from(pixels).equals(drawn.pixels)).toBe(true);
    expect(Buffer.from(pixels).equals(Buffer.from(decodePng(drawn.asPng()).rgba()))).toBe(true);
    // Not a blank page: the chart's blue bars are there.
    expect(pixels.some((_, i) => i % 4 === 0 && pixels[i] === 0x4c && pixels[i + 1] === 0x78 && pixels[i + 2] === 0xa8)).toBe(true);
  });

  it('keeps every pixel of an image whose width is not a multiple of four', () => {
    const width = 7;
    const height = 3;
    const pixels = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) & 0xff));
    const png = encodePng(pixels, width, height);
    expect(Buffer.from(decodePng(png).rgba()).equals(Buffer.from(pixels))).toBe(true);
  });

  it('refuses pixels that are not opaque rather than drop their alpha', () => {
    const pixels = new Uint8Array(8 * 2 * 4).fill(255);
    pixels[5 * 4 + 3] = 128;
    expect(() => encodePng(pixels, 8, 2)).toThrow(/not opaque/);
    pixels[5 * 4 + 3] = 255;
    pixels[15 * 4 + 3] = 0;
    expect(() => encodePng(pixels, 8, 2)).toThrow(/not opaque/);
  });
});
