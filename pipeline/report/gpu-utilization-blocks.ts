/**
 * GPU utilisation per configuration (from the trials: the mean 'gpu' utilisation each trial sampled
 * with power over its measure window): median over ok trials with the range, the instrument, or
 * why it is unavailable. Two of the study's explanations (MXNet at batch 1, TensorRT) rest on it.
 */
import type { TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, median } from '../analysis/index.js';
import { compareKeys, formatNumber, modelLabel, runtimeLabel } from './format.js';
import { plain, type Block } from './report-document.js';

export function gpuUtilizationBlocks(results: readonly TrialResult[]): Block[] {
  const ok = results.filter((t) => t.status === 'ok');
  if (ok.length === 0) return [];
  const byConfig = new Map<string, TrialResult[]>();
  for (const t of ok) byConfig.set(configurationId(configurationKeyOf(t)), [...(byConfig.get(configurationId(configurationKeyOf(t))) ?? []), t]);
  const reasonOf = (t: TrialResult) => t.gpuUtilization?.reason ?? (t.gpuUtilization ? 'no reason recorded' : 'not recorded by the greenrt that ran it');
  const sampledAnywhere = ok.some((t) => t.gpuUtilization?.provenance === 'sampled');
  const intro =
    'GPU utilisation: the share of time a kernel ran on the GPU (NVML `nvmlDeviceGetUtilizationRates`, or nvidia-smi `utilization.gpu`), sampled with power; per trial its mean over the measure window, here the median over ok trials with the range.';
  if (!sampledAnywhere) {
    const reasons = [...new Set(ok.map(reasonOf))];
    return [
      {
        kind: 'paragraph',
        text: `${intro} Not sampled in this run: ${plain(reasons.slice(0, 3).join('; '))}${reasons.length > 3 ? ` (and ${reasons.length - 3} more reasons)` : ''}.`,
      },
    ];
  }
  const rows = [...byConfig.values()]
    .sort((a, b) => compareKeys(configurationKeyOf(a[0]!), configurationKeyOf(b[0]!)))
    .map((trials) => {
      const key = configurationKeyOf(trials[0]!);
      const sampled = trials.flatMap((t) =>
        t.gpuUtilization?.provenance === 'sampled' && t.gpuUtilization.meanPercent !== null ? [t.gpuUtilization.meanPercent] : [],
      );
      const missing = trials.filter((t) => t.gpuUtilization?.provenance !== 'sampled');
      const instruments = [...new Set(trials.flatMap((t) => (t.gpuUtilization?.instrument ? [t.gpuUtilization.instrument] : [])))].join(', ');
      const value =
        sampled.length === 0
          ? 'unavailable'
          : `${formatNumber(median(sampled), 3)} [${formatNumber(Math.min(...sampled), 3)}–${formatNumber(Math.max(...sampled), 3)}]`;
      const note =
        missing.length === 0 ? '' : `${missing.length} of ${trials.length} trials unavailable: ${[...new Set(missing.map(reasonOf))].slice(0, 2).join('; ')}`;
      return [
        modelLabel(key.model),
        runtimeLabel(key),
        key.provider,
        String(key.batchSize),
        `${sampled.length}/${trials.length}`,
        value,
        instruments || '–',
        plain(note),
      ];
    });
  return [
    { kind: 'paragraph', text: intro },
    {
      kind: 'table',
      header: ['Model', 'Runtime (source)', 'Provider', 'Batch', 'Trials sampled/ok', 'GPU utilisation %, median [range]', 'Instrument', 'Note'],
      align: ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left'],
      rows,
    },
  ];
}
