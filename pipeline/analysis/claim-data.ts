/**
 * Per-configuration trial values for claim checks, or the reason a configuration cannot be used
 * ("no trials for mxnet/mxnet/resnet50/cuda/b1 in this run", energy unavailable, estimated, partial,
 * no RAPL reading, GPU utilisation not sampled).
 */

import type { TrialResult } from '../contracts/index.js';
import type { ClaimMetric } from './claims-file.js';
import type { ConfigurationSummary, RunSummary } from './summarize-trials.js';
import { configurationId, configurationKeyOf, trialMetrics, type TrialMetrics } from './trial-metrics.js';

export type MetricValues = { values: number[] } | { missing: string };
type TrialValue = { value: number } | { missing: string };

export class ClaimData {
  private readonly summaries = new Map<string, ConfigurationSummary>();
  private readonly metrics = new Map<string, TrialMetrics[]>();
  private readonly trials = new Map<string, TrialResult[]>();

  constructor(summary: RunSummary, trials: readonly TrialResult[]) {
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
    } else if (metric === 'energyPerInferenceJ' || metric === 'netEnergyPerInferenceJ' || metric === 'runNetEnergyJ') {
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
    return { values };
  }
}

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
      return domainNetEnergy(t, ['rapl'], 'CPU (RAPL)', 'add "rapl" to power.sources on a host with Intel or AMD RAPL');
    case 'gpuNetEnergyPerInferenceJ':
      return domainNetEnergy(t, ['nvml', 'nvidia-smi'], 'GPU (NVML or nvidia-smi)', 'run on an NVIDIA GPU with "nvml" or "nvidia-smi" in power.sources');
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

/** Net energy per inference of the readings from `sources`, all of which must be measured and net of idle. */
function domainNetEnergy(t: TrialResult, sources: string[], what: string, fix: string): TrialValue {
  const readings = t.energy.readings.filter((r) => sources.includes(r.source));
  if (readings.length === 0) return { missing: `${t.trialId} has no ${what} energy reading (${fix})` };
  let sum = 0;
  for (const r of readings) {
    if (r.provenance === 'unavailable' || r.energyJ === null)
      return { missing: `${what} ${r.domain} unavailable in ${t.trialId}: ${r.reason ?? 'no reason recorded'}` };
    if (r.provenance === 'estimated') return { missing: `${what} ${r.domain} is estimated in ${t.trialId}, not measured` };
    if (r.netEnergyJ === null || r.netEnergyJ === undefined)
      return { missing: `no idle baseline for ${what} ${r.domain} in ${t.trialId} (power.baselineS was 0 or the baseline failed)` };
    sum += r.netEnergyJ;
  }
  return { value: sum / t.config.measuredIterations };
}
