import { withoutSharedCpuEnergy } from './shared-host-energy.js';
import type { Recorded } from '../power/index.js';
import { join } from 'node:path';
import type { ExperimentSpec, TrialResult, TrialSpec } from '../contracts/index.js';
import type { Clock } from '../core/index.js';
import { trialMode, type RunPlan, type PlannedTrial } from '../plan/index.js';
import { trialSpecRuntime } from '../catalogue/index.js';
import { ensureFolder, type RunStore } from '../results/index.js';
import type { FrameworkExecutor, MeasurementPort } from './ports.js';
import { modelKey, imageKey, type Setup } from './prepare-inputs.js';
import { buildTrialResult, type ExecutionRecord, type RanImage } from './trial-result.js';
import type { ImageArchVerdict } from './arch-preflight.js';
import type { TrialCaches, TrialRunner } from '../runners/index.js';

export interface TrialContext {
  plan: RunPlan;
  spec: ExperimentSpec;
  store: RunStore;
  measurement: MeasurementPort;
  framework: FrameworkExecutor | null;
  /** The embedded runtime's TrialRunner (onnxruntime-node in this process). */
  embedded: TrialRunner;
  setup: Setup;
  signal: AbortSignal;
  clock: Clock;
  /** Other shards share this host (--shared-host): CPU energy is left out of the trial's energy. */
  sharedHost?: boolean;
}

/** One trial: cool-down gate, recording around the runner, energy for the measure window, result. */
export async function runOneTrial(trial: PlannedTrial, ctx: TrialContext): Promise<TrialResult> {
  const startedAt = new Date(ctx.clock.nowMs()).toISOString();
  const model = ctx.setup.models.get(modelKey(trial.model));
  const blocked = ctx.setup.modelErrors.get(modelKey(trial.model)) ?? (trial.image ? ctx.setup.imageErrors.get(imageKey(trial.image)) : undefined);
  const trialSpec: Omit<TrialSpec, 'modelDir' | 'outputPath'> = {
    schemaVersion: 1,
    trialId: trial.id,
    runtime: trialSpecRuntime(trial.config.runtime),
    source: trial.config.source,
    model: trial.config.model,
    provider: trial.config.provider,
    // The mode always travels to the harness (the default's too): the adapter never has to guess it.
    ...(trialMode(trial.config) === null ? {} : { mode: trialMode(trial.config) as NonNullable<TrialSpec['mode']> }),
    batchSize: trial.config.batchSize,
    warmupIterations: trial.config.warmupIterations,
    measuredIterations: trial.config.measuredIterations,
    seed: ctx.plan.seed,
    threads: trial.config.threads,
    sequenceLength: trial.config.sequenceLength,
  };
  const runnerKind: TrialResult['runner']['kind'] = trial.image ? (ctx.framework?.kind ?? 'docker') : 'embedded';
  const arch = trial.image ? ctx.setup.arch.get(imageKey(trial.image)) : undefined;
  // A trial that never runs (no container, no cool-down, no energy window): refused up front, or blocked.
  const notRun = (failure: string | null, unsupportedReason?: string) => {
    const now = process.hrtime.bigint();
    return buildTrialResult({
      runId: ctx.store.runId,
      trialId: trial.id,
      orderIndex: trial.orderIndex,
      config: trial.config,
      runner: { kind: runnerKind },
      execution: { output: null, failure, startedNs: now, endedNs: now, wallMs: 0 },
      model: null,
      energy: ctx.measurement.energyForWindow(null, null, trial.config.measuredIterations, { runId: ctx.store.runId, trialId: trial.id }).energy,
      invalidReasons: [],
      ...(unsupportedReason ? { unsupportedReason } : {}),
      startedAt,
      finishedAt: startedAt,
    });
  };
  if (arch?.support === 'unsupported') return notRun(null, `unsupported on this GPU: ${arch.reason}`);
  if (blocked || !model) return notRun(blocked ?? 'model not available');

  const cooldown = await ctx.measurement.waitForCooldown(ctx.signal);
  const recording = await ctx.measurement.startRecording(trial.id);
  let execution: ExecutionRecord & RanImage;
  let recorded: Recorded;
  try {
    const workDir = ctx.store.path('work', trial.id);
    await ensureFolder(workDir);
    if (trial.image) {
      if (!ctx.framework) throw new Error('no framework executor');
      execution = await ctx.framework.runTrial(trial, trialSpec, model, workDir, () => undefined, ctx.signal, { caches: trialCaches(trial, ctx, arch) });
    } else {
      if (!model.onnxFile) throw new Error(`no ONNX file for ${modelKey(trial.model)}`);
      // The same request as the framework runners get: trialTimeoutS bounds it, as it bounds a container.
      execution = await ctx.embedded.runTrial(
        { spec: trialSpec, modelDir: model.dir, modelFile: model.onnxFile, workDir, timeoutMs: ctx.plan.timing.trialTimeoutS * 1000, memoryLimitMiB: null },
        ctx.signal,
      );
    }
  } finally {
    // Recording stops even when the trial throws, so no sampler outlives its trial.
    recorded = await recording.stop();
  }
  ctx.signal.throwIfAborted();
  const window = execution.output?.status === 'ok' ? (execution.output.phases.measure ?? null) : null;
  if (ctx.sharedHost) recorded = withoutSharedCpuEnergy(recorded);
  const measured = ctx.measurement.energyForWindow(recorded, window, trial.config.measuredIterations, { runId: ctx.store.runId, trialId: trial.id });
  const tracePath = measured.trace ? await ctx.store.writeTrace(measured.trace) : null;
  const invalidReasons = [...measured.invalidReasons];
  if (cooldown && !cooldown.met) invalidReasons.push(`cool-down gate not met after ${(cooldown.waitedMs / 1000).toFixed(0)} s (${cooldown.detail ?? ''})`);
  if (trial.model.format === 'onnx' && model.conversion && !model.conversion.withinTolerance) {
    invalidReasons.push(
      `ONNX conversion outside tolerance: max |diff| ${model.conversion.maxAbsDiff.toExponential(2)} > ${model.conversion.tolerance.toExponential(2)} or argmax agreement ${model.conversion.argmaxAgreement} < 1`,
    );
  }
  return buildTrialResult({
    runId: ctx.store.runId,
    trialId: trial.id,
    orderIndex: trial.orderIndex,
    config: trial.config,
    runner: {
      kind: runnerKind,
      image: execution.image ?? null,
      imageId: execution.imageId ?? null,
      ...(execution.configDigest !== undefined ? { configDigest: execution.configDigest } : {}),
    },
    execution,
    model: {
      file: trial.model.format === 'onnx' ? (model.onnxFile ?? model.dir) : join(model.dir, model.prepared?.nativeDir ?? ''),
      sha256: model.sha256,
      format: trial.model.format,
      ...(trial.model.format === 'onnx' && model.conversion ? { conversion: model.conversion } : {}),
    },
    energy: measured.energy,
    gpuState: measured.gpuState,
    ...(measured.gpuUtilization ? { gpuUtilization: measured.gpuUtilization } : {}),
    cooldown,
    tracePath,
    invalidReasons,
    warnings: [
      ...(model.conversionNote && trial.model.format === 'onnx' ? [`conversion not checked: ${model.conversionNote}`] : []),
      ...(arch?.support === 'ptx-jit'
        ? [`PTX JIT: ${arch.reason}; compiled once into the run's compute cache (${arch.computeCacheDir}), outside the measured window`]
        : []),
      ...(measured.warnings ?? []),
    ],
    startedAt,
    finishedAt: new Date(ctx.clock.nowMs()).toISOString(),
  });
}

/** Run-scoped compile caches: the CUDA compute cache for PTX-JIT images, TensorRT engines when asked for. */
function trialCaches(trial: PlannedTrial, ctx: TrialContext, arch: ImageArchVerdict | undefined): TrialCaches | undefined {
  const caches: TrialCaches = {};
  if (arch?.support === 'ptx-jit' && arch.computeCacheDir) caches.cudaComputeDir = ctx.store.path(arch.computeCacheDir);
  if (trial.config.provider === 'tensorrt' && ctx.spec.gpu.tensorrtEngineCache) caches.tensorrtEngineDir = ctx.store.path('cache', 'tensorrt-engines');
  return Object.keys(caches).length ? caches : undefined;
}
