/**
 * Claims against a run: each claim gets a verdict ('reproduced' | 'not reproduced' | 'inconclusive'),
 * a reason a reader can act on, and the numbers behind it. Missing data never counts as a failure
 * or a success: it makes the claim inconclusive unless the available pairs already decide it.
 */

import type {
  ClaimCheckResult,
  ClaimComparison,
  ClaimCorrelation,
  ClaimCorrelationGroup,
  ClaimResultRecord,
  SubVerdict,
  TrialResult,
} from '../contracts/index.js';
import { ClaimData, type EnergyScope } from './claim-data.js';
import { claimConfigurations, pairConfigurations, type ConfigurationPair } from './claim-selection.js';
import type { Claim, ClaimCheck, ClaimMetric, ClaimSet, CorrelationClaim, PairClaim } from './claims-file.js';
import { median } from './descriptive.js';
import { CLIFFS_ORDER, cliffsDelta, holmAdjust } from './effect-size.js';
import { mannWhitneyU, spearman } from './rank-tests.js';
import type { RunSummary } from './summarize-trials.js';
import { configurationId } from './trial-metrics.js';

/** A claim's outcome: summary.json's `claims[].verdict` (schemas/run-summary.schema.json). */
export type Verdict = ClaimResultRecord['verdict'];
/** A check's or a group's sub-verdict: also 'not testable here' when none of its data exists in the run. */
export type { SubVerdict };
type Status = ComparisonNumbers['status'];

/**
 * The evaluator's results are summary.json's records, generated from schemas/run-summary.schema.json (the schema
 * checks them when summary.json is written): one A-vs-B comparison on one metric (values in the metric's unit: ms
 * or J per inference), a correlation with its `within` groups, a further check of a pair claim, a claim's result.
 */
export type ComparisonNumbers = ClaimComparison;
export type CorrelationNumbers = ClaimCorrelation;
export type CorrelationGroup = ClaimCorrelationGroup;
export type CheckResult = ClaimCheckResult;
export type ClaimResult = ClaimResultRecord;

export function evaluateClaims(claims: ClaimSet | readonly Claim[], summary: RunSummary, trials: readonly TrialResult[]): ClaimResult[] {
  const list = 'claims' in claims ? claims.claims : claims;
  const data = new ClaimData(summary, trials);
  return list.map((c) => (c.test === 'correlation' ? evaluateCorrelation(c, data) : evaluatePairs(c, data)));
}

function evaluatePairs(claim: PairClaim, data: ClaimData): ClaimResult {
  const pairs = pairConfigurations(
    claimConfigurations(claim.where, claim.a, claim.exclude),
    claimConfigurations(claim.where, claim.b, claim.exclude),
    claim.match,
  );
  const scopes = new Set<EnergyScope>();
  const rows = compare(pairs, claim.metrics, { ...claim, test: claim.test }, claim.minTrials, data, scopes);
  const checks = claim.checks.map((check) => evaluateCheck(claim, check, pairs, data));
  const v = pairVerdict(claim, rows, pairs.length);
  return { ...head(claim), ...scoped(v, scopes), numbers: { comparisons: rows }, checks };
}

/**
 * The claim's energy scope (null: its verdict rests on no total-energy metric, or none had data) and its reason,
 * prefixed when the energy was GPU energy only, so a reader never takes it for the total.
 */
function scoped<T extends { verdict: Verdict; reason: string }>(v: T, scopes: Set<EnergyScope>): T & { energyScope: EnergyScope | null } {
  if (!scopes.has('gpu-only')) return { ...v, energyScope: scopes.has('total') ? 'total' : null };
  return { ...v, energyScope: 'gpu-only', reason: `${GPU_ONLY_NOTE}: ${v.reason}` };
}

/** How a verdict decided on GPU energy alone is introduced (report and evaluation say the same). */
export const GPU_ONLY_NOTE = 'on GPU energy only (this run measured no CPU energy: no RAPL)';

type Rule = Pick<PairClaim, 'alpha' | 'minEffect' | 'maxRelativeDifference' | 'ratioRange'> & { test: PairClaim['test'] | ClaimCheck['test'] };

/** Every pair on every metric, Holm-adjusted over all of them, each judged by `rule`. */
function compare(
  pairs: ConfigurationPair[],
  metrics: ClaimMetric[],
  rule: Rule,
  minTrials: number,
  data: ClaimData,
  scopes = new Set<EnergyScope>(),
): ComparisonNumbers[] {
  const rows: ComparisonNumbers[] = [];
  const samples: { a: number[]; b: number[] }[] = [];
  for (const { a, b } of pairs) {
    for (const metric of metrics) {
      const [ida, idb] = [configurationId(a), configurationId(b)];
      const va = data.values(ida, metric, minTrials);
      const vb = data.values(idb, metric, minTrials);
      const row = emptyRow(ida, idb, metric);
      if ('missing' in va || 'missing' in vb) {
        row.note = ['missing' in va ? va.missing : null, 'missing' in vb ? vb.missing : null].filter(Boolean).join('; ');
      } else {
        for (const v of [va, vb]) if (v.energyScope) scopes.add(v.energyScope);
        const mw = mannWhitneyU(va.values, vb.values);
        const cd = cliffsDelta(va.values, vb.values);
        Object.assign(row, {
          nA: va.values.length,
          nB: vb.values.length,
          medianA: median(va.values),
          medianB: median(vb.values),
          u: mw.u,
          p: mw.p,
          cliffsDelta: cd.delta,
          magnitude: cd.magnitude,
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
    if (row.p !== null) judge(rule, row, samples[i]!, tested.length);
  }
  return rows;
}

/** A check on the claim's pairs: its own Holm family, its own sub-verdict; no data at all is 'not testable here'. */
function evaluateCheck(claim: PairClaim, check: ClaimCheck, pairs: ConfigurationPair[], data: ClaimData): CheckResult {
  const rule: Rule = { ...claim, test: check.test, ratioRange: null, maxRelativeDifference: null };
  const rows = compare(pairs, [check.metric], rule, claim.minTrials, data);
  const base = { label: check.label, role: check.role, metric: check.metric, test: check.test, why: check.why ?? null, comparisons: rows };
  if (rows.length > 0 && rows.every((r) => r.p === null)) {
    const reasons = gapSummary(
      rows.map((r) => r.note ?? ''),
      3,
    );
    return { ...base, verdict: 'not testable here', reason: `no pair has ${check.metric} for both sides in this run: ${reasons}` };
  }
  const v = pairVerdict({ ...claim, ...rule }, rows, pairs.length);
  return { ...base, verdict: v.verdict, reason: v.reason };
}

/** Sets status and note of one tested comparison. */
function judge(claim: Rule, row: ComparisonNumbers, s: { a: number[]; b: number[] }, familySize: number): void {
  const significant = row.pAdjusted! < claim.alpha;
  // Smallest p the data could give (complete separation): if even that fails Holm's first step,
  // a non-significant result says nothing.
  const minP = mannWhitneyU(
    s.a.map((_, i) => i),
    s.b.map((_, i) => s.a.length + i),
  ).p;
  const underpowered = minP * familySize >= claim.alpha;
  const bigEnough = CLIFFS_ORDER.indexOf(row.magnitude!) >= CLIFFS_ORDER.indexOf(claim.minEffect);
  const power = `n=${row.nA},${row.nB} trials cannot reach Holm-adjusted p < ${claim.alpha} over ${familySize} comparisons`;
  if (claim.test === 'ratio') {
    const [lo, hi] = claim.ratioRange!;
    row.status = row.ratio !== null && row.ratio >= lo && row.ratio <= hi ? 'pass' : 'fail';
  } else if (claim.test === 'less' || claim.test === 'greater') {
    // greater is less with the sides' roles swapped: the sign of delta that counts flips.
    const sign = claim.test === 'less' ? -1 : 1;
    if (significant && sign * row.cliffsDelta! > 0 && bigEnough) row.status = 'pass';
    else if (underpowered && !(significant && sign * row.cliffsDelta! < 0)) [row.status, row.note] = ['missing', power];
    else row.status = 'fail';
  } else if (claim.test === 'notGreater' || claim.test === 'notLess') {
    // Holds unless A is significantly and non-trivially on the wrong side; without power, nothing is known.
    const wrong = claim.test === 'notGreater' ? 1 : -1;
    if (significant && wrong * row.cliffsDelta! > 0 && bigEnough) row.status = 'fail';
    else if (underpowered) [row.status, row.note] = ['missing', power];
    else row.status = 'pass';
  } else {
    const withinMargin = claim.maxRelativeDifference !== null && row.ratio !== null && Math.abs(row.ratio - 1) <= claim.maxRelativeDifference;
    if (withinMargin || row.magnitude === 'negligible' || (!significant && !underpowered)) row.status = 'pass';
    else if (underpowered) [row.status, row.note] = ['missing', power];
    else row.status = 'fail';
  }
}

function pairVerdict(claim: Rule & Pick<PairClaim, 'quantifier'>, rows: ComparisonNumbers[], pairCount: number): { verdict: Verdict; reason: string } {
  const byPair = new Map<string, ComparisonNumbers[]>();
  for (const r of rows) byPair.set(`${r.a} vs ${r.b}`, [...(byPair.get(`${r.a} vs ${r.b}`) ?? []), r]);
  const status = (rs: ComparisonNumbers[]): Status =>
    rs.some((r) => r.status === 'fail') ? 'fail' : rs.some((r) => r.status === 'missing') ? 'missing' : 'pass';
  const states = [...byPair.values()].map(status);
  const [pass, fail, missing] = (['pass', 'fail', 'missing'] as const).map((s) => states.filter((x) => x === s).length);
  const failing = rows
    .filter((r) => r.status === 'fail')
    .slice(0, 3)
    .map(describeRow)
    .join('; ');
  const gaps = gapSummary(
    rows.filter((r) => r.status === 'missing').map((r) => r.note ?? ''),
    4,
  );
  const rule = criterion(claim);
  const total = pairCount;
  if (claim.quantifier === 'all') {
    if (fail! > 0) return { verdict: 'not reproduced', reason: `${fail} of ${pairs(total)} ${fail === 1 ? 'fails' : 'fail'} (${rule}): ${failing}` };
    if (missing! > 0) return { verdict: 'inconclusive', reason: `${missing} of ${pairs(total)} ${missing === 1 ? 'lacks' : 'lack'} usable data: ${gaps}` };
    return { verdict: 'reproduced', reason: `${total === 1 ? 'the 1 pair holds' : `all ${total} pairs hold`} (${rule})` };
  }
  if (pass! > total / 2)
    return { verdict: 'reproduced', reason: `${pass} of ${pairs(total)} hold, more than half (${rule})${fail ? `; failing: ${failing}` : ''}` };
  if (pass! + missing! <= total / 2) return { verdict: 'not reproduced', reason: `only ${pass} of ${pairs(total)} hold (${rule}); failing: ${failing}` };
  return {
    verdict: 'inconclusive',
    reason: `${pass} of ${pairs(total)} hold, ${fail} fail and ${missing} lack usable data (${gaps}): more than half cannot be decided`,
  };
}

function evaluateCorrelation(claim: CorrelationClaim, data: ClaimData): ClaimResult {
  const keys = claimConfigurations(claim.where, {}, claim.exclude);
  const scopes = new Set<EnergyScope>();
  const pooled = correlate(claim, keys.map(configurationId), data, scopes);
  const groups: CorrelationGroup[] = [];
  for (const dimension of claim.within) {
    const values = [...new Set(keys.map((k) => k[dimension]))];
    for (const value of values) {
      const label = `${dimension} = ${value}`;
      const g = correlate(claim, keys.filter((k) => k[dimension] === value).map(configurationId), data);
      groups.push({ label, configurations: g.used, missing: g.missing, rho: g.rho, p: g.p, verdict: g.verdict, reason: g.reason });
    }
  }
  const numbers: CorrelationNumbers = { x: claim.x, y: claim.y, configurations: pooled.used, missing: pooled.missing, rho: pooled.rho, p: pooled.p, groups };
  const within =
    groups.length > 0
      ? `; within ${claim.within.join(', ')}: ${groups.map((g) => `${g.label} ${g.rho === null ? g.verdict : `rho = ${g.rho.toFixed(3)}`}`).join(', ')}`
      : '';
  const verdict: Verdict = pooled.verdict === 'not testable here' ? 'inconclusive' : pooled.verdict;
  const v = scoped({ verdict, reason: `pooled: ${pooled.reason}${within}` }, scopes);
  return { ...head(claim), ...v, numbers: { correlation: numbers }, checks: [] };
}

/** Spearman rho over the configurations' medians of x and y, with a verdict against the claim's thresholds. */
function correlate(claim: CorrelationClaim, ids: string[], data: ClaimData, scopes = new Set<EnergyScope>()) {
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
    for (const v of [vx, vy]) if ('energyScope' in v && v.energyScope) scopes.add(v.energyScope);
    used.push(id);
    xs.push(median(vx.values));
    ys.push(median(vy.values));
  }
  const left =
    missing.length > 0
      ? ` (left out ${missing.length}: ${gapSummary(
          missing.map((m) => m.reason),
          3,
        )})`
      : '';
  const none = { used, missing, rho: null, p: null };
  if (used.length < claim.minConfigurations) {
    return {
      ...none,
      verdict: (used.length === 0 ? 'not testable here' : 'inconclusive') as SubVerdict,
      reason: `only ${used.length} of ${ids.length} configurations have ${claim.x} and ${claim.y} (at least ${claim.minConfigurations} needed)${left}`,
    };
  }
  const r = spearman(xs, ys);
  if (Number.isNaN(r.rho)) return { ...none, verdict: 'inconclusive' as SubVerdict, reason: `a metric is constant across configurations${left}` };
  const ok = r.rho >= claim.minRho && r.p < claim.alpha;
  return {
    used,
    missing,
    rho: r.rho,
    p: r.p,
    verdict: (ok ? 'reproduced' : 'not reproduced') as SubVerdict,
    reason: `Spearman rho = ${r.rho.toFixed(3)}, p = ${fmtP(r.p)} over ${used.length} configurations (needs rho >= ${claim.minRho} and p < ${claim.alpha})${left}`,
  };
}

const NOT_IN_RUN = /^no trials for (\S+) in this run$/;

/**
 * Why comparisons lack data, in a few words: "no trials for X in this run" notes (one per configuration, often
 * dozens when a claim names configurations the experiment never runs) become one phrase with a count and the
 * first few ids; up to `max` other distinct reasons follow.
 */
export function gapSummary(notes: readonly string[], max: number): string {
  const absent = new Set<string>();
  const other = new Set<string>();
  for (const note of notes) {
    for (const part of note.split('; ')) {
      const m = NOT_IN_RUN.exec(part);
      if (m) absent.add(m[1]!);
      else if (part) other.add(part);
    }
  }
  const out: string[] = [];
  if (absent.size > 0) {
    const ids = [...absent];
    const shown = ids.slice(0, 3).join(', ');
    out.push(`${ids.length} configuration${ids.length === 1 ? '' : 's'} not in this run (${shown}${ids.length > 3 ? `, and ${ids.length - 3} more` : ''})`);
  }
  return [...out, ...[...other].slice(0, max)].join('; ');
}

function head(c: Claim): Pick<ClaimResult, 'id' | 'finding' | 'text' | 'scope' | 'paperVersions' | 'source' | 'test'> {
  return { id: c.id, finding: c.finding, text: c.text, scope: c.scope, paperVersions: c.paperVersions, source: c.source, test: c.test };
}

function emptyRow(a: string, b: string, metric: ClaimMetric): ComparisonNumbers {
  return {
    a,
    b,
    metric,
    nA: 0,
    nB: 0,
    medianA: null,
    medianB: null,
    ratio: null,
    u: null,
    p: null,
    pAdjusted: null,
    cliffsDelta: null,
    magnitude: null,
    status: 'missing',
    note: null,
  };
}

function criterion(c: Rule): string {
  if (c.test === 'less') return `A < B: Holm-adjusted Mann-Whitney p < ${c.alpha} and Cliff's delta at least ${c.minEffect}`;
  if (c.test === 'greater') return `A > B: Holm-adjusted Mann-Whitney p < ${c.alpha} and Cliff's delta at least ${c.minEffect}`;
  if (c.test === 'notGreater')
    return `A not above B: no Holm-adjusted Mann-Whitney p < ${c.alpha} with Cliff's delta at least ${c.minEffect} in A's favour of being higher`;
  if (c.test === 'notLess')
    return `A not below B: no Holm-adjusted Mann-Whitney p < ${c.alpha} with Cliff's delta at least ${c.minEffect} in A's favour of being lower`;
  if (c.test === 'ratio') return `median A / median B within [${c.ratioRange!.join(', ')}]`;
  const margin = c.maxRelativeDifference !== null ? `, or medians within ${(c.maxRelativeDifference * 100).toFixed(0)}%` : '';
  return `no significant difference (Holm-adjusted p >= ${c.alpha}), or negligible Cliff's delta${margin}`;
}

function describeRow(r: ComparisonNumbers): string {
  const g = (v: number | null) => (v === null ? '-' : v.toPrecision(4));
  return (
    `${r.a} vs ${r.b} ${r.metric}: median ${g(r.medianA)} vs ${g(r.medianB)} (ratio ${g(r.ratio)}), ` +
    `p_adj = ${r.pAdjusted === null ? '-' : fmtP(r.pAdjusted)}, delta = ${r.cliffsDelta?.toFixed(2) ?? '-'} (${r.magnitude ?? '-'})`
  );
}

function pairs(n: number): string {
  return n === 1 ? '1 pair' : `${n} pairs`;
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
