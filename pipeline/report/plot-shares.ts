/**
 * Where the energy goes: one 100% stacked bar per configuration (GPU, CPU package, DRAM), grouped
 * by model and batch size, with the absolute energy per inference at the bar's end. A part that was
 * not measured is named next to the bar, so a GPU-only total never reads as "100% GPU" silently.
 */
import type { EnergyPart } from './energy-domains.js';
import { legendRow } from './plot-boxes.js';
import { PART_COLOURS, rect, svgDocument, text, textWidth, line } from './svg.js';

export interface ShareRow {
  label: string;
  /** Median energy per inference of each part, J; null when the part was not measured. */
  partsJ: Record<EnergyPart, number | null>;
}

export interface ShareGroup {
  title: string;
  rows: ShareRow[];
}

const WIDTH = 940;
const ROW_H = 24;
const PART_LABELS: Record<EnergyPart, string> = { gpu: 'GPU', cpu: 'CPU package', dram: 'DRAM' };

export function sharesSvg(title: string, subtitle: string, groups: ShareGroup[]): string {
  const labels = groups.flatMap((g) => g.rows.map((r) => r.label));
  const left = Math.min(360, Math.max(120, ...labels.map((l) => textWidth(l, 12) + 20)));
  const right = WIDTH - 250;
  const body: string[] = [text(16, 44, subtitle, { 'font-size': 12, fill: '#555' })];
  body.push(
    ...legendRow(
      (['gpu', 'cpu', 'dram'] as const).map((p) => ({ label: PART_LABELS[p], colour: PART_COLOURS[p] })),
      16,
      66,
    ),
  );
  let y = 88;
  for (const g of groups) {
    body.push(text(16, y + 14, g.title, { 'font-size': 13, 'font-weight': 'bold' }));
    y += 22;
    for (const row of g.rows) {
      body.push(...bar(row, left, right, y));
      y += ROW_H;
    }
    y += 10;
  }
  // Axis: 0-100 % under the last group.
  for (const pct of [0, 25, 50, 75, 100]) {
    const x = left + ((right - left) * pct) / 100;
    body.push(line(x, y - 6, x, y, { stroke: '#444' }), text(x, y + 12, `${pct}%`, { 'text-anchor': 'middle', 'font-size': 11 }));
  }
  body.push(text((left + right) / 2, y + 30, 'share of measured energy per inference (%)', { 'text-anchor': 'middle', 'font-size': 12 }));
  return svgDocument(WIDTH, y + 42, title, body);
}

function bar(row: ShareRow, left: number, right: number, top: number): string[] {
  const cy = top + ROW_H / 2;
  const out = [text(left - 8, cy + 4, row.label, { 'text-anchor': 'end', 'font-size': 12 })];
  const parts = (['gpu', 'cpu', 'dram'] as const).filter((p) => row.partsJ[p] !== null);
  const total = parts.reduce((a, p) => a + row.partsJ[p]!, 0);
  if (!(total > 0)) return [...out, text(left + 6, cy + 4, 'no energy measured', { 'font-size': 11, fill: '#a33', 'font-style': 'italic' })];
  let x = left;
  for (const p of parts) {
    const w = ((right - left) * row.partsJ[p]!) / total;
    out.push(rect(x, top + 3, w, ROW_H - 6, { fill: PART_COLOURS[p], 'fill-opacity': 0.85 }));
    const pct = `${Math.round((100 * row.partsJ[p]!) / total)}%`;
    if (w > textWidth(pct, 11) + 6) out.push(text(x + w / 2, cy + 4, pct, { 'text-anchor': 'middle', 'font-size': 11, fill: '#fff', 'font-weight': 'bold' }));
    x += w;
  }
  const missing = (['gpu', 'cpu'] as const).filter((p) => row.partsJ[p] === null).map((p) => p.toUpperCase());
  const note = `${formatJ(total)}/inference${missing.length ? `, no ${missing.join(' or ')} reading` : ''}`;
  out.push(text(right + 8, cy + 4, note, { 'font-size': 11, fill: missing.length ? '#a33' : '#333' }));
  return out;
}

function formatJ(j: number): string {
  return j >= 1 ? `${j.toPrecision(3)} J` : `${(j * 1000).toPrecision(3)} mJ`;
}
