/**
 * results.csv: tidy, one row per trial (the unit of replication), one column per variable with its
 * unit in the name. Read with `pandas.read_csv("results.csv")` or `read.csv("results.csv")` as is:
 * RFC 4180 quoting, LF line ends, a value that was not measured is an EMPTY cell (never 0) and the
 * `energy_provenance` / `energy_reason` (and `gpu_utilization_provenance` / `_reason`) columns say why; booleans are `true`/`false`; times are ISO 8601.
 */
import type { TrialResult } from '../contracts/index.js';
import { mean, quantile, configurationId, configurationKeyOf } from '../analysis/index.js';
import { splitEnergy } from './energy-domains.js';
import { defaultMode } from '../catalogue/index.js';

type Cell = string | number | boolean | null | undefined;

/** Column name -> value of one trial. Order here is the column order of the file. */
const COLUMNS: [string, (t: TrialResult) => Cell][] = [
  ['run_id', (t) => t.runId],
  ['trial_id', (t) => t.trialId],
  ['configuration_id', (t) => configurationId(configurationKeyOf(t))],
  ['order_index', (t) => t.orderIndex],
  ['status', (t) => t.status],
  ['reasons', (t) => t.reasons.join('; ')],
  ['started_at', (t) => t.startedAt],
  ['finished_at', (t) => t.finishedAt],
  ['runner', (t) => t.runner.kind],
  ['runtime', (t) => t.config.runtime],
  ['source', (t) => t.config.source],
  ['model', (t) => t.config.model],
  ['provider', (t) => t.config.provider],
  // The mode that ran, named even when it is the runtime's default (empty: a runtime without modes).
  ['mode', (t) => t.config.mode ?? defaultMode(t.config.runtime)],
  ['batch_size', (t) => t.config.batchSize],
  ['repetition', (t) => t.config.repetition],
  ['warmup_iterations', (t) => t.config.warmupIterations],
  ['measured_iterations', (t) => t.config.measuredIterations],
  ['threads', (t) => t.config.threads],
  ['sequence_length', (t) => t.config.sequenceLength],
  ['model_format', (t) => t.model?.format],
  ['model_sha256', (t) => t.model?.sha256],
  ['conversion_max_abs_diff', (t) => t.model?.conversion?.maxAbsDiff],
  ['conversion_within_tolerance', (t) => t.model?.conversion?.withinTolerance],
  ['framework', (t) => t.environment?.framework],
  ['framework_version', (t) => t.environment?.frameworkVersion],
  ['device', (t) => t.environment?.device],
  ['latency_count', (t) => t.timing.latenciesMs.length],
  ['latency_median_ms', (t) => stat(t, 0.5)],
  ['latency_mean_ms', (t) => (t.timing.latenciesMs.length ? mean(t.timing.latenciesMs) : null)],
  ['latency_p05_ms', (t) => stat(t, 0.05)],
  ['latency_p95_ms', (t) => stat(t, 0.95)],
  ['latency_min_ms', (t) => stat(t, 0)],
  ['latency_max_ms', (t) => stat(t, 1)],
  ['measure_window_ms', (t) => t.timing.measureWindowMs],
  ['throughput_samples_per_s', (t) => t.timing.throughputSamplesPerS],
  ['load_ms', (t) => t.timing.loadMs],
  ['engine_build_ms', (t) => t.timing.engineBuildMs ?? null],
  ['start_to_first_inference_ms', (t) => t.timing.startToFirstInferenceMs],
  ['wall_ms', (t) => t.runner.wallMs],
  ['energy_total_j', (t) => t.energy.totalEnergyJ],
  ['energy_net_total_j', (t) => t.energy.totalNetEnergyJ],
  ['energy_per_inference_j', (t) => t.energy.energyPerInferenceJ],
  ['energy_per_sample_j', (t) => (t.energy.energyPerInferenceJ == null ? null : t.energy.energyPerInferenceJ / t.config.batchSize)],
  [
    'net_energy_per_inference_j',
    (t) => (t.energy.totalNetEnergyJ == null || t.energy.energyPerInferenceJ == null ? null : t.energy.totalNetEnergyJ / t.config.measuredIterations),
  ],
  ['energy_provenance', (t) => t.energy.totalProvenance],
  ['energy_reason', (t) => t.energy.reason],
  ['gpu_energy_j', (t) => splitEnergy(t)?.energyJ.gpu],
  ['cpu_energy_j', (t) => splitEnergy(t)?.energyJ.cpu],
  ['dram_energy_j', (t) => splitEnergy(t)?.energyJ.dram],
  ['gpu_utilization_percent', (t) => t.gpuUtilization?.meanPercent],
  ['gpu_utilization_samples', (t) => t.gpuUtilization?.samples],
  ['gpu_utilization_provenance', (t) => t.gpuUtilization?.provenance ?? 'unavailable'],
  ['gpu_utilization_reason', (t) => (t.gpuUtilization ? t.gpuUtilization.reason : 'not recorded (the trial result has no GPU utilisation record)')],
  ['cooldown_met', (t) => t.cooldown?.met],
  ['cooldown_waited_ms', (t) => t.cooldown?.waitedMs],
];

/** Column added to a merged run's results.csv: the node (host name) each trial ran on. */
export const NODE_COLUMN = 'node';

/** Column names of results.csv, in order. */
export const RESULTS_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

/** One row per trial; with `nodes` (trialId -> host name, a merged run), a last column `node`. */
export function renderResultsCsv(results: readonly TrialResult[], nodes?: ReadonlyMap<string, string>): string {
  const rows = [...results].sort((a, b) => a.orderIndex - b.orderIndex || (a.trialId < b.trialId ? -1 : 1));
  const columns: [string, (t: TrialResult) => Cell][] = nodes && nodes.size > 0 ? [...COLUMNS, [NODE_COLUMN, (t) => nodes.get(t.trialId)]] : COLUMNS;
  const lines = [columns.map(([name]) => csvField(name)).join(',')];
  for (const t of rows) lines.push(columns.map(([, get]) => csvField(get(t))).join(','));
  return `${lines.join('\n')}\n`;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF (or leading/trailing spaces); double inner quotes. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function stat(t: TrialResult, p: number): number | null {
  return t.timing.latenciesMs.length ? quantile(t.timing.latenciesMs, p) : null;
}
