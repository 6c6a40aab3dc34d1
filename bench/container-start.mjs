// Container start to first inference, per runtime: a tiny Docker experiment (MobileNetV2, batch 1,
// few iterations) through `greenrt run`; figures from each trial's timing.startToFirstInferenceMs
// (container started -> first warm-up inference begins; `docker create` comes before it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectImageOrNull, imageContext } from '../dist/images/index.js';
import { imageRuntimeNames, isOnnxRuntime } from '../dist/catalogue/index.js';
import { caBundle, cpuImage, engine } from './docker-setup.mjs';
import { timedRun } from './run-analysis.mjs';
import { log, median, repoRoot, round } from './lib.mjs';

const candidates = imageRuntimeNames;

/** Runtimes whose image for the current files exists (pytorch is built if needed: it prepares models). */
async function availableRuntimes() {
  const eng = await engine();
  const available = [];
  const skipped = {};
  for (const runtime of candidates) {
    if (!existsSync(join(repoRoot, 'images', runtime, 'Dockerfile'))) {
      skipped[runtime] = `images/${runtime}/Dockerfile does not exist yet`;
      continue;
    }
    if (runtime === 'pytorch' || runtime === 'onnxruntime') {
      await cpuImage(runtime);
      available.push(runtime);
      continue;
    }
    const { ctx } = imageContext({ runtime, flavour: 'cpu', ...(caBundle() ? { caBundlePath: caBundle() } : {}) });
    if (await inspectImageOrNull(eng, ctx.tag)) available.push(runtime);
    else skipped[runtime] = `${ctx.tag} is not built (greenrt images build ${runtime}); not built here to keep make bench short`;
  }
  return { available, skipped };
}

export async function benchStartup({ quick = false } = {}) {
  const { available, skipped } = await availableRuntimes();
  // ONNX runtimes (onnxruntime, openvino, ...) run the PyTorch export; frameworks their own model.
  const runtimes = available.map((r) =>
    isOnnxRuntime(r) ? `  - name: ${r}\n    providers: [cpu]\n    sources: [pytorch]` : `  - name: ${r}\n    providers: [cpu]`,
  );
  const yaml = `schemaVersion: 1
name: bench-startup
seed: 0
order: shuffled
weights: random
runner: docker
runtimes:
${runtimes.join('\n')}
models: [mobilenet_v2]
batchSizes: [1]
repetitions: ${quick ? 1 : 3}
warmupIterations: 2
measuredIterations: 5
threads: 2
power:
  sources: [none]
  baselineS: 0
  cooldown:
    minS: 0
    maxS: 0
`;
  const work = mkdtempSync(join(tmpdir(), 'greenrt-bench-startup-'));
  try {
    const file = join(work, 'startup.yaml');
    writeFileSync(file, yaml);
    log(`startup: ${available.join(', ')} (skipped: ${Object.keys(skipped).join(', ') || 'none'})`);
    const run = await timedRun(file, { shareModelCache: true });
    const perRuntime = {};
    for (const runtime of available) {
      const mine = run.startToFirstInferenceMs.filter((t) => t.runtime === runtime && t.ms !== null);
      perRuntime[runtime] = {
        medianMs: round(median(mine.map((t) => t.ms)), 1),
        trialsMs: mine.map((t) => round(t.ms, 1)),
        medianBeforeLoadMs: round(median(mine.map((t) => t.beforeLoadMs)), 1),
        medianLoadMs: round(median(mine.map((t) => t.loadMs)), 1),
      };
    }
    return {
      startToFirstInferenceMs: Object.fromEntries(Object.entries(perRuntime).map(([k, v]) => [k, v.medianMs])),
      perRuntime,
      skipped,
      run: { exitCode: run.exitCode, trials: run.trials, trialsOk: run.trialsOk, wallS: run.wallS, nonOkReasons: run.nonOkReasons, perTrialS: run.perTrialS },
      setup:
        'mobilenet_v2 (random weights), batch 1, 2 warm-up + 5 measured inferences, threads 2, hardened container (no network, read-only root, caps dropped)',
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
