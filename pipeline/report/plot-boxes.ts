/**
 * Horizontal box plots, one panel per batch size, one row per configuration: long runtime labels
 * stay readable and each panel gets its own axis (batch 64 is ~20x batch 1). Every trial value is
 * drawn as a dot over its box, because with ~10 trials per configuration the dots say more than
 * the whiskers. Box = quartiles (type 7), line = median, whiskers = Tukey (1.5 IQR).
 */
import { quantile } from '../analysis/index.js';
import { formatNumber } from './format.js';
import { esc, line, linearScale, rect, svgDocument, text, textWidth, tickLabel, el } from './svg.js';

export interface BoxRow {
  label: string;
  colour: string;
  /** One value per trial, in the axis unit; empty when the configuration has none. */
  values: number[];
  /** Shown instead of a box when `values` is empty. */
  emptyNote?: string;
}

export interface BoxPanel {
  title: string;
  rows: BoxRow[];
}

export interface LegendEntry {
  label: string;
  colour: string;
}

const WIDTH = 940;
const ROW_H = 26;
const FONT = 12;

export function boxPlotSvg(title: string, subtitle: string, axisLabel: string, panels: BoxPanel[], legend: LegendEntry[]): string {
  const labels = panels.flatMap((p) => p.rows.map((r) => r.label));
  const left = Math.min(360, Math.max(120, ...labels.map((l) => textWidth(l, FONT) + 20)));
  const right = WIDTH - 70;
  const body: string[] = [text(16, 44, subtitle, { 'font-size': 12, fill: '#555' })];
  body.push(...legendRow(legend, 16, 66));
  let y = 92;
  for (const panel of panels) {
    body.push(text(16, y + 14, panel.title, { 'font-size': 13, 'font-weight': 'bold' }));
    y += 24;
    const all = panel.rows.flatMap((r) => r.values);
    const lo = all.length ? Math.min(...all) : 0;
    const hi = all.length ? Math.max(...all) : 1;
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    // Latency and energy are never negative: do not let padding push the axis below 0.
    const x = linearScale(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad, left, right, 8);
    const plotH = panel.rows.length * ROW_H;
    body.push(rect(left, y, right - left, plotH, { fill: '#fafafa', stroke: '#ccc' }));
    // A panel without values gets no axis: ticks over an invented range would suggest data.
    for (const t of all.length ? x.ticks : []) {
      body.push(line(x(t), y, x(t), y + plotH, { stroke: '#e3e3e3' }));
      body.push(line(x(t), y + plotH, x(t), y + plotH + 5, { stroke: '#444' }));
      body.push(text(x(t), y + plotH + 18, tickLabel(t), { 'text-anchor': 'middle', 'font-size': 11 }));
    }
    for (const [i, row] of panel.rows.entries()) body.push(...boxRow(row, x, left, right, y + i * ROW_H));
    if (all.length) body.push(text((left + right) / 2, y + plotH + 36, axisLabel, { 'text-anchor': 'middle', 'font-size': 12 }));
    y += plotH + 52;
  }
  return svgDocument(WIDTH, y + 4, title, body);
}

function boxRow(row: BoxRow, x: (v: number) => number, left: number, right: number, top: number): string[] {
  const cy = top + ROW_H / 2;
  const out = [text(left - 8, cy + 4, row.label, { 'text-anchor': 'end', 'font-size': FONT })];
  if (row.values.length === 0) {
    out.push(text(left + 8, cy + 4, row.emptyNote ?? 'no values', { 'font-size': 11, fill: '#a33', 'font-style': 'italic' }));
    return out;
  }
  const v = row.values;
  const [q1, med, q3] = [quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75)];
  const fence = 1.5 * (q3 - q1);
  const inside = v.filter((a) => a >= q1 - fence && a <= q3 + fence);
  const [wLo, wHi] = [Math.min(...inside), Math.max(...inside)];
  const h = ROW_H * 0.6;
  out.push(line(x(wLo), cy, x(q1), cy, { stroke: '#333' }), line(x(q3), cy, x(wHi), cy, { stroke: '#333' }));
  out.push(line(x(wLo), cy - h / 3, x(wLo), cy + h / 3, { stroke: '#333' }), line(x(wHi), cy - h / 3, x(wHi), cy + h / 3, { stroke: '#333' }));
  out.push(rect(x(q1), cy - h / 2, Math.max(1.5, x(q3) - x(q1)), h, { fill: row.colour, 'fill-opacity': 0.35, stroke: row.colour, 'stroke-width': 1.5 }));
  out.push(line(x(med), cy - h / 2, x(med), cy + h / 2, { stroke: '#111', 'stroke-width': 2.5 }));
  // Deterministic vertical jitter so equal values stay visible without randomness in the output.
  v.forEach((a, j) => {
    const outlier = a < q1 - fence || a > q3 + fence;
    const dy = ((j % 5) - 2) * (h / 7);
    out.push(
      el('circle', {
        cx: x(a),
        cy: cy + dy,
        r: outlier ? 3.2 : 2.4,
        fill: outlier ? 'none' : '#222',
        'fill-opacity': 0.55,
        stroke: outlier ? '#c00' : 'none',
        'stroke-width': 1.2,
      }),
    );
  });
  out.push(text(right + 6, cy + 4, `n=${v.length}`, { 'font-size': 11, fill: '#555' }));
  out.push(el('title', {}, esc(`${row.label}: median ${formatNumber(med)}, IQR ${formatNumber(q1)}–${formatNumber(q3)}, n=${v.length}`)));
  return out;
}

/** Coloured swatches with labels on one line (wraps past the plot width). */
export function legendRow(entries: LegendEntry[], x0: number, y0: number, width = WIDTH - 32): string[] {
  const out: string[] = [];
  let [x, y] = [x0, y0];
  for (const e of entries) {
    const w = 18 + textWidth(e.label, 12) + 18;
    if (x + w > x0 + width) [x, y] = [x0, y + 18];
    out.push(rect(x, y - 10, 12, 12, { fill: e.colour, 'fill-opacity': 0.6, stroke: e.colour }));
    out.push(text(x + 17, y, e.label, { 'font-size': 12 }));
    x += w;
  }
  return out;
}
