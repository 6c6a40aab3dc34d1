/**
 * Per-configuration trial values for claim checks, or the reason a configuration cannot be used
 * ("no trials for mxnet/mxnet/resnet50/cuda/b1 in this run", energy unavailable, estimated, partial).
 */

import type { TrialResult } from '../contracts/index.js';
import type { ClaimMetric } from './claims-file.js';
import type { ConfigurationSummary, RunSummary } from './summarize-trials.js';
import { configurationId, configurationKeyOf, trialMetrics, type TrialMetrics } from './trial-metrics.js';

export type MetricValues = { values: number[] } | { missing: string };

export class ClaimData {
  private readonly summaries = new Map<string, ConfigurationSummary>();
  private readonly metrics = new Map<string, TrialMetrics[]>();

  constructor(summary: RunSummary, trials: readonly TrialResult[]) {
    for (const c of summary.configurations) this.summaries.set(c.id, c);
    for (const t of trials) {
      if (t.status !== 'ok') continue;
      const id = configurationId(configurationKeyOf(t));
      this.metrics.set(id, [...(this.metrics.get(id) ?? []), trialMetrics(t)]);
    }
  }

  /** One value per ok trial of the configuration, or why there are none usable. */
  values(id: string, metric: ClaimMetric, minTrials: number): MetricValues {
    const s = this.summaries.get(id);
    if (!s) return { missing: `no trials for ${id} in this run` };
    if (s.trials.ok === 0) {
      const why = s.excluded.slice(0, 2).map((e) => `${e.status}: ${e.reason}`).join('; ');
      return { missing: `no ok trials for ${id} (${s.trials.failed} failed, ${s.trials.invalid} invalid${why ? `; ${why}` : ''})` };
    }
    const trials = this.metrics.get(id) ?? [];
    let values: number[];
    if (metric === 'latencyMs') {
      values = trials.flatMap((m) => (m.latencyMs === null ? [] : [m.latencyMs]));
    } else {
      const energy = metric === 'energyPerInferenceJ' ? s.energy : s.netEnergy;
      const label = metric === 'energyPerInferenceJ' ? 'energy' : 'net energy';
      if (!energy.available) return { missing: `${label} unavailable for ${id}: ${energy.reason}` };
      if (energy.provenance === 'estimated') return { missing: `${label} for ${id} is estimated, not measured` };
      if (energy.partialReasons.length > 0) return { missing: `${label} for ${id} is partial: ${energy.partialReasons.join('; ')}` };
      values = trials.flatMap((m) => {
        const e = metric === 'energyPerInferenceJ' ? m.energyPerInference : m.netEnergyPerInference;
        return e.available ? [e.valueJ] : [];
      });
    }
    if (values.length < minTrials) {
      return { missing: `only ${values.length} ok trial(s) with ${metric} for ${id} (at least ${minTrials} needed)` };
    }
    return { values };
  }
}
