// Images and prepared models for the Docker benchmarks, through the pipeline's own code
// (ensureImage: content-hash tags; prepareModel: the artifacts/models cache), so a benchmark
// measures exactly what `greenrt run` would run.
import { join } from 'node:path';
import { Contracts } from '../dist/contracts/index.js';
import { connectDocker } from '../dist/docker/index.js';
import { ensureImage } from '../dist/images/index.js';
import { prepareModel } from '../dist/models/index.js';
import { DockerRunner } from '../dist/runners/index.js';
import { log, repoRoot } from './lib.mjs';

let enginePromise = null;
export function engine() {
  enginePromise ??= connectDocker();
  return enginePromise;
}

/** Same CA bundle rule as the CLI (GREENRT_CA_BUNDLE), so the tags match `greenrt images build`. */
export function caBundle() {
  return process.env.GREENRT_CA_BUNDLE || undefined;
}

const images = new Map();
/** The CPU image of `runtime` for the current files (built when missing; that takes minutes). */
export async function cpuImage(runtime) {
  if (!images.has(runtime)) {
    const eng = await engine();
    const request = { runtime, flavour: 'cpu', describe: false, ...(caBundle() ? { caBundlePath: caBundle() } : {}) };
    images.set(
      runtime,
      ensureImage(eng, request, (line) => {
        if (line.trim()) log(`${runtime}: ${line.trim().slice(0, 100)}`);
      }),
    );
  }
  return images.get(runtime);
}

/** A model prepared in the pytorch image (native weights + model.onnx), from the shared cache. */
export async function preparedPytorchModel(model, { seed = 0 } = {}) {
  const eng = await engine();
  const image = await cpuImage('pytorch');
  const contracts = new Contracts();
  const runner = new DockerRunner(eng, { runId: 'bench', contracts });
  return prepareModel(
    model,
    'pytorch',
    { cacheDir: join(repoRoot, 'artifacts', 'models'), weights: 'random', seed, sequenceLength: 128, imageKey: image.tag },
    async (spec, hostOutputDir) => {
      const { outputDir: _ignored, ...rest } = spec;
      log(`preparing ${model} in ${image.tag}`);
      const execution = await runner.prepareModel({
        spec: rest,
        outputDir: hostOutputDir,
        workDir: `${hostOutputDir}.work`,
        image,
        timeoutMs: 1_800_000,
        memoryLimitMiB: null,
      });
      if (execution.failure) throw new Error(`${execution.failure}\n${execution.logTail}`);
    },
    contracts,
  );
}
