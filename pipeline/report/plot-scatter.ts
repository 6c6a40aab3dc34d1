/**
 * Energy vs time scatter: one panel per model, one point per ok trial (x: latency per inference,
 * y: energy per inference), colour = runtime, marker = batch size. Log axes when the values span
 * more than a factor of 20 (batch 1 and 64 in one panel), linear otherwise.
 */
import { legendRow, type LegendEntry } from './plot-boxes.js';
import { line, linearScale, logScale, marker, rect, svgDocument, text, tickLabel, type Scale } from './svg.js';

export interface ScatterPoint {
  x: number;
  y: number;
  colour: string;
  /** Marker shape index (0 circle, 1 square, 2 triangle, 3 diamond). */
  marker: number;
  label: string;
}

export interface ScatterPanel {
  title: string;
  points: ScatterPoint[];
  /** Printed under the panel title (e.g. Spearman rho). */
  note?: string;
}

const PANEL_W = 300;
const PANEL_H = 270;
const PER_ROW = 3;

export function scatterSvg(
  title: string,
  subtitle: string,
  axes: { x: string; y: string },
  panels: ScatterPanel[],
  legend: { colours: LegendEntry[]; markers: { label: string; marker: number }[] },
): string {
  const width = Math.max(640, Math.min(panels.length, PER_ROW) * (PANEL_W + 80) + 40);
  const body: string[] = [text(16, 44, subtitle, { 'font-size': 12, fill: '#555' })];
  body.push(...legendRow(legend.colours, 16, 66, width - 32));
  let mx = 16;
  for (const m of legend.markers) {
    body.push(marker(m.marker, mx + 6, 86, 5, { fill: '#666' }), text(mx + 16, 90, m.label, { 'font-size': 12 }));
    mx += 30 + m.label.length * 7.2;
  }
  const top0 = 110;
  panels.forEach((p, i) => {
    const left = 90 + (i % PER_ROW) * (PANEL_W + 80);
    const top = top0 + Math.floor(i / PER_ROW) * (PANEL_H + 30);
    body.push(...panel(p, left, top, axes));
  });
  const rows = Math.ceil(panels.length / PER_ROW);
  return svgDocument(width, top0 + rows * (PANEL_H + 30) + 10, title, body);
}

function scaleFor(values: number[], r0: number, r1: number): Scale {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo > 0 && hi / lo > 20) return logScale(lo, hi, r0, r1);
  const pad = (hi - lo) * 0.08 || hi * 0.1 || 1;
  return linearScale(Math.max(0, lo - pad), hi + pad, r0, r1, 4);
}

function panel(p: ScatterPanel, left: number, top: number, axes: { x: string; y: string }): string[] {
  const right = left + PANEL_W;
  const plotTop = top + 30;
  const bottom = plotTop + PANEL_H - 60;
  const x = scaleFor(
    p.points.map((q) => q.x),
    left,
    right,
  );
  const y = scaleFor(
    p.points.map((q) => q.y),
    bottom,
    plotTop,
  );
  const out = [text(left, top + 12, p.title, { 'font-size': 13, 'font-weight': 'bold' })];
  if (p.note) out.push(text(left, top + 26, p.note, { 'font-size': 11, fill: '#555' }));
  out.push(rect(left, plotTop, PANEL_W, bottom - plotTop, { fill: '#fafafa', stroke: '#ccc' }));
  const xTicks = thin(x, 7);
  const yTicks = thin(y, 7);
  for (const t of xTicks) {
    out.push(line(x(t), plotTop, x(t), bottom, { stroke: '#e3e3e3' }), line(x(t), bottom, x(t), bottom + 5, { stroke: '#444' }));
    out.push(text(x(t), bottom + 18, tickLabel(t), { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  for (const t of yTicks) {
    out.push(line(left, y(t), right, y(t), { stroke: '#e3e3e3' }), line(left - 5, y(t), left, y(t), { stroke: '#444' }));
    out.push(text(left - 8, y(t) + 4, tickLabel(t), { 'text-anchor': 'end', 'font-size': 11 }));
  }
  out.push(text((left + right) / 2, bottom + 38, `${axes.x}${x.log ? ' (log)' : ''}`, { 'text-anchor': 'middle', 'font-size': 12 }));
  const cy = (plotTop + bottom) / 2;
  out.push(text(left - 62, cy, `${axes.y}${y.log ? ' (log)' : ''}`, { 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 ${left - 62} ${cy})` }));
  for (const q of p.points) {
    out.push(marker(q.marker, x(q.x), y(q.y), 4, { fill: q.colour, 'fill-opacity': 0.75, stroke: '#222', 'stroke-width': 0.6 }));
  }
  return out;
}

/** At most about `max` ticks: a log scale falls back to whole decades, a linear one to every other tick. */
function thin(scale: Scale, max: number): number[] {
  const ticks = scale.ticks;
  if (ticks.length <= max) return ticks;
  if (scale.log) return ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return ticks.filter((_, i) => i % 2 === 0 || i === ticks.length - 1);
}
