/**
 * Tiny SVG toolkit for the report's plots: escaped elements, scales and "nice" ticks. Hand-written
 * SVG renders the same in a browser, on GitHub and through resvg (PNG) without a browser or a
 * plotting stack. Text is measured with DejaVu Sans's average advance (~0.6 em), the font the PNGs use.
 */
import { catalogueData } from '../catalogue/index.js';

export const FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";

/** Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), by runtime (catalogue). */
export const RUNTIME_COLOURS: Record<string, string> = Object.fromEntries(catalogueData.runtimes.map((r) => [r.name, r.colour]));
export const PART_COLOURS = { gpu: '#0072B2', cpu: '#E69F00', dram: '#999999' } as const;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Approximate rendered width of `s` at `sizePx` (DejaVu Sans is wide: ~0.6 em per glyph). */
export function textWidth(s: string, sizePx: number): number {
  return s.length * sizePx * 0.6;
}

type Attrs = Record<string, string | number | undefined>;

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? round(v) : v!)}"`)
    .join('');
}

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function el(name: string, a: Attrs, children?: string): string {
  return children === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${children}</${name}>`;
}

export function text(x: number, y: number, s: string, a: Attrs = {}): string {
  return el('text', { x, y, 'font-size': 12, fill: '#222', ...a }, esc(s));
}

export function line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, stroke: '#222', 'stroke-width': 1, ...a });
}

export function rect(x: number, y: number, width: number, height: number, a: Attrs = {}): string {
  return el('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), ...a });
}

/** A whole document: white background, a title line and a description for screen readers. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" font-family="${esc(FONT_FAMILY)}">`,
    `<title>${esc(title)}</title>`,
    rect(0, 0, width, height, { fill: '#ffffff' }),
    text(16, 24, title, { 'font-size': 15, 'font-weight': 'bold' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export interface Scale {
  (v: number): number;
  ticks: number[];
  log: boolean;
}

/** Linear scale over nice ticks covering [lo, hi], mapped to [r0, r1]. */
export function linearScale(lo: number, hi: number, r0: number, r1: number, count = 5): Scale {
  const ticks = niceTicks(lo, hi, count);
  const d0 = ticks[0]!;
  const d1 = ticks[ticks.length - 1]!;
  const f = ((v: number) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0)) as Scale;
  f.ticks = ticks;
  f.log = false;
  return f;
}

/** Log10 scale over whole decades covering [lo, hi] (lo > 0); ticks at 1, 2, 5 x 10^k when few decades. */
export function logScale(lo: number, hi: number, r0: number, r1: number): Scale {
  const d0 = Math.floor(Math.log10(lo));
  const d1 = Math.max(d0 + 1, Math.ceil(Math.log10(hi)));
  const f = ((v: number) => r0 + ((Math.log10(v) - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  const steps = d1 - d0 <= 3 ? [1, 2, 5] : [1];
  f.ticks = [];
  for (let d = d0; d <= d1; d++) for (const s of steps) if (s * 10 ** d <= 10 ** d1 * 1.0001) f.ticks.push(Number((s * 10 ** d).toPrecision(6)));
  f.log = true;
  return f;
}

/** Ticks at 1, 2 or 5 x 10^k steps covering [lo, hi] with about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.1 || 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9 || ticks.length < 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** Tick label without float noise (0.30000000000000004 -> 0.3). */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e5 || abs < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(6)));
}

/** A point marker: circle, square, triangle or diamond, by index. */
export function marker(kind: number, x: number, y: number, r: number, a: Attrs): string {
  switch (kind % 4) {
    case 0:
      return el('circle', { cx: x, cy: y, r, ...a });
    case 1:
      return rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, a);
    case 2:
      return el('path', { d: `M${round(x)} ${round(y - r * 1.15)}L${round(x + r)} ${round(y + r * 0.75)}L${round(x - r)} ${round(y + r * 0.75)}Z`, ...a });
    default:
      return el('path', {
        d: `M${round(x)} ${round(y - r * 1.2)}L${round(x + r)} ${round(y)}L${round(x)} ${round(y + r * 1.2)}L${round(x - r)} ${round(y)}Z`,
        ...a,
      });
  }
}
