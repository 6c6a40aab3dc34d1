import type { ExperimentSpec, FrameworkName, TrialConfig } from '../contracts/index.js';
import { InputError, shortHash } from '../core/index.js';
import { defaultMode, imageFlavours } from '../catalogue/index.js';
import { seededShuffle } from './prng.js';
import { adaptiveRule, maxRepetitions, minRepetitions } from './adaptive.js';
import { combinationIssues, isOnnxRuntime } from './runtime-rules.js';
import type { ImageRef, ModelRef, NeededImage, NeededModel, PlannedTrial, RunPlan } from './types.js';

export interface PlanOptions {
  /** Prefix for run ids; defaults to the experiment name. */
  runIdPrefix?: string;
}

/** Matches trial-result.schema.json's trialId. */
export const trialIdPattern = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

/**
 * Expands the experiment into its trial matrix and orders it. Pure: no I/O, no clock.
 * Matrix order: runtime × source × model × provider × mode × batch size × repetition, each in the order the
 * experiment lists them (a framework runtime without `modes` runs its default mode only). 'shuffled' first sorts the trials by id, so the order depends only on the set of
 * trials and the seed (not on how the YAML lists them), then applies `seededShuffle(seed)`.
 * Throws InputError on combinations the runtimes cannot run (see `combinationIssues`).
 * Adaptive repetitions: the plan holds round 1 (every configuration's first `min` trials, ordered exactly as a
 * fixed plan of `min` repetitions); `decideNextRound` appends the later rounds.
 */
export function planRun(spec: ExperimentSpec, options: PlanOptions = {}): RunPlan {
  const issues = combinationIssues(spec);
  if (issues.length > 0) {
    throw new InputError(
      `Experiment "${spec.name}" has ${issues.length} invalid combination(s)`,
      issues.map((i) => ({ file: `experiment "${spec.name}"`, ...i })),
    );
  }
  const { seed, order } = spec;
  const matrix = expandMatrix(spec);
  const ordered =
    order === 'sequential'
      ? matrix
      : seededShuffle(
          [...matrix].sort((a, b) => compare(a.id, b.id)),
          seed,
        );
  const trials = ordered.map((t, orderIndex) => ({ ...t, orderIndex }));
  const { images, models } = neededArtifacts(spec, trials);
  return {
    experimentName: spec.name,
    runIdPrefix: options.runIdPrefix ?? spec.name,
    seed,
    order,
    trialCount: trials.length,
    trials,
    adaptive: adaptiveRule(spec),
    rounds: [{ round: 1, seed, firstIndex: 0, count: trials.length }],
    images,
    models,
    timing: {
      baselineS: spec.power.baselineS,
      cooldownMinS: spec.power.cooldown.minS,
      trialTimeoutS: spec.trialTimeoutS,
    },
    planHash: shortHash({ seed, order, trials: trials.map((t) => [t.id, t.config]), ...(adaptiveRule(spec) ? { adaptive: adaptiveRule(spec) } : {}) }),
  };
}

/**
 * `runtime[.source].model.provider[.mode].b<batch>.r<rep>`; the source is left out when it is the runtime itself,
 * the mode when it is the runtime's default (config.mode is then absent), so ids and run folders from before
 * modes existed stay valid.
 * The repetition is zero-padded to the width of `repetitions`: the fixed count, or an adaptive plan's `max`.
 */
export function trialId(config: TrialConfig, repetitions: number): string {
  const source = config.source === config.runtime ? '' : `.${config.source}`;
  const mode = config.mode === undefined ? '' : `.${config.mode}`;
  const rep = String(config.repetition).padStart(String(repetitions).length, '0');
  return `${config.runtime}${source}.${config.model}.${config.provider}${mode}.b${config.batchSize}.r${rep}`;
}

/** The mode a trial runs in: its config's, else its runtime's default (null for a runtime without modes). */
export function trialMode(config: Pick<TrialConfig, 'runtime' | 'mode'>): string | null {
  return config.mode ?? defaultMode(config.runtime);
}

function expandMatrix(spec: ExperimentSpec): Omit<PlannedTrial, 'orderIndex'>[] {
  const trials: Omit<PlannedTrial, 'orderIndex'>[] = [];
  for (const runtime of spec.runtimes) {
    const onnx = isOnnxRuntime(runtime.name);
    const sources: FrameworkName[] = onnx ? (runtime.sources ?? []) : [runtime.name as FrameworkName];
    const fallback = defaultMode(runtime.name);
    const modes: (string | null)[] = runtime.modes ?? [fallback];
    for (const source of sources)
      for (const model of spec.models)
        for (const provider of runtime.providers)
          for (const mode of modes)
            for (const batchSize of spec.batchSizes)
              for (let repetition = 1; repetition <= minRepetitions(spec.repetitions); repetition++) {
                const config: TrialConfig = {
                  runtime: runtime.name,
                  source,
                  model,
                  provider,
                  // Only a non-default mode is written: the default's configs (so ids and planHash) stay as before modes.
                  ...(mode !== null && mode !== fallback ? { mode: mode as NonNullable<TrialConfig['mode']> } : {}),
                  batchSize,
                  repetition,
                  warmupIterations: spec.warmupIterations,
                  measuredIterations: spec.measuredIterations,
                  threads: spec.threads,
                  sequenceLength: spec.sequenceLength,
                };
                const flavour = provider; // cpu, cuda, tensorrt: one image flavour per provider
                trials.push({
                  id: trialId(config, maxRepetitions(spec.repetitions)),
                  config,
                  image: imageFlavours(runtime.name).length === 0 ? null : { runtime: runtime.name as ImageRef['runtime'], flavour },
                  model: { model, source, format: onnx ? 'onnx' : 'native' },
                });
              }
  }
  return trials;
}

/**
 * Images and models the trials need. A model is prepared in its source framework's cpu image, even
 * when the plan has only cuda trials for it (then the cpu image is listed with usedFor ['models']):
 * preparation never needs a GPU.
 */
function neededArtifacts(spec: ExperimentSpec, trials: PlannedTrial[]): { images: NeededImage[]; models: NeededModel[] } {
  const images = new Map<string, NeededImage>();
  const addImage = (ref: ImageRef, use: 'trials' | 'models') => {
    const key = `${ref.runtime}:${ref.flavour}`;
    const image = images.get(key) ?? { ...ref, usedFor: [] };
    if (!image.usedFor.includes(use)) image.usedFor.push(use);
    images.set(key, image);
  };
  const byMatrix = [...trials].sort((a, b) => compare(a.id, b.id));
  for (const t of byMatrix) if (t.image) addImage(t.image, 'trials');

  const models = new Map<string, NeededModel>();
  for (const t of byMatrix) {
    const key = modelKey(t.model);
    if (models.has(key)) continue;
    const prebuilt = t.model.format === 'onnx' ? (spec.prebuiltModels.find((p) => p.model === t.model.model && p.source === t.model.source) ?? null) : null;
    // Always the cpu flavour: export and reference outputs run on the CPU, and a cuda image may not
    // even import its framework without a GPU (libmxnet.so links libcuda.so.1).
    const preparedIn: ImageRef | null = prebuilt ? null : { runtime: t.model.source, flavour: 'cpu' };
    models.set(key, { ...t.model, prebuilt, preparedIn });
  }
  for (const m of models.values()) if (m.preparedIn) addImage(m.preparedIn, 'models');
  return {
    images: [...images.values()].sort((a, b) => compare(`${a.runtime}:${a.flavour}`, `${b.runtime}:${b.flavour}`)),
    models: [...models.values()].sort((a, b) => compare(modelKey(a), modelKey(b))),
  };
}

function modelKey(m: ModelRef): string {
  return `${m.model}:${m.source}:${m.format}`;
}

/** Code-unit order: locale-independent, so the same everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
