/**
 * Per-configuration trial values for claim checks, or the reason a configuration cannot be used
 * ("no trials for mxnet/mxnet/resnet50/cuda/b1 in this run", energy unavailable, estimated, partial,
 * no RAPL reading, GPU utilisation not sampled).
 */

import type { TrialResult } from '../contracts/index.js';
import type { ClaimMetric } from './claims-file.js';
import type { ConfigurationSummary, RunSummary } from './summarize-trials.js';
import { configurationId, configurationKeyOf, trialMetrics, type TrialMetrics } from './trial-metrics.js';

/**
 * What an energy value covers: `total` = GPU + CPU (+ DRAM) as measured; `gpu-only` = the run measured no CPU
 * energy at all (no RAPL on the host, or "rapl" not in power.sources), so energy metrics are read from the GPU
 * readings alone and say so.
 */
export type EnergyScope = 'total' | 'gpu-only';
export type MetricValues = { values: number[]; energyScope?: EnergyScope } | { missing: string };
type TrialValue = { value: number } | { missing: string };

export class ClaimData {
  private readonly summaries = new Map<string, ConfigurationSummary>();
  private readonly metrics = new Map<string, TrialMetrics[]>();
  private readonly trials = new Map<string, TrialResult[]>();
  /**
   * No ok trial of the run has a measured CPU (RAPL) reading, and some have a measured GPU reading: total-energy
   * metrics are read from the GPU readings alone and labelled so (energyScope 'gpu-only').
   */
  readonly gpuOnlyEnergy: boolean;

  constructor(summary: RunSummary, trials: readonly TrialResult[]) {
    const measured = (sources: string[]) =>
      trials.some(
        (t) => t.status === 'ok' && t.energy.readings.some((r) => sources.includes(r.source) && r.provenance !== 'unavailable' && r.energyJ !== null),
      );
    this.gpuOnlyEnergy = !measured(['rapl']) && measured(GPU_SOURCES);
    for (const c of summary.configurations) this.summaries.set(c.id, c);
    for (const t of trials) {
      if (t.status !== 'ok') continue;
      const id = configurationId(configurationKeyOf(t));
      this.metrics.set(id, [...(this.metrics.get(id) ?? []), trialMetrics(t)]);
      this.trials.set(id, [...(this.trials.get(id) ?? []), t]);
    }
  }

  /** One value per ok trial of the configuration, or why there are none usable. */
  values(id: string, metric: ClaimMetric, minTrials: number): MetricValues {
    const s = this.summaries.get(id);
    if (!s) return { missing: `no trials for ${id} in this run` };
    if (s.trials.ok === 0) {
      const why = s.excluded
        .slice(0, 2)
        .map((e) => `${e.status}: ${e.reason}`)
        .join('; ');
      return { missing: `no ok trials for ${id} (${s.trials.failed} failed, ${s.trials.invalid} invalid${why ? `; ${why}` : ''})` };
    }
    const trials = this.metrics.get(id) ?? [];
    let values: number[];
    if (metric === 'latencyMs') {
      values = trials.flatMap((m) => (m.latencyMs === null ? [] : [m.latencyMs]));
    } else if (ENERGY_METRICS.has(metric) && this.gpuOnlyEnergy) {
      // No CPU energy anywhere in this run: decide on GPU energy only, never silently as the total.
      values = [];
      for (const t of this.trials.get(id) ?? []) {
        const v = gpuEnergy(t, metric);
        if ('missing' in v)
          return { missing: `${METRIC_LABELS[metric]} unavailable for ${id}: CPU energy not measured in this run (no RAPL) and ${v.missing}` };
        values.push(v.value);
      }
      if (values.length < minTrials) return { missing: `only ${values.length} ok trial(s) with ${metric} for ${id} (at least ${minTrials} needed)` };
      return { values, energyScope: 'gpu-only' };
    } else if (ENERGY_METRICS.has(metric)) {
      const gross = metric === 'energyPerInferenceJ';
      const energy = gross ? s.energy : s.netEnergy;
      const label = gross ? 'energy' : 'net energy';
      if (!energy.available) return { missing: `${label} unavailable for ${id}: ${energy.reason}` };
      if (energy.provenance === 'estimated') return { missing: `${label} for ${id} is estimated, not measured` };
      if (energy.partialReasons.length > 0) return { missing: `${label} for ${id} is partial: ${energy.partialReasons.join('; ')}` };
      values =
        metric === 'runNetEnergyJ'
          ? (this.trials.get(id) ?? []).flatMap((t) => (typeof t.energy.totalNetEnergyJ === 'number' ? [t.energy.totalNetEnergyJ] : []))
          : trials.flatMap((m) => {
              const e = gross ? m.energyPerInference : m.netEnergyPerInference;
              return e.available ? [e.valueJ] : [];
            });
    } else {
      values = [];
      for (const t of this.trials.get(id) ?? []) {
        const v = trialValue(t, metric);
        if ('missing' in v) return { missing: `${METRIC_LABELS[metric]} unavailable for ${id}: ${v.missing}` };
        values.push(v.value);
      }
    }
    if (values.length < minTrials) {
      return { missing: `only ${values.length} ok trial(s) with ${metric} for ${id} (at least ${minTrials} needed)` };
    }
    return ENERGY_METRICS.has(metric) ? { values, energyScope: 'total' } : { values };
  }
}

/** Metrics whose value is the run's total energy (GPU + CPU): decided on GPU energy only where no CPU energy exists. */
export const ENERGY_METRICS: ReadonlySet<ClaimMetric> = new Set(['energyPerInferenceJ', 'netEnergyPerInferenceJ', 'runNetEnergyJ']);

/** A total-energy metric computed from the GPU readings alone (gross or net of idle, per inference or per run). */
function gpuEnergy(t: TrialResult, metric: ClaimMetric): TrialValue {
  const net = domainEnergy(t, GPU_SOURCES, 'GPU (NVML or nvidia-smi)', GPU_FIX, metric !== 'energyPerInferenceJ');
  if ('missing' in net || metric !== 'runNetEnergyJ') return net;
  return { value: net.value * t.config.measuredIterations };
}

const GPU_SOURCES = ['nvml', 'nvidia-smi'];
const GPU_FIX = 'run on an NVIDIA GPU with "nvml" or "nvidia-smi" in power.sources';

const METRIC_LABELS: Record<ClaimMetric, string> = {
  latencyMs: 'latency',
  energyPerInferenceJ: 'energy',
  netEnergyPerInferenceJ: 'net energy',
  cpuNetEnergyPerInferenceJ: 'CPU net energy',
  gpuNetEnergyPerInferenceJ: 'GPU net energy',
  gpuUtilizationPercent: 'GPU utilisation',
  runTimeS: 'run time',
  runNetEnergyJ: 'run net energy',
};

/** A per-trial value of the metrics the run summary does not aggregate, or why there is none. */
export function trialValue(t: TrialResult, metric: ClaimMetric): TrialValue {
  switch (metric) {
    case 'cpuNetEnergyPerInferenceJ':
      return domainEnergy(t, ['rapl'], 'CPU (RAPL)', 'add "rapl" to power.sources on a host with Intel or AMD RAPL');
    case 'gpuNetEnergyPerInferenceJ':
      return domainEnergy(t, GPU_SOURCES, 'GPU (NVML or nvidia-smi)', GPU_FIX);
    case 'gpuUtilizationPercent': {
      const u = t.gpuUtilization;
      if (!u) return { missing: `${t.trialId} has no GPU utilisation record (not sampled by the greenrt that ran it)` };
      if (u.provenance !== 'sampled' || u.meanPercent === null) return { missing: `${t.trialId}: ${u.reason ?? 'not sampled (no reason recorded)'}` };
      return { value: u.meanPercent };
    }
    case 'runTimeS':
      return t.timing.measureWindowMs === null ? { missing: `${t.trialId} has no measure window` } : { value: t.timing.measureWindowMs / 1000 };
    default:
      throw new Error(`trialValue: ${metric} is aggregated by the run summary`);
  }
}

/** Energy per inference (net of idle unless `net` is false) of the readings from `sources`, all of which must be measured. */
function domainEnergy(t: TrialResult, sources: string[], what: string, fix: string, net = true): TrialValue {
  const readings = t.energy.readings.filter((r) => sources.includes(r.source));
  if (readings.length === 0) return { missing: `${t.trialId} has no ${what} energy reading (${fix})` };
  let sum = 0;
  for (const r of readings) {
    if (r.provenance === 'unavailable' || r.energyJ === null)
      return { missing: `${what} ${r.domain} unavailable in ${t.trialId}: ${r.reason ?? 'no reason recorded'}` };
    if (r.provenance === 'estimated') return { missing: `${what} ${r.domain} is estimated in ${t.trialId}, not measured` };
    if (!net) {
      sum += r.energyJ;
      continue;
    }
    if (r.netEnergyJ === null || r.netEnergyJ === undefined)
      return { missing: `no idle baseline for ${what} ${r.domain} in ${t.trialId} (power.baselineS was 0 or the baseline failed)` };
    sum += r.netEnergyJ;
  }
  return { value: sum / t.config.measuredIterations };
}
