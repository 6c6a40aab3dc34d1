// The demo run through the orchestrator (runExperiment, the CLI's own dependencies) with the RAPL
// source reading a fixture powercap tree, so the idle baseline, the cool-down gate and the
// sampler run as on a RAPL host. `node bench/demo-rapl-child.mjs <experiment.yaml> <artifactsDir>`
import { createRunDependencies } from '../dist/cli/dependencies.js';
import { createProgress } from '../dist/cli/progress.js';
import { systemClock } from '../dist/core/index.js';
import { runExperiment } from '../dist/orchestrate/index.js';
import { PowerMeasurement } from '../dist/power/index.js';
import { createPowercapTree } from './fixture-powercap.mjs';

const [experimentFile, artifactsDir] = process.argv.slice(2);
const tree = createPowercapTree();
try {
  const deps = createRunDependencies(createProgress(), artifactsDir);
  deps.createMeasurement = (spec) => PowerMeasurement.open(spec.power ?? {}, { clock: systemClock, powercapRoot: tree.root, hwmonRoot: null });
  const outcome = await runExperiment(deps, { experimentFile, artifactsDir, confirmed: true, signal: new AbortController().signal });
  process.exitCode = outcome.exitCode;
} finally {
  tree.cleanup();
}
