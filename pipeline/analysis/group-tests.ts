/**
 * Kruskal-Wallis across the configurations that share a model and batch size, per metric: does the
 * runtime/provider matter at all here? (The claims make the pairwise comparisons.)
 */

import type { GroupTest, TrialResult } from '../contracts/index.js';
import { kruskalWallis } from './rank-tests.js';
import type { ConfigurationSummary } from './summarize-trials.js';
import { configurationId, configurationKeyOf, numbers, trialMetrics, grossEnergyValuesJ, type TrialMetrics } from './trial-metrics.js';

/** One Kruskal-Wallis test (summary.json's `groupTests[]`, schemas/run-summary.schema.json). */
export type { GroupTest };

export function groupTests(configurations: ConfigurationSummary[], results: readonly TrialResult[]): GroupTest[] {
  const byId = new Map<string, TrialMetrics[]>();
  for (const t of results) {
    if (t.status !== 'ok') continue;
    const id = configurationId(configurationKeyOf(t));
    byId.set(id, [...(byId.get(id) ?? []), trialMetrics(t)]);
  }
  const cells = new Map<string, ConfigurationSummary[]>();
  for (const c of configurations) {
    const k = `${c.key.model}\u0000${c.key.batchSize}`;
    cells.set(k, [...(cells.get(k) ?? []), c]);
  }
  const tests: GroupTest[] = [];
  for (const members of cells.values()) {
    const { model, batchSize } = members[0]!.key;
    for (const metric of ['latencyMs', 'energyPerInferenceJ'] as const) {
      const included: string[] = [];
      const left: string[] = [];
      const samples: number[][] = [];
      for (const c of members) {
        const m = byId.get(c.id) ?? [];
        const values = metric === 'latencyMs' ? numbers(m.map((x) => x.latencyMs)) : c.energy.available ? grossEnergyValuesJ(m) : [];
        if (values.length > 0) {
          included.push(c.id);
          samples.push(values);
        } else left.push(c.id);
      }
      let result: GroupTest['result'] = null;
      let note = left.length > 0 ? `left out (no values): ${left.join(', ')}` : null;
      if (samples.length < 2) note = `fewer than 2 configurations with values${note ? `; ${note}` : ''}`;
      else if (new Set(samples.flat()).size < 2) note = 'all values are identical';
      else result = kruskalWallis(samples);
      tests.push({ model, batchSize, metric, configurations: included, result, note });
    }
  }
  return tests;
}
