/**
 * SVG -> PNG with resvg (a Rust renderer, no browser). Text needs a font file: DejaVu Sans is looked
 * up in the usual system folders (Debian/Ubuntu `fonts-dejavu-core`, Fedora, Arch, macOS Homebrew).
 * Without one the PNG is still written, but its text is missing: the caller warns in the report.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/opt/homebrew/share/fonts/DejaVuSans.ttf',
];

/** Regular and bold DejaVu Sans files found on this host (empty when none). */
export function findPlotFonts(candidates: readonly string[] = FONT_CANDIDATES): string[] {
  const regular = candidates.find((f) => existsSync(f));
  if (!regular) return [];
  const bold = regular.replace(/DejaVuSans\.ttf$/, 'DejaVuSans-Bold.ttf');
  return existsSync(bold) ? [regular, bold] : [regular];
}

export interface PngOptions {
  /** Font files to render text with (from `findPlotFonts`). */
  fontFiles: string[];
  /** Scale factor over the SVG's size (2 = sharp on high-DPI screens and in print). */
  zoom?: number;
}

/** Renders an SVG document to PNG bytes (width and height = SVG size x zoom). */
export function renderPng(svg: string, options: PngOptions): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.zoom ?? 2 },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: options.fontFiles,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    logLevel: 'off',
  });
  return new Uint8Array(resvg.render().asPng());
}
