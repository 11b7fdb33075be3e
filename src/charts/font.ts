/**
 * The font every chart's text is set in. The server image has no system fonts and resvg brings none,
 * so the files are loaded explicitly: DejaVu Sans (free licence, Bitstream Vera derived) from the
 * `dejavu-fonts-ttf` package when it is installed, else from Debian's fonts-dejavu-core. With neither,
 * charts still render, without text (the message's text version carries everything).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

export const FONT_FAMILY = 'DejaVu Sans';
const FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const SYSTEM_DIR = '/usr/share/fonts/truetype/dejavu';

function packageDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
    return join(pkg, '..', 'ttf');
  } catch {
    return undefined;
  }
}

let cached: string[] | undefined;

/** The font files charts load (empty when none is found), looked up once. */
export function fontFiles(): string[] {
  if (cached) return cached;
  for (const dir of [packageDir(), SYSTEM_DIR]) {
    if (!dir) continue;
    const files = FILES.map((f) => join(dir, f));
    if (files.every((f) => existsSync(f))) return (cached = files);
  }
  return (cached = []);
}

/**
 * resvg's font options for an SVG: never the machine's fonts. Text comes as glyph outlines (glyphs.ts);
 * only text that needs shaping (a <text> element) makes resvg load the font files.
 */
export function fontOptions(svg: string): ResvgRenderOptions['font'] {
  const files = svg.includes('<text') ? { fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY } : {};
  return { loadSystemFonts: false, ...files };
}
