/**
 * "How these numbers were obtained": the measurement window, the trial as the unit of replication,
 * the statistics (from summary.method, so the text cannot drift from what was computed) and what each
 * energy provenance means.
 */
import type { RunManifest } from '../contracts/index.js';
import type { RunSummary } from '../analysis/index.js';
import { code, type Block } from './report-document.js';

export function methodBlocks(m: RunManifest, s: RunSummary): Block[] {
  const spec = m.experiment.spec;
  const ci = s.method.intervals;
  const baselineS = spec.power?.baselineS;
  return [
    {
      kind: 'list',
      items: [
        `**Window.** Time and energy cover exactly the entrypoint's ${code('measure')} phase: ${spec.measuredIterations} timed inferences after ${spec.warmupIterations} warm-up inferences, inputs generated once (seeded) before it, the device synchronised at its edges. ` +
          'Phase markers use CLOCK_MONOTONIC, which containers share with the host, so the host power monitor integrates over the same window. Model loading and warm-up are outside it.',
        "**Latency.** Each inference is timed by the entrypoint (ms); a trial's latency is the median of its inferences. Throughput = batch size x inferences / window length (samples/s).",
        `**Energy.** Per domain (GPU via NVML or nvidia-smi, CPU package and DRAM via RAPL) over the window; the total sums distinct hardware, and energy per inference = total / ${spec.measuredIterations}. ` +
          `Net energy subtracts the idle baseline power (measured ${baselineS === undefined ? 'before the first trial' : `for ${baselineS} s before the first trial`}) x the window length.`,
        '**Provenance.** `counter`: a hardware energy counter read at the window edges (NVML total energy, RAPL energy_uj); `integrated`: instantaneous power samples integrated over the window; ' +
          '`estimated`: derived from averaged power (e.g. nvidia-smi power.draw, a ~1 s average) and not used by claims; `unavailable`: not measured, with the reason. A missing value is never written as 0.',
        `**Replication.** The unit is the trial: a fresh process or container per trial, ${typeof spec.repetitions === 'number' ? spec.repetitions : `${spec.repetitions.min} to ${spec.repetitions.max} (adaptive: each configuration until its median's 95 % interval is within ±${Number((spec.repetitions.precision.relativeHalfWidth * 100).toPrecision(3))} %; the rule never looks at a comparison)`} per configuration, in a ${m.plan.order} order (seed ${m.plan.seed}), with a cool-down gate before each. ` +
          'Failed and invalid trials are kept, listed in Warnings, and excluded from statistics and claims.',
        `**Statistics.** Trial value: ${s.method.trialValue}. Quantiles: ${s.method.quantiles}. SD: ${s.method.sd}. ` +
          `Intervals: ${ci.method} of the median, ${Math.round(ci.confidence * 100)}% confidence, ${ci.resamples} resamples, seed ${ci.seed} (same data, same interval). ` +
          'With about 10 trials per configuration percentile intervals are somewhat narrow (coverage a little under nominal).',
        "**Tests.** Kruskal-Wallis across the configurations of a model and batch size; claims use two-sided Mann-Whitney U (asymptotic, tie- and continuity-corrected) with Holm adjustment over a claim's comparisons, " +
          "Cliff's delta as effect size (negligible < 0.147 <= small < 0.33 <= medium < 0.474 <= large), and Spearman rho for correlations; each claim's rule is printed with its reason.",
      ],
    },
  ];
}
