import { Contracts } from '../contracts/index.js';
import { ExitCode } from '../core/index.js';
import { summarizeTrials } from '../analysis/index.js';
import { compareRuns, formatNumber, formatP, type CompareMetric, type ComparisonRow, type RunComparison } from '../report/index.js';
import { openRunFolder, processIo, type CommandIo } from './report-command.js';

export interface CompareOptions {
  /** Allowed relative difference of medians: "0.1" or "10%". */
  tolerance: string;
  /** latency | energy | both. */
  metric: string;
  /** Print the comparison as JSON instead of a table. */
  json?: boolean;
}

/**
 * `greenrt compare <runA> <runB>`: exit 0 when B reproduces A (rule: COMPARISON_RULE, printed),
 * 4 when it does not, 2 on bad input (tolerance, metric, not a run folder, nothing to compare).
 */
export async function compareCommand(runA: string, runB: string, opts: CompareOptions, io: CommandIo = processIo): Promise<number> {
  const tolerance = parseTolerance(opts.tolerance);
  if (tolerance === null) {
    io.stderr(`greenrt compare: --tolerance "${opts.tolerance}" is not a ratio in [0, 10): use e.g. 0.1 or 10% for ±10%.\n`);
    return ExitCode.badInput;
  }
  const metrics = ({ latency: ['latency'], energy: ['energy'], both: ['latency', 'energy'] } as Record<string, CompareMetric[]>)[opts.metric];
  if (!metrics) {
    io.stderr(`greenrt compare: --metric "${opts.metric}" must be latency, energy or both.\n`);
    return ExitCode.badInput;
  }
  const contracts = new Contracts();
  const a = await openRunFolder(runA, contracts, io, 'compare');
  const b = a && (await openRunFolder(runB, contracts, io, 'compare'));
  if (!a || !b) return ExitCode.badInput;
  const data = (r: typeof a) => ({ runId: r.manifest.runId, results: r.results, summary: summarizeTrials(r.results, { seed: r.manifest.plan.seed }) });
  const comparison = compareRuns(data(a), data(b), { tolerance, metrics });
  if (comparison.rows.length === 0) {
    io.stderr(
      `greenrt compare: ${a.manifest.runId} and ${b.manifest.runId} share no configuration (A has ${comparison.onlyInA.length}, B has ${comparison.onlyInB.length}). Compare runs of the same experiment.\n`,
    );
    return ExitCode.badInput;
  }
  if (comparison.decided === 0) {
    io.stderr(
      `greenrt compare: run A has no ${metrics.join(' or ')} value for any shared configuration (${comparison.rows[0]?.note ?? ''}); nothing to reproduce. Try --metric latency.\n`,
    );
    return ExitCode.badInput;
  }
  io.stdout(opts.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison));
  return comparison.reproduces ? ExitCode.ok : ExitCode.trialsFailed;
}

/** "0.1", "10%" -> 0.1; null when not a finite ratio in [0, 10). */
export function parseTolerance(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]) / (m[2] ? 100 : 1);
  return Number.isFinite(v) && v >= 0 && v < 10 ? v : null;
}

/** Plain-text table, the lists of unmatched configurations, the rule and the verdict. */
export function renderComparison(c: RunComparison): string {
  const header = ['configuration', 'metric', 'median A [95% CI]', 'median B [95% CI]', 'B/A', 'CIs overlap', 'MW p', "Cliff's d", 'result'];
  const rows = c.rows.map((r) => [
    r.configuration,
    `${r.metric} (${r.unit})`,
    side(r.a),
    side(r.b),
    r.ratio === null ? '–' : r.ratio.toFixed(3),
    r.ciOverlap === null ? '–' : r.ciOverlap ? 'yes' : 'NO',
    formatP(r.mannWhitneyP),
    r.cliffsDelta === null ? '–' : r.cliffsDelta.toFixed(2),
    result(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => s.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [`A: ${c.runA}`, `B: ${c.runB}`, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  // One line per distinct reason: a host without power sensors gives every row the same one.
  const byNote = new Map<string, string[]>();
  for (const r of c.rows) if (r.note) byNote.set(r.note, [...(byNote.get(r.note) ?? []), `${r.configuration} ${r.metric}`]);
  if (byNote.size) out.push('Rows without values:', ...[...byNote].map(([note, rows]) => `  ${rows.join(', ')}: ${note}`), '');
  if (c.onlyInA.length) out.push(`Only in A (${c.onlyInA.length}, not compared): ${c.onlyInA.join(', ')}`);
  if (c.onlyInB.length) out.push(`Only in B (${c.onlyInB.length}, not compared): ${c.onlyInB.join(', ')}`);
  out.push(`Differ beyond their confidence intervals (${c.differBeyondCi.length}): ${c.differBeyondCi.join(', ') || 'none'}`, '');
  out.push(`Rule (tolerance ${formatNumber(c.tolerance * 100, 3)}%): ${c.rule}`, '');
  const failing = c.rows.filter((r) => r.verdict === 'differs' || r.verdict === 'missing in B');
  out.push(
    c.reproduces
      ? `VERDICT: B reproduces A: all ${c.decided} configuration-metric(s) agree within ±${formatNumber(c.tolerance * 100, 3)}% or overlapping 95% CIs.`
      : `VERDICT: B does NOT reproduce A: ${failing.length} of ${c.decided} configuration-metric(s) fail: ${failing.map((r) => `${r.configuration} ${r.metric} (${r.verdict})`).join(', ')}.`,
  );
  return `${out.join('\n')}\n`;
}

function side(s: ComparisonRow['a']): string {
  if (!s) return '–';
  return `${formatNumber(s.median)}${s.ci ? ` [${formatNumber(s.ci.lower)}, ${formatNumber(s.ci.upper)}]` : ''} n=${s.n}`;
}

function result(r: ComparisonRow): string {
  if (r.verdict === 'no value in A') return 'skipped (no value in A)';
  if (r.verdict !== 'agrees') return r.verdict.toUpperCase();
  return r.withinTolerance ? 'agrees' : 'agrees (CIs overlap)';
}
