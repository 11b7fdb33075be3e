/**
 * Chart text as glyph outlines, from the bundled font read once per process. resvg (2.6) can only load
 * fonts from files, anew for every picture: for a chart, reading and parsing the two DejaVu files cost
 * as much as drawing it. Set as paths here, the text needs no font at render time, and looks the same:
 * the same outlines at the same advances and kerning pairs. Text that needs shaping (marks, scripts
 * beyond Latin, Greek and Cyrillic) or glyphs the font lacks is left to resvg's own text layout.
 */
import { readFileSync } from 'node:fs';
import { fontFiles } from './font.js';

interface Face {
  unitsPerEm: number;
  advance(gid: number): number;
  glyphOf(code: number): number;
  kerning(left: number, right: number): number;
  /** The outline in font units (y up), as SVG path data; '' for an empty glyph (a space). */
  outline(gid: number): string;
}

type Weight = 'regular' | 'bold';

/** The characters set without shaping: Latin, Greek, Cyrillic, general punctuation, currency. */
const SIMPLE = /^[\u0020-\u007e\u00a0-\u024f\u0370-\u03ff\u0400-\u04ff\u2000-\u206f\u20a0-\u20bf\u2190-\u21ff\u2212]*$/u;
const MARKS = /[\u0300-\u036f]/u;

function parseFace(bytes: Buffer): Face {
  const tables = new Map<string, number>();
  for (let i = 0, n = bytes.readUInt16BE(4); i < n; i++) tables.set(bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i), bytes.readUInt32BE(20 + 16 * i));
  const at = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font without ${tag}`);
    return offset;
  };
  const head = at('head');
  const unitsPerEm = bytes.readUInt16BE(head + 18);
  const longLoca = bytes.readInt16BE(head + 50) === 1;
  const metrics = bytes.readUInt16BE(at('hhea') + 34);
  const hmtx = at('hmtx');
  const loca = at('loca');
  const glyf = at('glyf');
  const cmap = characterMap(bytes, at('cmap'));
  const kern = kerningPairs(bytes, tables.get('kern'));
  const offsetOf = (gid: number) => (longLoca ? bytes.readUInt32BE(loca + 4 * gid) : bytes.readUInt16BE(loca + 2 * gid) * 2);
  const outlines = new Map<number, string>();
  const outline = (gid: number): string => {
    let d = outlines.get(gid);
    if (d === undefined) outlines.set(gid, (d = contoursOf(gid, [1, 0, 0, 1, 0, 0]).join('')));
    return d;
  };
  /** Each closed contour of a glyph as path data, through the affine `m` (composites place their parts). */
  const contoursOf = (gid: number, m: number[]): string[] => {
    const start = glyf + offsetOf(gid);
    if (offsetOf(gid + 1) === offsetOf(gid)) return [];
    const contours = bytes.readInt16BE(start);
    return contours >= 0 ? simpleGlyph(bytes, start, contours, m) : compositeGlyph(bytes, start + 10, m, contoursOf);
  };
  return {
    unitsPerEm,
    advance: (gid) => bytes.readUInt16BE(hmtx + 4 * Math.min(gid, metrics - 1)),
    glyphOf: (code) => cmap.get(code) ?? 0,
    kerning: (left, right) => kern.get(left * 65536 + right) ?? 0,
    outline,
  };
}

/** Unicode to glyph id, from the Windows Unicode subtables (format 4, and format 12 when present). */
function characterMap(bytes: Buffer, cmap: number): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0, n = bytes.readUInt16BE(cmap + 2); i < n; i++) {
    const [platform, encoding] = [bytes.readUInt16BE(cmap + 4 + 8 * i), bytes.readUInt16BE(cmap + 6 + 8 * i)];
    const sub = cmap + bytes.readUInt32BE(cmap + 8 + 8 * i);
    const format = bytes.readUInt16BE(sub);
    if (platform === 3 && encoding === 1 && format === 4) {
      const segments = bytes.readUInt16BE(sub + 6) / 2;
      const ends = sub + 14;
      const starts = ends + 2 * segments + 2;
      const deltas = starts + 2 * segments;
      const ranges = deltas + 2 * segments;
      for (let s = 0; s < segments; s++) {
        const [first, last, delta, range] = [bytes.readUInt16BE(starts + 2 * s), bytes.readUInt16BE(ends + 2 * s), bytes.readInt16BE(deltas + 2 * s), bytes.readUInt16BE(ranges + 2 * s)];
        for (let c = first; c <= last && c !== 0xffff; c++) {
          const gid = range === 0 ? (c + delta) & 0xffff : bytes.readUInt16BE(ranges + 2 * s + range + 2 * (c - first));
          if (gid && !map.has(c)) map.set(c, range === 0 ? gid : (gid + delta) & 0xffff);
        }
      }
    } else if (platform === 3 && encoding === 10 && format === 12) {
      for (let g = 0, groups = bytes.readUInt32BE(sub + 12); g < groups; g++) {
        const [first, last, gid] = [bytes.readUInt32BE(sub + 16 + 12 * g), bytes.readUInt32BE(sub + 20 + 12 * g), bytes.readUInt32BE(sub + 24 + 12 * g)];
        for (let c = first; c <= last; c++) map.set(c, gid + c - first);
      }
    }
  }
  return map;
}

/** Horizontal kerning pairs of the `kern` table (format 0). */
function kerningPairs(bytes: Buffer, kern: number | undefined): Map<number, number> {
  const pairs = new Map<number, number>();
  if (kern === undefined || bytes.readUInt16BE(kern) !== 0) return pairs;
  let sub = kern + 4;
  for (let t = 0, n = bytes.readUInt16BE(kern + 2); t < n; t++) {
    const [length, coverage] = [bytes.readUInt16BE(sub + 2), bytes.readUInt16BE(sub + 4)];
    if ((coverage & 0xff07) === 0x0001) {
      for (let p = 0, count = bytes.readUInt16BE(sub + 6); p < count; p++) {
        const o = sub + 14 + 6 * p;
        pairs.set(bytes.readUInt16BE(o) * 65536 + bytes.readUInt16BE(o + 2), bytes.readInt16BE(o + 4));
      }
    }
    sub += length;
  }
  return pairs;
}

const num = (v: number) => String(Math.round(v * 100) / 100);

function simpleGlyph(bytes: Buffer, start: number, contours: number, m: number[]): string[] {
  const ends = Array.from({ length: contours }, (_, i) => bytes.readUInt16BE(start + 10 + 2 * i));
  const points = contours ? ends[contours - 1]! + 1 : 0;
  let p = start + 10 + 2 * contours;
  p += 2 + bytes.readUInt16BE(p);
  const flags: number[] = [];
  while (flags.length < points) {
    const flag = bytes[p++]!;
    flags.push(flag);
    if (flag & 8) for (let r = bytes[p++]!; r > 0; r--) flags.push(flag);
  }
  const coords = (short: number, same: number) => {
    let v = 0;
    return flags.map((f) => {
      if (f & short) v += f & same ? bytes[p++]! : -bytes[p++]!;
      else if (!(f & same)) {
        v += bytes.readInt16BE(p);
        p += 2;
      }
      return v;
    });
  };
  const xs = coords(2, 16);
  const ys = coords(4, 32);
  const out: string[] = [];
  let first = 0;
  for (const end of ends) {
    const pts = [];
    for (let i = first; i <= end; i++) pts.push({ x: m[0]! * xs[i]! + m[2]! * ys[i]! + m[4]!, y: m[1]! * xs[i]! + m[3]! * ys[i]! + m[5]!, on: (flags[i]! & 1) === 1 });
    first = end + 1;
    out.push(contourPath(pts));
  }
  return out;
}

/** A TrueType contour (quadratic, with implied on-curve points between two off-curve ones) as path data. */
function contourPath(pts: { x: number; y: number; on: boolean }[]): string {
  if (pts.length === 0) return '';
  const mid = (a: { x: number; y: number }, b: { x: number; y: number }) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, on: true });
  const startAt = pts.findIndex((q) => q.on);
  const ring = startAt >= 0 ? [...pts.slice(startAt), ...pts.slice(0, startAt)] : [mid(pts[pts.length - 1]!, pts[0]!), ...pts];
  let d = `M${num(ring[0]!.x)} ${num(ring[0]!.y)}`;
  for (let i = 1; i <= ring.length; i++) {
    const q = ring[i % ring.length]!;
    if (q.on) {
      d += `L${num(q.x)} ${num(q.y)}`;
      continue;
    }
    const next = ring[(i + 1) % ring.length]!;
    const to = next.on ? next : mid(q, next);
    d += `Q${num(q.x)} ${num(q.y)} ${num(to.x)} ${num(to.y)}`;
    if (next.on) i++;
  }
  return `${d}Z`;
}

function compositeGlyph(bytes: Buffer, p: number, m: number[], contoursOf: (gid: number, m: number[]) => string[]): string[] {
  const out: string[] = [];
  for (let more = true; more; ) {
    const flags = bytes.readUInt16BE(p);
    const gid = bytes.readUInt16BE(p + 2);
    p += 4;
    const words = flags & 1;
    const [dx, dy] = words ? [bytes.readInt16BE(p), bytes.readInt16BE(p + 2)] : [bytes.readInt8(p), bytes.readInt8(p + 1)];
    p += words ? 4 : 2;
    if (!(flags & 2)) throw new Error('composite glyph placed by points');
    const f2 = (o: number) => bytes.readInt16BE(o) / 16384;
    // The part's scale: one, x and y, or two by two (F2DOT14 each).
    const scales = flags & 8 ? 1 : flags & 0x40 ? 2 : flags & 0x80 ? 4 : 0;
    const read = Array.from({ length: scales }, (_, i) => f2(p + 2 * i));
    p += 2 * scales;
    const [a, b, c, d] = scales === 1 ? [read[0]!, 0, 0, read[0]!] : scales === 2 ? [read[0]!, 0, 0, read[1]!] : scales === 4 ? (read as [number, number, number, number]) : [1, 0, 0, 1];
    // The part's transform, then the parent's.
    const part = [a * m[0]! + b * m[2]!, a * m[1]! + b * m[3]!, c * m[0]! + d * m[2]!, c * m[1]! + d * m[3]!, dx * m[0]! + dy * m[2]! + m[4]!, dx * m[1]! + dy * m[3]! + m[5]!];
    out.push(...contoursOf(gid, part));
    more = (flags & 0x20) !== 0;
  }
  return out;
}

let faces: Record<Weight, Face> | null | undefined;

function loaded(): Record<Weight, Face> | null {
  if (faces !== undefined) return faces;
  try {
    const [regular, bold] = fontFiles();
    faces = regular && bold ? { regular: parseFace(readFileSync(regular)), bold: parseFace(readFileSync(bold)) } : null;
  } catch {
    faces = null;
  }
  return faces;
}

/** The glyphs a text shows, placed from x = 0, and its width, in pixels at `size`; undefined when it needs shaping. */
export function setText(content: string, size: number, weight: Weight): { glyphs: { id: string; d: string; x: number }[]; width: number; scale: number } | undefined {
  const face = loaded()?.[weight];
  if (!face || !SIMPLE.test(content) || MARKS.test(content)) return undefined;
  const gids = [...content].map((ch) => face.glyphOf(ch.codePointAt(0)!));
  if (gids.includes(0)) return undefined;
  const glyphs: { id: string; d: string; x: number }[] = [];
  let x = 0;
  gids.forEach((gid, i) => {
    if (i > 0) x += face.kerning(gids[i - 1]!, gid);
    const d = face.outline(gid);
    if (d) glyphs.push({ id: `${weight[0]}${gid}`, d, x });
    x += face.advance(gid);
  });
  return { glyphs, width: x, scale: size / face.unitsPerEm };
}
