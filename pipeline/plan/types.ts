import type { AdaptiveRepetitions, FrameworkName, ModelName, PrebuiltModel, TrialConfig } from '../contracts/index.js';
import type { CatalogueImageRuntimeName } from '../catalogue/index.js';

/**
 * A runtime image: one per runtime and flavour. The flavour follows the provider: 'cpu', 'cuda', and
 * 'tensorrt' (onnxruntime's variant with TensorRT from NVIDIA's index, see images/onnxruntime/Dockerfile).
 */
export interface ImageRef {
  runtime: CatalogueImageRuntimeName;
  flavour: 'cpu' | 'cuda' | 'tensorrt';
}

/** The model artifact a trial runs: the framework's own format, or its ONNX export. */
export interface ModelRef {
  model: ModelName;
  source: FrameworkName;
  format: 'native' | 'onnx';
}

export interface PlannedTrial {
  /** Deterministic, readable id, e.g. `onnxruntime.pytorch.resnet50.cuda.b64.r03`. */
  id: string;
  /** Position in the run order (0-based). */
  orderIndex: number;
  config: TrialConfig;
  /** Image the trial runs in; null for the in-process 'embedded' runtime. */
  image: ImageRef | null;
  model: ModelRef;
}

export interface NeededImage extends ImageRef {
  /** 'trials': trials run in it; 'models': models are prepared (exported/converted) in it. */
  usedFor: ('trials' | 'models')[];
}

export interface NeededModel extends ModelRef {
  /** The experiment's prebuilt ONNX file covering this model, if any (then nothing is converted). */
  prebuilt: PrebuiltModel | null;
  /** Image that prepares the model (the source framework's); null when prebuilt. */
  preparedIn: ImageRef | null;
}

export interface RunPlan {
  experimentName: string;
  /** Prefix for run ids (the CLI appends a timestamp); defaults to the experiment name. */
  runIdPrefix: string;
  /** Seed of the trial order (unitless, 0..2^32-1). */
  seed: number;
  order: 'shuffled' | 'sequential';
  trialCount: number;
  /** Trials in run order: `trials[i].orderIndex === i`. */
  trials: PlannedTrial[];
  images: NeededImage[];
  models: NeededModel[];
  /** Settings the duration estimate needs, copied from the experiment (seconds). */
  timing: { baselineS: number; cooldownMinS: number; trialTimeoutS: number };
  /**
   * Adaptive repetitions (null: a fixed number). `trials` then holds the rounds decided so far: round 1 is every
   * configuration's first `min` trials; later rounds are appended by `decideNextRound`.
   */
  adaptive: AdaptiveRepetitions | null;
  /** The rounds in `trials`: round number, its shuffle seed, and its slice of `trials`. A fixed plan is one round. */
  rounds: { round: number; seed: number; firstIndex: number; count: number }[];
  /** Short hash of seed, order, the adaptive rule and every round-1 trial's id and config: identifies the plan for resume. */
  planHash: string;
}
