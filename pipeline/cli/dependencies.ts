import { Contracts } from '../contracts/index.js';
import { systemClock } from '../core/index.js';
import { PowerMeasurement } from '../power/index.js';
import { createFrameworkExecutor, type RunDependencies } from '../orchestrate/index.js';
import { caBundleFromEnv } from './images-command.js';
import type { Progress } from './progress.js';

/** The real ports for a run: system clock, host power sources, Docker or local processes. */
export function createRunDependencies(progress: Progress, artifactsDir: string): RunDependencies {
  const contracts = new Contracts();
  const caBundlePath = caBundleFromEnv();
  return {
    contracts,
    clock: systemClock,
    progress,
    createMeasurement: (spec) => PowerMeasurement.open(spec.power ?? {}, { clock: systemClock }),
    createFrameworkExecutor: (spec, plan) =>
      createFrameworkExecutor(spec, plan, { contracts, progress, artifactsDir, ...(caBundlePath ? { caBundlePath } : {}) }),
  };
}
