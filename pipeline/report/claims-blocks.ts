/**
 * The claims section: verdicts counted per scope (reproduction: the study stated it; extension:
 * greenrt asks more), one table per scope (finding, id, claim, paper version, verdict, reason, key
 * numbers), then per claim its comparisons, its checks' sub-verdicts and correlation groups.
 */
import type { CheckResult, ClaimResult, ComparisonNumbers, SubVerdict } from '../analysis/index.js';
import { code, plain, type Block } from './report-document.js';
import { formatNumber, formatP } from './format.js';

/** Either evaluated claims, or why there are none. */
export type ClaimsOutcome = { file: string; results: ClaimResult[] } | { file: string; error: string };

const MAX_DETAIL_ROWS = 16;

export function claimsBlocks(claims: ClaimsOutcome | null): Block[] {
  if (!claims) return [{ kind: 'paragraph', text: 'No claims file was given.' }];
  if ('error' in claims) return [{ kind: 'paragraph', text: `The claims in ${code(claims.file)} could not be evaluated: ${plain(claims.error)}` }];
  const r = claims.results;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        `Claims from ${code(claims.file)}: ${claimsCountLine(r, '**')}. ` +
        'Reproduction claims say what the study stated; extension claims ask more than the study did (configurations it did not or could not run) and never count towards reproducing it. ' +
        'Inconclusive means the run lacks the data to decide (configurations missing, energy unavailable, too few trials); it is never counted as a success or a failure.',
    },
  ];
  for (const scope of ['reproduction', 'extension'] as const) {
    const these = r.filter((c) => c.scope === scope);
    if (these.length === 0) continue;
    blocks.push({
      kind: 'heading',
      level: 3,
      text: scope === 'reproduction' ? 'Reproduction: what the study stated' : 'Extension: what greenrt asks beyond the study',
    });
    blocks.push({
      kind: 'table',
      header: ['#', 'Claim', 'Statement', 'Paper version', 'Verdict', 'Reason', 'Numbers'],
      align: ['right', 'left', 'left', 'left', 'left', 'left', 'left'],
      rows: these.map((c) => [
        c.finding === null ? '' : String(c.finding),
        code(c.id),
        plain(c.text),
        versionLabel(c),
        verdictLabel(c.verdict) + (c.energyScope === 'gpu-only' && c.verdict !== 'inconclusive' ? ' (GPU energy only)' : ''),
        plain(shorten(c.reason, 400)),
        numbersSummary(c),
      ]),
    });
  }
  for (const c of r) blocks.push(...detailBlocks(c));
  return blocks;
}

/** "reproduction: 2 reproduced, 1 not reproduced, 3 inconclusive of 6; extension: …" (`strong` wraps the counts). */
export function claimsCountLine(r: readonly ClaimResult[], strong = ''): string {
  const part = (scope: ClaimResult['scope']) => {
    const these = r.filter((c) => c.scope === scope);
    const count = (v: ClaimResult['verdict']) => these.filter((c) => c.verdict === v).length;
    const gpuOnly = these.filter((c) => c.energyScope === 'gpu-only' && c.verdict !== 'inconclusive').length;
    const apart = gpuOnly > 0 ? ` (${gpuOnly} of the decided on GPU energy only, counted apart: no CPU energy was measured)` : '';
    return `${scope} ${strong}${count('reproduced')} reproduced, ${count('not reproduced')} not reproduced, ${count('inconclusive')} inconclusive${strong} of ${these.length}${apart}`;
  };
  return `${part('reproduction')}; ${part('extension')}`;
}

function versionLabel(c: ClaimResult): string {
  if (c.paperVersions.length === 0) return c.finding === null ? 'none (not a finding of the study)' : 'secondary source';
  if (c.paperVersions.length === 1 && c.paperVersions[0] === 'v1') return 'v1 only (first version)';
  return c.paperVersions.join(', ');
}

export function verdictLabel(v: SubVerdict): string {
  return v === 'reproduced' ? '**reproduced**' : v === 'not reproduced' ? '**not reproduced**' : v;
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
      `Pooled: Spearman rho between per-configuration medians of ${code(k.x)} and ${code(k.y)}: ${formatNumber(k.rho, 3)} (p = ${formatP(k.p)}) over ${k.configurations.length} configurations.`,
    ];
    if (k.missing.length)
      items.push(`Left out ${k.missing.length}: ${plain(shorten([...new Set(k.missing.map((m) => m.reason))].slice(0, 3).join('; '), 300))}`);
    const blocks: Block[] = [head, { kind: 'list', items }];
    // Absent in summaries of claims without `within` written before groups existed (the schema keeps it optional).
    const groups = k.groups ?? [];
    if (groups.length > 0) {
      blocks.push({
        kind: 'table',
        header: ['Within', 'Configurations', 'rho', 'p', 'Sub-verdict', 'Reason'],
        align: ['left', 'right', 'right', 'right', 'left', 'left'],
        rows: [
          ['pooled', String(k.configurations.length), formatNumber(k.rho, 3), formatP(k.p), verdictLabel(c.verdict), ''],
          ...groups.map((g) => [
            plain(g.label),
            String(g.configurations.length),
            formatNumber(g.rho, 3),
            formatP(g.p),
            verdictLabel(g.verdict),
            plain(shorten(g.reason, 200)),
          ]),
        ],
      });
    }
    return blocks;
  }
  const rows = c.numbers.comparisons;
  const checks = checkBlocks(c.checks);
  if (rows.every((x) => x.ratio === null)) {
    return [head, { kind: 'paragraph', text: `None of its ${rows.length} comparisons has data in this run (see the reason above).` }, ...checks];
  }
  // Comparisons with data first: they carry the verdict; missing ones share a few reasons.
  const ordered = [...rows].sort((a, b) => Number(a.ratio === null) - Number(b.ratio === null));
  const shown = ordered.slice(0, MAX_DETAIL_ROWS);
  const blocks: Block[] = [
    head,
    {
      kind: 'table',
      header: ['A', 'B', 'Metric', 'n A/B', 'Median A', 'Median B', 'A/B', 'p (Holm)', "Cliff's δ", 'Status'],
      align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      rows: shown.map((x) => [
        code(x.a),
        code(x.b),
        x.metric,
        `${x.nA}/${x.nB}`,
        formatNumber(x.medianA),
        formatNumber(x.medianB),
        formatNumber(x.ratio, 3),
        formatP(x.pAdjusted),
        x.cliffsDelta === null ? '–' : `${x.cliffsDelta.toFixed(2)} (${x.magnitude})`,
        statusCell(x),
      ]),
    },
  ];
  if (rows.length > shown.length)
    blocks.push({ kind: 'paragraph', text: `… and ${rows.length - shown.length} more comparisons (all in ${code('summary.json')}).` });
  return [...blocks, ...checks];
}

/** The claim's further checks (stated mechanism, secondary metrics), each with its sub-verdict. */
function checkBlocks(checks: readonly CheckResult[]): Block[] {
  if (checks.length === 0) return [];
  return [
    { kind: 'paragraph', text: 'Checks on the same pairs, each with its own sub-verdict (the verdict above rests on its metrics alone):' },
    {
      kind: 'table',
      header: ['Check', 'Role', 'Metric', 'Test (A vs B)', 'Sub-verdict', 'Reason'],
      align: ['left', 'left', 'left', 'left', 'left', 'left'],
      rows: checks.map((k) => [plain(k.label), k.role, code(k.metric), k.test, verdictLabel(k.verdict), plain(shorten(k.reason, 300))]),
    },
  ];
}

const STATUS_LABELS: Record<ComparisonNumbers['status'], string> = { pass: 'holds', fail: '**fails**', missing: 'undecided' };

function statusCell(x: ComparisonNumbers): string {
  return x.note ? `${STATUS_LABELS[x.status]}: ${plain(shorten(x.note, 140))}` : STATUS_LABELS[x.status];
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
