/**
 * Chart text set as glyph outlines (src/charts/glyphs.ts) looks as resvg's own text layout in the same
 * font does: the same letters at the same places, kerning included, for names in Latin (accents too),
 * Greek and Cyrillic; text that needs shaping (Arabic) is left to resvg, and still shows.
 */
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY, fontFiles } from '../../src/charts/font.js';
import { esc, svgDocument, text, type TextOptions } from '../../src/charts/svg-kit.js';

const W = 420;
const H = 40;
const fonts = { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY };

/** Grey levels (0 white .. 255 black) of an SVG drawn with the bundled font. */
function grey(svg: string): Uint8Array {
  const rgba = new Resvg(svg, { font: fonts, background: '#ffffff' }).render().pixels;
  return Uint8Array.from({ length: W * H }, (_, i) => 255 - rgba[4 * i]!);
}

/** The same line as resvg lays it out from an SVG <text> element. */
function asResvgText(x: number, y: number, content: string, o: TextOptions): string {
  return `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${o.size}"${o.weight ? ` font-weight="${o.weight}"` : ''} text-anchor="${o.anchor ?? 'start'}" fill="#000000">${esc(content)}</text>`;
}

describe.skipIf(fontFiles().length === 0)('chart text as glyph outlines', () => {
  const lines: [string, TextOptions][] = [
    ['Ada Lovelace — AVWAY Tov. 12 Nov', { size: 22, weight: 'bold' }],
    ['Zoë Åström, Łukasz Żółć 100% (3)', { size: 13 }],
    ['Γιώργος Παπαδόπουλος · Гриша', { size: 14, anchor: 'middle' }],
    ['and share of answers right…', { size: 12, anchor: 'end' }],
  ];
  for (const [content, o] of lines) {
    it(`draws “${content}” (${o.size}px${o.weight ? ' bold' : ''}${o.anchor ? `, ${o.anchor}` : ''}) as resvg's text layout does`, () => {
      const x = o.anchor === 'middle' ? W / 2 : o.anchor === 'end' ? W - 10 : 10;
      const mine = svgDocument(W, H, [text(x, 30, content, { ...o, fill: '#000000' })]);
      expect(mine).not.toContain('<text');
      const a = grey(mine);
      const b = grey(svgDocument(W, H, [asResvgText(x, 30, content, o)]));
      const ink = b.reduce((s, v) => s + v, 0);
      expect(ink).toBeGreaterThan(0);
      // Anti-aliasing may differ by a shade at an edge; a letter out of place differs by whole strokes.
      const off = a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0);
      expect(off / ink).toBeLessThan(0.02);
    });
  }

  it('leaves text that needs shaping to resvg, which still draws it', () => {
    const svg = svgDocument(W, H, [text(10, 30, 'محمد', { size: 14 })]);
    expect(svg).toContain('<text');
    expect(grey(svg).some((v) => v > 128)).toBe(true);
  });
});
