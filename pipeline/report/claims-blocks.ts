/**
 * The claims section: one table row per claim (finding, id, claim, verdict, reason, key numbers),
 * then per claim its comparisons (A vs B, medians, ratio, Holm-adjusted p, Cliff's delta, status).
 */
import type { ClaimResult, ComparisonNumbers } from '../analysis/index.js';
import { code, plain, type Block } from './report-document.js';
import { formatNumber, formatP } from './format.js';

/** Either evaluated claims, or why there are none. */
export type ClaimsOutcome = { file: string; results: ClaimResult[] } | { file: string; error: string };

const MAX_DETAIL_ROWS = 16;

export function claimsBlocks(claims: ClaimsOutcome | null): Block[] {
  if (!claims) return [{ kind: 'paragraph', text: 'No claims file was given.' }];
  if ('error' in claims) return [{ kind: 'paragraph', text: `The claims in ${code(claims.file)} could not be evaluated: ${plain(claims.error)}` }];
  const r = claims.results;
  const count = (v: ClaimResult['verdict']) => r.filter((c) => c.verdict === v).length;
  const blocks: Block[] = [
    { kind: 'paragraph', text: `Claims from ${code(claims.file)}: **${count('reproduced')} reproduced, ${count('not reproduced')} not reproduced, ${count('inconclusive')} inconclusive** of ${r.length}. ` +
      'Inconclusive means the run lacks the data to decide (configurations missing, energy unavailable, too few trials); it is never counted as a success or a failure.' },
    {
      kind: 'table',
      header: ['#', 'Claim', 'Statement', 'Verdict', 'Reason', 'Numbers'],
      align: ['right', 'left', 'left', 'left', 'left', 'left'],
      rows: r.map((c) => [c.finding === null ? '' : String(c.finding), code(c.id), plain(c.text), verdictLabel(c.verdict), plain(shorten(c.reason, 400)), numbersSummary(c)]),
    },
  ];
  for (const c of r) blocks.push(...detailBlocks(c));
  return blocks;
}

export function verdictLabel(v: ClaimResult['verdict']): string {
  return v === 'reproduced' ? '**reproduced**' : v === 'not reproduced' ? '**not reproduced**' : 'inconclusive';
}

function numbersSummary(c: ClaimResult): string {
  if ('correlation' in c.numbers) {
    const k = c.numbers.correlation;
    return `rho = ${formatNumber(k.rho, 3)}, p = ${formatP(k.p)}, ${k.configurations.length} configurations (${k.missing.length} missing)`;
  }
  const rows = c.numbers.comparisons;
  const tested = rows.filter((x) => x.ratio !== null);
  const status = (s: ComparisonNumbers['status']) => rows.filter((x) => x.status === s).length;
  if (tested.length === 0) return `${rows.length} comparisons, none with data`;
  const ratios = tested.map((x) => x.ratio!);
  return `${rows.length} comparisons: ${status('pass')} hold, ${status('fail')} fail, ${status('missing')} undecided; A/B ${formatNumber(Math.min(...ratios), 3)}–${formatNumber(Math.max(...ratios), 3)}`;
}

function detailBlocks(c: ClaimResult): Block[] {
  const head: Block = { kind: 'heading', level: 3, text: `${code(c.id)}: ${verdictLabel(c.verdict)}` };
  if ('correlation' in c.numbers) {
    const k = c.numbers.correlation;
    const items = [
      `Spearman rho between per-configuration medians of ${code(k.x)} and ${code(k.y)}: ${formatNumber(k.rho, 3)} (p = ${formatP(k.p)}) over ${k.configurations.length} configurations.`,
    ];
    if (k.missing.length) items.push(`Left out ${k.missing.length}: ${plain(shorten([...new Set(k.missing.map((m) => m.reason))].slice(0, 3).join('; '), 300))}`);
    return [head, { kind: 'list', items }];
  }
  const rows = c.numbers.comparisons;
  if (rows.every((x) => x.ratio === null)) {
    return [head, { kind: 'paragraph', text: `None of its ${rows.length} comparisons has data in this run (see the reason above).` }];
  }
  // Comparisons with data first: they carry the verdict; missing ones share a few reasons.
  const ordered = [...rows].sort((a, b) => Number(a.ratio === null) - Number(b.ratio === null));
  const shown = ordered.slice(0, MAX_DETAIL_ROWS);
  const blocks: Block[] = [head, {
    kind: 'table',
    header: ['A', 'B', 'Metric', 'n A/B', 'Median A', 'Median B', 'A/B', 'p (Holm)', "Cliff's δ", 'Status'],
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    rows: shown.map((x) => [code(x.a), code(x.b), x.metric, `${x.nA}/${x.nB}`, formatNumber(x.medianA), formatNumber(x.medianB), formatNumber(x.ratio, 3),
      formatP(x.pAdjusted), x.cliffsDelta === null ? '–' : `${x.cliffsDelta.toFixed(2)} (${x.magnitude})`, statusCell(x)]),
  }];
  if (rows.length > shown.length) blocks.push({ kind: 'paragraph', text: `… and ${rows.length - shown.length} more comparisons (all in ${code('summary.json')}).` });
  return blocks;
}

const STATUS_LABELS: Record<ComparisonNumbers['status'], string> = { pass: 'holds', fail: '**fails**', missing: 'undecided' };

function statusCell(x: ComparisonNumbers): string {
  return x.note ? `${STATUS_LABELS[x.status]}: ${plain(shorten(x.note, 140))}` : STATUS_LABELS[x.status];
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
