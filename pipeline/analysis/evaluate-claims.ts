/**
 * Claims against a run: each claim gets a verdict ('reproduced' | 'not reproduced' | 'inconclusive'),
 * a reason a reader can act on, and the numbers behind it. Missing data never counts as a failure
 * or a success: it makes the claim inconclusive unless the available pairs already decide it.
 */

import type { TrialResult } from '../contracts/index.js';
import { ClaimData } from './claim-data.js';
import { expandSelector, mergeSelectors, pairConfigurations } from './claim-selection.js';
import type { Claim, ClaimMetric, ClaimSet, CorrelationClaim, PairClaim } from './claims-file.js';
import { median } from './descriptive.js';
import { CLIFFS_ORDER, cliffsDelta, holmAdjust, type CliffsMagnitude } from './effect-size.js';
import { mannWhitneyU, spearman } from './rank-tests.js';
import type { RunSummary } from './summarize-trials.js';
import { configurationId } from './trial-metrics.js';

export type Verdict = 'reproduced' | 'not reproduced' | 'inconclusive';
type Status = 'pass' | 'fail' | 'missing';

/** One A-vs-B comparison on one metric (values in the metric's unit: ms or J per inference). */
export interface ComparisonNumbers {
  a: string;
  b: string;
  metric: ClaimMetric;
  nA: number;
  nB: number;
  medianA: number | null;
  medianB: number | null;
  /** medianA / medianB. */
  ratio: number | null;
  /** Mann-Whitney U of A (two-sided, asymptotic). */
  u: number | null;
  p: number | null;
  /** Holm-adjusted over every comparison of the claim. */
  pAdjusted: number | null;
  /** Cliff's delta of A against B (negative: A tends to be smaller). */
  cliffsDelta: number | null;
  magnitude: CliffsMagnitude | null;
  status: Status;
  note: string | null;
}

export interface CorrelationNumbers {
  x: ClaimMetric;
  y: ClaimMetric;
  /** Configurations used (per-configuration medians). */
  configurations: string[];
  missing: { id: string; reason: string }[];
  rho: number | null;
  p: number | null;
}

export interface ClaimResult {
  id: string;
  finding: number | null;
  text: string;
  test: Claim['test'];
  verdict: Verdict;
  reason: string;
  numbers: { comparisons: ComparisonNumbers[] } | { correlation: CorrelationNumbers };
}

export function evaluateClaims(claims: ClaimSet | readonly Claim[], summary: RunSummary, trials: readonly TrialResult[]): ClaimResult[] {
  const list = 'claims' in claims ? claims.claims : claims;
  const data = new ClaimData(summary, trials);
  return list.map((c) => (c.test === 'correlation' ? evaluateCorrelation(c, data) : evaluatePairs(c, data)));
}

function evaluatePairs(claim: PairClaim, data: ClaimData): ClaimResult {
  const pairs = pairConfigurations(
    expandSelector(mergeSelectors(claim.where, claim.a)),
    expandSelector(mergeSelectors(claim.where, claim.b)),
    claim.match,
  );
  const rows: ComparisonNumbers[] = [];
  const samples: { a: number[]; b: number[] }[] = [];
  for (const { a, b } of pairs) {
    for (const metric of claim.metrics) {
      const [ida, idb] = [configurationId(a), configurationId(b)];
      const va = data.values(ida, metric, claim.minTrials);
      const vb = data.values(idb, metric, claim.minTrials);
      const row = emptyRow(ida, idb, metric);
      if ('missing' in va || 'missing' in vb) {
        row.note = ['missing' in va ? va.missing : null, 'missing' in vb ? vb.missing : null].filter(Boolean).join('; ');
      } else {
        const mw = mannWhitneyU(va.values, vb.values);
        const cd = cliffsDelta(va.values, vb.values);
        Object.assign(row, {
          nA: va.values.length, nB: vb.values.length, medianA: median(va.values), medianB: median(vb.values),
          u: mw.u, p: mw.p, cliffsDelta: cd.delta, magnitude: cd.magnitude,
        });
        row.ratio = row.medianB ? row.medianA! / row.medianB : null;
        samples[rows.length] = { a: va.values, b: vb.values };
      }
      rows.push(row);
    }
  }
  const tested = rows.map((_, i) => i).filter((i) => rows[i]!.p !== null);
  holmAdjust(tested.map((i) => rows[i]!.p!)).forEach((p, k) => {
    rows[tested[k]!]!.pAdjusted = p;
  });
  for (const [i, row] of rows.entries()) {
    if (row.p !== null) judge(claim, row, samples[i]!, tested.length);
  }
  return { ...head(claim), ...pairVerdict(claim, rows, pairs.length), numbers: { comparisons: rows } };
}

/** Sets status and note of one tested comparison. */
function judge(claim: PairClaim, row: ComparisonNumbers, s: { a: number[]; b: number[] }, familySize: number): void {
  const significant = row.pAdjusted! < claim.alpha;
  // Smallest p the data could give (complete separation): if even that fails Holm's first step,
  // a non-significant result says nothing.
  const minP = mannWhitneyU(s.a.map((_, i) => i), s.b.map((_, i) => s.a.length + i)).p;
  const underpowered = minP * familySize >= claim.alpha;
  const bigEnough = CLIFFS_ORDER.indexOf(row.magnitude!) >= CLIFFS_ORDER.indexOf(claim.minEffect);
  const power = `n=${row.nA},${row.nB} trials cannot reach Holm-adjusted p < ${claim.alpha} over ${familySize} comparisons`;
  if (claim.test === 'ratio') {
    const [lo, hi] = claim.ratioRange!;
    row.status = row.ratio !== null && row.ratio >= lo && row.ratio <= hi ? 'pass' : 'fail';
  } else if (claim.test === 'less') {
    if (significant && row.cliffsDelta! < 0 && bigEnough) row.status = 'pass';
    else if (underpowered && !(significant && row.cliffsDelta! > 0)) [row.status, row.note] = ['missing', power];
    else row.status = 'fail';
  } else {
    const withinMargin = claim.maxRelativeDifference !== null && row.ratio !== null &&
      Math.abs(row.ratio - 1) <= claim.maxRelativeDifference;
    if (withinMargin || row.magnitude === 'negligible' || (!significant && !underpowered)) row.status = 'pass';
    else if (underpowered) [row.status, row.note] = ['missing', power];
    else row.status = 'fail';
  }
}

function pairVerdict(claim: PairClaim, rows: ComparisonNumbers[], pairCount: number): { verdict: Verdict; reason: string } {
  const byPair = new Map<string, ComparisonNumbers[]>();
  for (const r of rows) byPair.set(`${r.a} vs ${r.b}`, [...(byPair.get(`${r.a} vs ${r.b}`) ?? []), r]);
  const status = (rs: ComparisonNumbers[]): Status =>
    rs.some((r) => r.status === 'fail') ? 'fail' : rs.some((r) => r.status === 'missing') ? 'missing' : 'pass';
  const states = [...byPair.values()].map(status);
  const [pass, fail, missing] = (['pass', 'fail', 'missing'] as const).map((s) => states.filter((x) => x === s).length);
  const failing = rows.filter((r) => r.status === 'fail').slice(0, 3).map(describeRow).join('; ');
  const gaps = [...new Set(rows.filter((r) => r.status === 'missing').map((r) => r.note ?? ''))].slice(0, 4).join('; ');
  const rule = criterion(claim);
  const total = pairCount;
  if (claim.quantifier === 'all') {
    if (fail! > 0) return { verdict: 'not reproduced', reason: `${fail} of ${pairs(total)} ${fail === 1 ? 'fails' : 'fail'} (${rule}): ${failing}` };
    if (missing! > 0) return { verdict: 'inconclusive', reason: `${missing} of ${pairs(total)} ${missing === 1 ? 'lacks' : 'lack'} usable data: ${gaps}` };
    return { verdict: 'reproduced', reason: `${total === 1 ? 'the 1 pair holds' : `all ${total} pairs hold`} (${rule})` };
  }
  if (pass! > total / 2) return { verdict: 'reproduced', reason: `${pass} of ${pairs(total)} hold, more than half (${rule})${fail ? `; failing: ${failing}` : ''}` };
  if (pass! + missing! <= total / 2) return { verdict: 'not reproduced', reason: `only ${pass} of ${pairs(total)} hold (${rule}); failing: ${failing}` };
  return { verdict: 'inconclusive', reason: `${pass} of ${pairs(total)} hold, ${fail} fail and ${missing} lack usable data (${gaps}): more than half cannot be decided` };
}

function evaluateCorrelation(claim: CorrelationClaim, data: ClaimData): ClaimResult {
  const ids = expandSelector(claim.where).map(configurationId);
  const used: string[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const missing: { id: string; reason: string }[] = [];
  for (const id of ids) {
    const vx = data.values(id, claim.x, 1);
    const vy = data.values(id, claim.y, 1);
    if ('missing' in vx || 'missing' in vy) {
      missing.push({ id, reason: 'missing' in vx ? vx.missing : (vy as { missing: string }).missing });
      continue;
    }
    used.push(id);
    xs.push(median(vx.values));
    ys.push(median(vy.values));
  }
  const numbers: CorrelationNumbers = { x: claim.x, y: claim.y, configurations: used, missing, rho: null, p: null };
  const left = missing.length > 0 ? ` (left out ${missing.length}: ${[...new Set(missing.map((m) => m.reason))].slice(0, 3).join('; ')})` : '';
  if (used.length < claim.minConfigurations) {
    return { ...head(claim), verdict: 'inconclusive', numbers: { correlation: numbers },
      reason: `only ${used.length} of ${ids.length} configurations have ${claim.x} and ${claim.y} (at least ${claim.minConfigurations} needed)${left}` };
  }
  const r = spearman(xs, ys);
  Object.assign(numbers, { rho: r.rho, p: r.p });
  if (Number.isNaN(r.rho)) {
    return { ...head(claim), verdict: 'inconclusive', numbers: { correlation: numbers }, reason: `a metric is constant across configurations${left}` };
  }
  const ok = r.rho >= claim.minRho && r.p < claim.alpha;
  return { ...head(claim), verdict: ok ? 'reproduced' : 'not reproduced', numbers: { correlation: numbers },
    reason: `Spearman rho = ${r.rho.toFixed(3)}, p = ${fmtP(r.p)} over ${used.length} configurations (needs rho >= ${claim.minRho} and p < ${claim.alpha})${left}` };
}

function head(c: Claim): Pick<ClaimResult, 'id' | 'finding' | 'text' | 'test'> {
  return { id: c.id, finding: c.finding, text: c.text, test: c.test };
}

function emptyRow(a: string, b: string, metric: ClaimMetric): ComparisonNumbers {
  return { a, b, metric, nA: 0, nB: 0, medianA: null, medianB: null, ratio: null, u: null, p: null, pAdjusted: null,
    cliffsDelta: null, magnitude: null, status: 'missing', note: null };
}

function criterion(c: PairClaim): string {
  if (c.test === 'less') return `A < B: Holm-adjusted Mann-Whitney p < ${c.alpha} and Cliff's delta at least ${c.minEffect}`;
  if (c.test === 'ratio') return `median A / median B within [${c.ratioRange!.join(', ')}]`;
  const margin = c.maxRelativeDifference !== null ? `, or medians within ${(c.maxRelativeDifference * 100).toFixed(0)}%` : '';
  return `no significant difference (Holm-adjusted p >= ${c.alpha}), or negligible Cliff's delta${margin}`;
}

function describeRow(r: ComparisonNumbers): string {
  const g = (v: number | null) => (v === null ? '-' : v.toPrecision(4));
  return `${r.a} vs ${r.b} ${r.metric}: median ${g(r.medianA)} vs ${g(r.medianB)} (ratio ${g(r.ratio)}), ` +
    `p_adj = ${r.pAdjusted === null ? '-' : fmtP(r.pAdjusted)}, delta = ${r.cliffsDelta?.toFixed(2) ?? '-'} (${r.magnitude ?? '-'})`;
}

function pairs(n: number): string {
  return n === 1 ? '1 pair' : `${n} pairs`;
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
