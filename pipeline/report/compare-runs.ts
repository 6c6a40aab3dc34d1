/**
 * Run B against run A, configuration by configuration (pure; `greenrt compare` does the I/O).
 * The verdict rule is `COMPARISON_RULE`, printed with every comparison so a script's reader knows
 * what exit 0 promised.
 */
import type { TrialResult } from '../contracts/index.js';
import {
  cliffsDelta,
  mannWhitneyU,
  configurationId,
  configurationKeyOf,
  trialMetrics,
  type Interval,
  type CliffsMagnitude,
  type ConfigurationSummary,
  type RunSummary,
} from '../analysis/index.js';

export type CompareMetric = 'latency' | 'energy';

export interface RunData {
  runId: string;
  summary: RunSummary;
  results: readonly TrialResult[];
}

export interface SideNumbers {
  n: number;
  /** Median of the trial values (ms or J). */
  median: number;
  ci: Interval | null;
}

export type RowVerdict = 'agrees' | 'differs' | 'missing in B' | 'no value in A';

export interface ComparisonRow {
  configuration: string;
  metric: CompareMetric;
  unit: 'ms' | 'J';
  a: SideNumbers | null;
  b: SideNumbers | null;
  /** median B / median A. */
  ratio: number | null;
  /** Whether the two median intervals overlap; null when either is missing (n < 2). */
  ciOverlap: boolean | null;
  withinTolerance: boolean | null;
  /** Two-sided Mann-Whitney p (information only; n >= 3 in both runs). */
  mannWhitneyP: number | null;
  /** Cliff's delta of B against A (positive: B larger), information only. */
  cliffsDelta: number | null;
  magnitude: CliffsMagnitude | null;
  verdict: RowVerdict;
  /** Why a side has no value. */
  note: string | null;
}

export interface RunComparison {
  runA: string;
  runB: string;
  tolerance: number;
  metrics: CompareMetric[];
  rule: string;
  rows: ComparisonRow[];
  onlyInA: string[];
  onlyInB: string[];
  /** Rows whose median intervals do not overlap ("configuration metric"). */
  differBeyondCi: string[];
  /** Rows that decide: A has a value. */
  decided: number;
  reproduces: boolean;
}

export const COMPARISON_RULE =
  "For each configuration in both runs and each metric (latency: a trial's median per-inference latency, ms; energy: gross energy per inference, J), " +
  'ratio = median B / median A over ok trials. A row agrees when |ratio - 1| <= tolerance, or when the 95% bootstrap intervals of the two medians overlap. ' +
  'B reproduces A when every row where A has a value agrees; a value A has and B lacks (no ok trials, energy unavailable) fails it. ' +
  "Configurations in only one run are listed and do not count. Mann-Whitney p and Cliff's delta are shown for information only.";

export function compareRuns(a: RunData, b: RunData, options: { tolerance: number; metrics: CompareMetric[] }): RunComparison {
  const byIdA = new Map(a.summary.configurations.map((c) => [c.id, c]));
  const byIdB = new Map(b.summary.configurations.map((c) => [c.id, c]));
  const shared = [...byIdA.keys()].filter((id) => byIdB.has(id)).sort();
  const valuesA = trialValues(a.results);
  const valuesB = trialValues(b.results);
  const rows: ComparisonRow[] = [];
  for (const id of shared) {
    for (const metric of options.metrics) {
      rows.push(
        compareOne(
          id,
          metric,
          side(byIdA.get(id)!, metric),
          side(byIdB.get(id)!, metric),
          valuesA.get(id)?.[metric] ?? [],
          valuesB.get(id)?.[metric] ?? [],
          options.tolerance,
        ),
      );
    }
  }
  const decided = rows.filter((r) => r.verdict !== 'no value in A');
  return {
    runA: a.runId,
    runB: b.runId,
    tolerance: options.tolerance,
    metrics: options.metrics,
    rule: COMPARISON_RULE,
    rows,
    onlyInA: [...byIdA.keys()].filter((id) => !byIdB.has(id)).sort(),
    onlyInB: [...byIdB.keys()].filter((id) => !byIdA.has(id)).sort(),
    differBeyondCi: rows.filter((r) => r.ciOverlap === false).map((r) => `${r.configuration} ${r.metric}`),
    decided: decided.length,
    reproduces: decided.length > 0 && decided.every((r) => r.verdict === 'agrees'),
  };
}

type Side = { numbers: SideNumbers } | { missing: string };

function side(c: ConfigurationSummary, metric: CompareMetric): Side {
  if (c.trials.ok === 0) return { missing: `no ok trials (${c.trials.failed} failed, ${c.trials.invalid} invalid)` };
  if (metric === 'latency') {
    const d = c.latencyMs.perTrialMedian;
    return d ? { numbers: { n: d.n, median: d.median, ci: d.ciMedian } } : { missing: 'no latencies' };
  }
  if (!c.energy.available) return { missing: `energy unavailable: ${c.energy.reason}` };
  const d = c.energy.perInferenceJ;
  return { numbers: { n: d.n, median: d.median, ci: d.ciMedian } };
}

function compareOne(id: string, metric: CompareMetric, sa: Side, sb: Side, va: number[], vb: number[], tolerance: number): ComparisonRow {
  const row: ComparisonRow = {
    configuration: id,
    metric,
    unit: metric === 'latency' ? 'ms' : 'J',
    a: null,
    b: null,
    ratio: null,
    ciOverlap: null,
    withinTolerance: null,
    mannWhitneyP: null,
    cliffsDelta: null,
    magnitude: null,
    verdict: 'agrees',
    note: null,
  };
  if ('missing' in sa) return { ...row, verdict: 'no value in A', note: `A: ${sa.missing}`, b: 'numbers' in sb ? sb.numbers : null };
  row.a = sa.numbers;
  if ('missing' in sb) return { ...row, verdict: 'missing in B', note: `B: ${sb.missing}` };
  row.b = sb.numbers;
  row.ratio = row.a.median !== 0 ? row.b.median / row.a.median : null;
  row.withinTolerance = row.ratio !== null && Math.abs(row.ratio - 1) <= tolerance + 1e-12;
  if (row.a.ci && row.b.ci) row.ciOverlap = row.a.ci.lower <= row.b.ci.upper && row.b.ci.lower <= row.a.ci.upper;
  if (va.length >= 3 && vb.length >= 3) {
    row.mannWhitneyP = mannWhitneyU(vb, va).p;
    const d = cliffsDelta(vb, va);
    [row.cliffsDelta, row.magnitude] = [d.delta, d.magnitude];
  }
  row.verdict = row.withinTolerance || row.ciOverlap === true ? 'agrees' : 'differs';
  return row;
}

/** Trial values per configuration: latency (trial median, ms) and energy per inference (J). */
function trialValues(results: readonly TrialResult[]): Map<string, Record<CompareMetric, number[]>> {
  const out = new Map<string, Record<CompareMetric, number[]>>();
  for (const t of results) {
    if (t.status !== 'ok') continue;
    const id = configurationId(configurationKeyOf(t));
    const entry = out.get(id) ?? { latency: [], energy: [] };
    const m = trialMetrics(t);
    if (m.latencyMs !== null) entry.latency.push(m.latencyMs);
    if (m.energyPerInference.available) entry.energy.push(m.energyPerInference.valueJ);
    out.set(id, entry);
  }
  return out;
}
