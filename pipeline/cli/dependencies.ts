import { Contracts } from '../contracts/index.js';
import { systemClock } from '../core/index.js';
import { listGpus, PowerMeasurement } from '../power/index.js';
import { createFrameworkExecutor, preflightImages, type RunDependencies } from '../orchestrate/index.js';
import { caBundleFromEnv } from './images-command.js';
import type { Progress } from './progress.js';

/** The real ports for a run: system clock, host power sources, Docker or local processes. */
export function createRunDependencies(progress: Progress, artifactsDir: string, imagesDir?: string): RunDependencies {
  const contracts = new Contracts();
  const caBundlePath = caBundleFromEnv();
  return {
    contracts,
    clock: systemClock,
    progress,
    listGpus: () => listGpus(),
    ...(process.env.CUDA_VISIBLE_DEVICES !== undefined ? { cudaVisibleDevices: process.env.CUDA_VISIBLE_DEVICES } : {}),
    preflightImages: (spec, plan) => preflightImages(spec, plan, caBundlePath ? { caBundlePath } : {}),
    // Measure the selected GPUs; the others are context (state and processes, never energy).
    createMeasurement: (spec, gpus) =>
      PowerMeasurement.open(spec.power, {
        clock: systemClock,
        ...(gpus?.measured.length ? { gpuIndices: gpus.measured.map((g) => g.index), contextGpuIndices: gpus.context.map((g) => g.index) } : {}),
      }),
    createFrameworkExecutor: (spec, plan, gpus) =>
      createFrameworkExecutor(spec, plan, {
        contracts,
        progress,
        artifactsDir,
        gpus: gpus ?? null,
        ...(caBundlePath ? { caBundlePath } : {}),
        ...(imagesDir ? { imagesDir } : {}),
      }),
  };
}
