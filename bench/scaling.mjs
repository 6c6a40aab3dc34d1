// How a run's wall time grows with the number of trials: 1, 10 and 100 trials of a tiny ONNX model
// on the embedded runtime (no power source, no baseline, no cool-down), through `greenrt run`.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timedRun } from './run-analysis.mjs';
import { log, repoRoot, round } from './lib.mjs';

const tinyModel = join(repoRoot, 'pipeline', 'testing', 'fixtures', 'tiny-conv.onnx');

function experiment(trials) {
  const sha = createHash('sha256').update(readFileSync(tinyModel)).digest('hex');
  return `schemaVersion: 1
name: bench-scaling-${trials}
seed: 1
order: shuffled
weights: random
runtimes:
  - name: embedded
    providers: [cpu]
    sources: [pytorch]
models: [mobilenet_v2]
batchSizes: [1]
repetitions: ${trials}
warmupIterations: 2
measuredIterations: 10
threads: 1
prebuiltModels:
  # A tiny 8x8 conv net standing in for the model: the run's own cost dominates.
  - model: mobilenet_v2
    source: pytorch
    path: models/tiny-conv.onnx
    sha256: "${sha}"
power:
  sources: [none]
  baselineS: 0
  cooldown:
    minS: 0
    maxS: 0
`;
}

export async function benchScaling({ quick = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'greenrt-bench-scaling-'));
  try {
    mkdirSync(join(work, 'models'));
    copyFileSync(tinyModel, join(work, 'models', 'tiny-conv.onnx'));
    const counts = quick ? [1, 10] : [1, 10, 100];
    const runs = {};
    for (const n of counts) {
      const file = join(work, `scaling-${n}.yaml`);
      writeFileSync(file, experiment(n));
      const r = await timedRun(file);
      runs[n] = {
        wallS: r.wallS,
        trialsOk: r.trialsOk,
        perTrialGapMedianS: r.perTrialS.gapMedian,
        runnerWallMedianS: r.perTrialS.runnerWallMedian,
        startupS: r.breakdownS.startup,
        finishS: r.breakdownS.finish,
        mandatedS: r.mandatedS,
      };
      log(`scaling: ${n} trial(s) in ${r.wallS} s`);
    }
    const hi = counts.at(-1);
    const marginalMsPerTrial = ((runs[hi].wallS - runs[1].wallS) / (hi - 1)) * 1000;
    const marginal10 = ((runs[10].wallS - runs[1].wallS) / 9) * 1000;
    return {
      runWallS: Object.fromEntries(counts.map((n) => [n, runs[n].wallS])),
      marginalMsPerTrial: round(marginalMsPerTrial, 1),
      marginalMsPerTrial1to10: round(marginal10, 1),
      fixedS: round(runs[1].wallS - marginalMsPerTrial / 1000, 2),
      runs,
      setup: 'embedded runtime, tiny-conv.onnx (8x8 conv net), batch 1, 2 warm-up + 10 measured inferences, power none',
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
