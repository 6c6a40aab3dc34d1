/* Generated from schemas/*.schema.json by scripts/gen-types.mjs. Do not edit. */

// catalogue.schema.json
/**
 * catalogue/catalogue.json: the study's runtimes, providers and models, the one table the schema enums, plan rules, image list, report order and labels and the Python harness constants come from (scripts/gen-catalogue.mjs). Order is reading order in reports.
 */
export interface Catalogue {
  /**
   * Path of this schema, for editors.
   */
  $schema?: string;
  /**
   * Format version.
   */
  schemaVersion: 1;
  /**
   * Execution providers (devices); an image flavour is named after the provider it serves.
   *
   * @minItems 1
   */
  providers: {
    /**
     * Identifier used in experiments and results.
     */
    name: string;
    /**
     * Display name.
     */
    label: string;
  }[];
  /**
   * Runtimes, in report order.
   *
   * @minItems 1
   */
  runtimes: {
    /**
     * Identifier; a runtime with image flavours has the folder images/<name>/.
     */
    name: string;
    /**
     * Display name.
     */
    label: string;
    /**
     * framework: defines, prepares and runs its own models (and exports them to ONNX); onnx: runs the ONNX exports of the sources an experiment names.
     */
    kind: 'framework' | 'onnx';
    /**
     * Providers it can run on (names from providers).
     *
     * @minItems 1
     */
    providers: string[];
    /**
     * Image flavours images/<name>/Dockerfile builds (provider names); empty: runs in-process, no image (embedded).
     */
    imageFlavours: string[];
    /**
     * Plot colour (Okabe-Ito palette).
     */
    colour: string;
    /**
     * Other names users type, for 'did you mean' hints.
     */
    aliases: string[];
    /**
     * Execution modes (how the framework is invoked), a plan dimension like provider and batch size. Exactly one is the default: what the runtime did before modes existed, so an experiment that names no mode keeps its meaning (and its trial ids). Absent: the runtime has no modes (ONNX runtimes).
     *
     * @minItems 1
     */
    modes?: {
      /**
       * Identifier used in experiments, trial ids and results (unique across runtimes).
       */
      name: string;
      /**
       * Display name.
       */
      label: string;
      /**
       * The runtime's default mode (exactly one per runtime).
       */
      default?: boolean;
      /**
       * What the adapter calls for one inference in this mode.
       */
      description: string;
      /**
       * Image flavour -> why this mode cannot run in that image; the plan refuses the combination with this reason.
       */
      refused?: {
        [k: string]: string;
      };
    }[];
  }[];
  /**
   * Models, in report order. Each framework runtime's preparer builds every model.
   *
   * @minItems 1
   */
  models: {
    /**
     * Identifier.
     */
    name: string;
    /**
     * Display name.
     */
    label: string;
    /**
     * Input kind (see inputs).
     */
    input: 'image' | 'text';
    /**
     * Other names users type, for 'did you mean' hints.
     */
    aliases: string[];
  }[];
  /**
   * What each input kind feeds a graph (greenrt_harness.inputs).
   */
  inputs: {
    image: {
      /**
       * Graph input name.
       *
       * @minItems 1
       * @maxItems 1
       */
      names: string[];
      /**
       * Height and width, in pixels.
       */
      size: number;
      /**
       * Colour channels.
       */
      channels: number;
    };
    text: {
      /**
       * Graph input names: token ids, attention mask, token type ids.
       *
       * @minItems 1
       */
      names: string[];
      /**
       * Token ids are drawn uniformly from [0, vocabSize).
       */
      vocabSize: number;
    };
  };
}

// experiment.schema.json
/**
 * A runtime: a framework's own runtime, ONNX Runtime in Python, or 'embedded' (onnxruntime-node inside the orchestrator).
 */
export type RuntimeName = 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino' | 'embedded';
/**
 * Execution provider (device): CPU, CUDA, or TensorRT (ONNX Runtime only).
 */
export type ProviderName = 'cpu' | 'cuda' | 'tensorrt';
/**
 * A framework that defines models and exports them to ONNX.
 */
export type FrameworkName = 'pytorch' | 'tensorflow' | 'mxnet';
/**
 * An execution mode of a framework runtime (catalogue/catalogue.json lists each runtime's modes).
 */
export type ModeName =
  'eager' | 'torchscript' | 'compile' | 'keras-predict' | 'keras-call' | 'function' | 'imperative' | 'hybridized';
/**
 * A model of the study.
 */
export type ModelName = 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';

/**
 * An energy study: which runtimes, models, batch sizes and execution providers to measure, how often, and how to measure power. Written as YAML in experiments/*.yaml.
 */
export interface Experiment {
  /**
   * Version of this experiment format (unitless).
   */
  schemaVersion: 1;
  /**
   * Short name used in run ids and reports (lowercase letters, digits, '-' and '_').
   */
  name: string;
  /**
   * Free text: what the experiment is for, and the reasons behind its choices.
   */
  description?: string;
  /**
   * Seed (unitless) for the trial order, the random weights and the inputs.
   */
  seed?: number;
  /**
   * Trial order: 'shuffled' (seeded permutation, recorded in the manifest) or 'sequential' (matrix order).
   */
  order?: 'shuffled' | 'sequential';
  /**
   * Model weights: downloaded pretrained weights, or seeded random weights (same compute, no download).
   */
  weights?: 'pretrained' | 'random';
  /**
   * How framework trials run: one Docker container per trial, or the same entrypoint as a local process. The 'embedded' runtime always runs in-process.
   */
  runner?: 'docker' | 'process';
  /**
   * Runtimes to measure, each with its execution providers.
   *
   * @minItems 1
   * @maxItems 16
   */
  runtimes: RuntimeEntry[];
  /**
   * Models to measure.
   *
   * @minItems 1
   * @maxItems 16
   */
  models: ModelName[];
  /**
   * Batch sizes (samples per inference).
   *
   * @minItems 1
   * @maxItems 16
   */
  batchSizes: number[];
  /**
   * Trials per configuration (count). Each trial starts the runtime afresh.
   */
  repetitions: number;
  /**
   * Inferences run before the measured window in each trial (count).
   */
  warmupIterations: number;
  /**
   * Inferences timed inside the measured window in each trial (count).
   */
  measuredIterations: number;
  /**
   * Intra-op CPU threads given to every runtime (count); null keeps each runtime's default.
   */
  threads?: number | null;
  /**
   * Tokens per sample for text models (count).
   */
  sequenceLength?: number;
  /**
   * Wall-clock limit of one trial, in seconds; a trial past it is stopped and recorded as failed.
   */
  trialTimeoutS?: number;
  /**
   * Memory limit of a trial container, in MiB; null for none.
   */
  memoryLimitMiB?: number | null;
  /**
   * ONNX files supplied with the experiment instead of converting them; each is checked against its SHA-256 before use.
   *
   * @maxItems 64
   */
  prebuiltModels?: PrebuiltModel[];
  power?: Power;
  gpu?: Gpu;
}
export interface RuntimeEntry {
  name: RuntimeName;
  /**
   * Execution providers to measure this runtime with.
   *
   * @minItems 1
   */
  providers: ProviderName[];
  /**
   * For ONNX runtimes (onnxruntime, embedded): the frameworks whose ONNX exports are run. Not allowed on framework runtimes.
   *
   * @minItems 1
   */
  sources?: FrameworkName[];
  /**
   * For framework runtimes: the execution modes to measure (how the framework is invoked: e.g. tensorflow keras-predict, keras-call, function). Default: the runtime's default mode only (its behaviour before modes existed). Not allowed on ONNX runtimes.
   *
   * @minItems 1
   */
  modes?: ModeName[];
}
export interface PrebuiltModel {
  model: ModelName;
  source: FrameworkName;
  /**
   * Path of the .onnx file, relative to the experiment file.
   */
  path: string;
  /**
   * Expected SHA-256 of the file (hex).
   */
  sha256: string;
}
/**
 * How energy is measured on the host.
 */
export interface Power {
  /**
   * Power sources to use, in order of preference for the GPU ('nvml' then 'nvidia-smi'). A listed source that is unavailable is reported, with why, in the manifest and in each trial.
   */
  sources?: ('nvml' | 'nvidia-smi' | 'rapl' | 'none')[];
  /**
   * If true, the run stops before the first trial when none of the listed sources works (exit code 3).
   */
  required?: boolean;
  /**
   * Power sampling rate requested, in Hz.
   */
  sampleHz?: number;
  /**
   * Idle baseline measured before the first trial, in seconds; 0 skips it (net energy is then unavailable).
   */
  baselineS?: number;
  /**
   * Gate before each trial: wait until power is back near the idle baseline.
   */
  cooldown?: {
    /**
     * Rest before every trial, in seconds.
     */
    minS?: number;
    /**
     * Longest wait for the gate, in seconds; the trial is marked invalid if it is not met.
     */
    maxS?: number;
    /**
     * Gate met when power is within baseline x (1 + tolerance) (ratio).
     */
    powerTolerance?: number;
    /**
     * Gate met when GPU temperature is within this many degrees Celsius of the baseline.
     */
    temperatureToleranceC?: number;
  };
}
/**
 * Which GPU(s) cuda and tensorrt trials run on and are measured on. Other GPUs of the host are recorded as context (state, processes) and never counted in a trial's energy.
 */
export interface Gpu {
  /**
   * GPUs by NVML/PCI-bus index (0, 1, ...) or UUID ('GPU-...'); default the first GPU. Containers get only these devices; the process runner sets CUDA_DEVICE_ORDER=PCI_BUS_ID and CUDA_VISIBLE_DEVICES.
   *
   * @minItems 1
   * @maxItems 16
   */
  devices?: (number | string)[];
  /**
   * Keep TensorRT engines in a run-scoped cache folder, so only the first tensorrt trial of each configuration builds its engine (the build happens in warm-up either way and is timed separately).
   */
  tensorrtEngineCache?: boolean;
}

// harness-description.schema.json
/**
 * What `python3 -m greenrt_harness describe` prints inside a runtime image (images/common/greenrt_harness/describe.py); recorded in each run manifest's image description.
 */
export interface HarnessDescription {
  /**
   * Runtime the image's adapter drives (a catalogue runtime name, e.g. 'openvino').
   */
  framework: string;
  /**
   * Its version as the runtime reports it.
   */
  frameworkVersion: string;
  /**
   * Python version in the image (platform.python_version()).
   */
  python: string;
  /**
   * Installed versions of the packages that matter for a measurement, by distribution name.
   */
  packages: {
    [k: string]: string;
  };
  /**
   * Execution providers or devices the runtime reports as available, in its own names (e.g. 'CPUExecutionProvider', 'CPU').
   */
  providersAvailable: string[];
}

// image-lock.schema.json
/**
 * images/images.lock.json: local bases (greenrt/debian:<suite>, debootstrap + docker import) recorded by image id, and registry images a Dockerfile may name (none of greenrt's do) pinned to the digest seen first. Wheels are locked in each runtime's requirements-<flavour>.lock.
 */
export interface ImageLock {
  /**
   * Format version.
   */
  schemaVersion: 1;
  /**
   * Registry images by tag.
   */
  upstream: {
    [k: string]: {
      /**
       * Registry digest; null until a host that has pulled the tag runs `greenrt images lock`.
       */
      digest: string | null;
      /**
       * When the digest was resolved (ISO 8601); null while unresolved.
       */
      resolvedAt: string | null;
      /**
       * Dockerfiles naming this tag, relative to the checkout.
       */
      usedBy: string[];
    };
  };
  /**
   * Local base images by tag.
   */
  localBases: {
    [k: string]: {
      /**
       * Image id on the host that last recorded it (differs between hosts: debootstrap is not bit-reproducible).
       */
      imageId: string | null;
      /**
       * When it was recorded (ISO 8601).
       */
      recordedAt: string | null;
      /**
       * Dockerfiles building on it, relative to the checkout.
       */
      usedBy: string[];
      /**
       * A `docker import`ed image has no registry digest.
       */
      digest: 'not applicable';
    };
  };
}

// power-trace.schema.json
/**
 * Power samples taken on the host around one trial (or the idle baseline), per source and domain. Stored as artifacts/<runId>/traces/<trialId>.json.
 */
export interface PowerTrace {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Run id.
   */
  runId: string;
  /**
   * Trial id, or 'baseline' for the idle baseline.
   */
  trialId: string;
  /**
   * Start of the sampled span, CLOCK_MONOTONIC nanoseconds.
   */
  startNs: string;
  /**
   * End of the sampled span, CLOCK_MONOTONIC nanoseconds.
   */
  endNs: string;
  /**
   * One series per source and domain.
   */
  series: {
    /**
     * Where the samples came from.
     */
    source: 'nvml' | 'nvidia-smi' | 'rapl';
    /**
     * What was measured, e.g. 'gpu:0', 'package-0', 'dram-0'.
     */
    domain: string;
    /**
     * instantPowerW: instantaneous power in W; averagePowerW: power averaged by the sensor over its own window (e.g. nvidia-smi power.draw, 1 s on Ampere and later) in W; cumulativeEnergyJ: an energy counter in J relative to the first sample.
     */
    quantity: 'instantPowerW' | 'averagePowerW' | 'cumulativeEnergyJ';
    /**
     * For averagePowerW, the sensor's averaging window in ms (null if unknown).
     */
    averagingWindowMs?: number | null;
    /**
     * Requested sampling rate, Hz.
     */
    requestedHz: number;
    /**
     * Achieved sampling rate over the span, Hz.
     */
    achievedHz: number;
    /**
     * Sample times in ms relative to startNs.
     */
    tMs: number[];
    /**
     * Sample values, in the unit of quantity.
     */
    values: number[];
  }[];
  /**
   * GPU state samples (NVML or nvidia-smi), at trial start and end.
   */
  gpuState?: GpuState[];
}
/**
 * One reading of a GPU's state.
 */
export interface GpuState {
  /**
   * GPU index.
   */
  index: number;
  /**
   * True for a GPU the trial runs on and is measured on; false for another GPU of the host, recorded as context only (never in the trial's energy).
   */
  measured?: boolean;
  /**
   * When read, CLOCK_MONOTONIC ns.
   */
  atNs: string;
  /**
   * GPU name.
   */
  name?: string | null;
  /**
   * SM clock, MHz.
   */
  smClockMHz?: number | null;
  /**
   * Memory clock, MHz.
   */
  memClockMHz?: number | null;
  /**
   * Enforced power limit, W.
   */
  powerLimitW?: number | null;
  /**
   * GPU temperature, degrees Celsius.
   */
  temperatureC?: number | null;
  /**
   * Power at the time of reading, W.
   */
  powerW?: number | null;
  /**
   * Active clock throttle reasons.
   */
  throttleReasons?: string[] | null;
  /**
   * Persistence mode on.
   */
  persistenceMode?: boolean | null;
  /**
   * Compute processes on the GPU other than the trial's.
   */
  otherProcesses?:
    | {
        /**
         * Process id.
         */
        pid: number;
        /**
         * Process name.
         */
        name?: string | null;
        /**
         * GPU memory used, MiB.
         */
        usedMemoryMiB?: number | null;
      }[]
    | null;
}

// prepare-spec.schema.json
/**
 * What the orchestrator hands a framework image to prepare one model: build it (random or pretrained weights), save framework-native files, export ONNX, and save seeded reference inputs and outputs for the conversion check.
 */
export interface PrepareSpec {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Framework that builds the model.
   */
  framework: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Model name.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Pretrained (downloaded) or seeded random weights.
   */
  weights: 'pretrained' | 'random';
  /**
   * Seed for random weights and reference inputs (unitless).
   */
  seed: number;
  /**
   * Samples in the reference input used by the conversion check.
   */
  referenceBatchSize: number;
  /**
   * Tokens per sample for text models (count).
   */
  sequenceLength: number;
  /**
   * Whether to export model.onnx (with a dynamic batch dimension).
   */
  exportOnnx: boolean;
  /**
   * ONNX opset to export with.
   */
  opset: number;
  /**
   * Folder (empty, writable) where native/, model.onnx, reference/ and prepared.json are written, as seen by the entrypoint.
   */
  outputDir: string;
}

// prepared-model.schema.json
/**
 * Element type.
 */
export type Dtype = 'float32' | 'int64' | 'int32';

/**
 * prepared.json, written by a framework image after preparing a model: its files with hashes, its ONNX export, and reference inputs/outputs for the conversion check. Paths are relative to the prepared folder.
 */
export interface PreparedModel {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Framework that built the model.
   */
  framework: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Model name.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Weights used.
   */
  weights: 'pretrained' | 'random';
  /**
   * Seed used (unitless).
   */
  seed: number;
  /**
   * Folder with the framework-native model files (relative).
   */
  nativeDir: string;
  /**
   * The ONNX export, null when not exported.
   */
  onnx: {
    /**
     * The .onnx file (relative).
     */
    file: string;
    /**
     * Opset used.
     */
    opset: number;
    /**
     * Exporter and its version, e.g. 'torch.onnx 2.6.0'.
     */
    exporter: string;
    /**
     * Graph inputs.
     */
    inputs: TensorInfo[];
    /**
     * Graph outputs.
     */
    outputs: TensorInfo[];
  } | null;
  /**
   * Seeded reference inputs and the framework's own output on them, as raw little-endian arrays.
   */
  reference: {
    /**
     * One file per graph input, named as in the ONNX graph.
     *
     * @minItems 1
     */
    inputs: TensorFile[];
    output: TensorFile;
  };
  /**
   * Every file written, with its SHA-256.
   */
  files: {
    /**
     * Relative path.
     */
    path: string;
    /**
     * SHA-256 (hex).
     */
    sha256: string;
    /**
     * Size in bytes.
     */
    bytes: number;
  }[];
  /**
   * Package versions used, by name.
   */
  environment: {
    [k: string]: string;
  };
  durationsMs: {
    /**
     * Building the model and saving native files, in ms.
     */
    build: number;
    /**
     * ONNX export, in ms (0 when not exported).
     */
    export: number;
  };
}
export interface TensorInfo {
  /**
   * Tensor name in the graph.
   */
  name: string;
  dtype: Dtype;
  /**
   * Dimensions; a string names a dynamic one (e.g. 'batch').
   */
  shape: (number | string)[];
}
export interface TensorFile {
  /**
   * Tensor name (the ONNX input or output name).
   */
  name: string;
  dtype: Dtype;
  /**
   * Concrete dimensions.
   */
  shape: number[];
  /**
   * Raw little-endian file (relative).
   */
  file: string;
}

// run-manifest.schema.json
/**
 * artifacts/<runId>/manifest.json: what was run, where, with which versions, in which order, and how far it got. Rewritten atomically as the run progresses.
 */
export interface RunManifest {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Run id: <experiment>-<UTC timestamp>-<short hash>.
   */
  runId: string;
  /**
   * running: in progress or crashed (resume it); completed: every trial has a result; interrupted: stopped by the user (resume it); failed: stopped by an error before finishing.
   */
  status: 'running' | 'completed' | 'interrupted' | 'failed';
  /**
   * Why the run is interrupted or failed.
   */
  statusReason?: string | null;
  /**
   * When the run started (ISO 8601).
   */
  createdAt: string;
  /**
   * Last update (ISO 8601).
   */
  updatedAt: string;
  /**
   * When the run was resumed (ISO 8601).
   */
  resumes?: string[];
  experiment: {
    /**
     * Experiment file as given.
     */
    file: string;
    /**
     * SHA-256 of the experiment file's bytes.
     */
    sha256: string;
    spec: Experiment;
  };
  host: {
    /**
     * Host name.
     */
    hostname: string;
    /**
     * OS and architecture.
     */
    platform: string;
    /**
     * Kernel release.
     */
    kernel: string;
    /**
     * CPU model name.
     */
    cpuModel: string;
    /**
     * Logical CPUs (count).
     */
    cpuCount: number;
    /**
     * Total memory, MiB.
     */
    memoryMiB: number;
    /**
     * Node.js version.
     */
    node: string;
    /**
     * onnxruntime-node version, when the embedded runtime is used.
     */
    onnxruntimeNode?: string | null;
    /**
     * Docker daemon facts (version, storage driver, runtimes), when used.
     */
    docker?: {} | null;
    /**
     * GPUs seen (name, driver, memory), when any.
     */
    gpus?: {}[];
  };
  greenrt: {
    /**
     * greenrt package version.
     */
    version: string;
    /**
     * Commit of the greenrt checkout (null outside git).
     */
    gitCommit: string | null;
    /**
     * Uncommitted changes in the checkout.
     */
    gitDirty: boolean | null;
  };
  /**
   * Hash (16 hex) of each schema, by $id.
   */
  schemas: {
    [k: string]: string;
  };
  plan: {
    /**
     * Seed of the trial order (unitless).
     */
    seed: number;
    /**
     * Order kind.
     */
    order: 'shuffled' | 'sequential';
    /**
     * Number of trials (count).
     */
    trialCount: number;
    /**
     * Trial ids in execution order.
     */
    trialIds: string[];
  };
  /**
   * Set when this run is one shard of a study (greenrt run --shard K/N): which part of the full plan it runs; plan.trialIds are then the shard's trials.
   */
  shard?: {
    /**
     * Shard number K, 0-based (count).
     */
    index: number;
    /**
     * Number of shards N in the study (count).
     */
    count: number;
    /**
     * repetition: repetition r goes to shard r mod N, so every shard runs every configuration; configuration: configuration i (in id order) goes to shard i mod N.
     */
    partition: 'repetition' | 'configuration';
    /**
     * planHash of the full, unsharded plan: identifies the study's plan across shards.
     */
    planHash: string;
    /**
     * Trials in the full, unsharded plan (count).
     */
    planTrialCount: number;
    /**
     * True when other shards may run at the same time on this host on other GPUs (--shared-host): CPU (RAPL) energy is then shared and left out of per-trial energy.
     */
    sharedHost?: boolean;
  };
  /**
   * Set on a run made by greenrt merge: the shards it joins and the node each ran on.
   */
  merge?: {
    /**
     * Partition of the merged shards.
     */
    partition: 'repetition' | 'configuration';
    /**
     * Number of shards merged (count).
     */
    count: number;
    /**
     * One entry per merged shard, by shard index.
     */
    shards: {
      /**
       * Shard number (0-based).
       */
      index: number;
      /**
       * Run id of the shard's own run folder.
       */
      runId: string;
      /**
       * Host name of the node the shard ran on.
       */
      node: string;
      /**
       * Trials the shard ran, in its order.
       */
      trialIds: string[];
    }[];
    /**
     * Host facts that differ between shards without deciding comparability (kernel, memory, ...), one sentence each.
     */
    hostDifferences: string[];
    /**
     * True when any merged shard ran with --shared-host (CPU energy left out of per-trial energy).
     */
    sharedHost?: boolean;
  };
  /**
   * Images built or reused: tag, id, digests, base, package list.
   */
  images: {}[];
  /**
   * Model files used: model, source, format, path, sha256, conversion check.
   */
  models: {}[];
  power: {
    /**
     * Each configured source: available or not, and why.
     */
    sources: {}[];
    /**
     * Idle baseline power per domain (W), how long it was measured, or why it is missing.
     */
    baseline?: {} | null;
  };
  /**
   * The GPU selection and the architecture pre-flight (null when the run has no GPU trials and no GPU was found).
   */
  gpu?: {
    /**
     * GPUs the trials run on and are measured on (experiment gpu.devices, default the first).
     */
    measured: GpuDevice[];
    /**
     * Other GPUs of the host: their state and processes are recorded, never their energy.
     */
    context: GpuDevice[];
    /**
     * Per cuda image: can its kernels run on the measured GPU?
     */
    images: {
      /**
       * Runtime of the image.
       */
      runtime: string;
      /**
       * Image flavour.
       */
      flavour: string;
      /**
       * Kernel architectures the image build recorded ('sm_XY' SASS, 'compute_XY' PTX); null when unknown.
       */
      archs?: string[] | null;
      /**
       * native: SASS for the GPU; ptx-jit: the driver JIT-compiles PTX (a compile cache is kept per run); unsupported: no kernel can run, the trials are refused; unknown: not checked.
       */
      support: 'native' | 'ptx-jit' | 'unsupported' | 'unknown';
      /**
       * Why.
       */
      reason: string;
      /**
       * Run-scoped CUDA compute cache folder mounted for ptx-jit images (relative to the run folder).
       */
      computeCacheDir?: string | null;
    }[];
  } | null;
  /**
   * Fingerprints of the files greenrt wrote into the run folder, recorded as each is written, so that `greenrt verify` can tell a changed, missing or added file. Absent in runs made before greenrt recorded them.
   */
  integrity?: {
    /**
     * Hash function of the values in files.
     */
    algorithm: 'sha256';
    /**
     * SHA-256 (hex) of each file, by its path relative to the run folder.
     */
    files: {
      /**
       * SHA-256 of the file's bytes (hex).
       */
      [k: string]: string;
    };
  };
  progress: {
    /**
     * Trials planned.
     */
    total: number;
    /**
     * Trials ok.
     */
    ok: number;
    /**
     * Trials failed.
     */
    failed: number;
    /**
     * Trials invalid.
     */
    invalid: number;
    /**
     * Trials refused before running: the runtime cannot run on this GPU.
     */
    unsupported?: number;
    /**
     * Trials without a result yet.
     */
    pending: number;
  };
}
/**
 * The experiment with defaults applied (what actually ran).
 */
export interface Experiment {
  /**
   * Version of this experiment format (unitless).
   */
  schemaVersion: 1;
  /**
   * Short name used in run ids and reports (lowercase letters, digits, '-' and '_').
   */
  name: string;
  /**
   * Free text: what the experiment is for, and the reasons behind its choices.
   */
  description?: string;
  /**
   * Seed (unitless) for the trial order, the random weights and the inputs.
   */
  seed?: number;
  /**
   * Trial order: 'shuffled' (seeded permutation, recorded in the manifest) or 'sequential' (matrix order).
   */
  order?: 'shuffled' | 'sequential';
  /**
   * Model weights: downloaded pretrained weights, or seeded random weights (same compute, no download).
   */
  weights?: 'pretrained' | 'random';
  /**
   * How framework trials run: one Docker container per trial, or the same entrypoint as a local process. The 'embedded' runtime always runs in-process.
   */
  runner?: 'docker' | 'process';
  /**
   * Runtimes to measure, each with its execution providers.
   *
   * @minItems 1
   * @maxItems 16
   */
  runtimes: RuntimeEntry[];
  /**
   * Models to measure.
   *
   * @minItems 1
   * @maxItems 16
   */
  models: ('resnet50' | 'mobilenet_v2' | 'bert_base_uncased')[];
  /**
   * Batch sizes (samples per inference).
   *
   * @minItems 1
   * @maxItems 16
   */
  batchSizes: number[];
  /**
   * Trials per configuration (count). Each trial starts the runtime afresh.
   */
  repetitions: number;
  /**
   * Inferences run before the measured window in each trial (count).
   */
  warmupIterations: number;
  /**
   * Inferences timed inside the measured window in each trial (count).
   */
  measuredIterations: number;
  /**
   * Intra-op CPU threads given to every runtime (count); null keeps each runtime's default.
   */
  threads?: number | null;
  /**
   * Tokens per sample for text models (count).
   */
  sequenceLength?: number;
  /**
   * Wall-clock limit of one trial, in seconds; a trial past it is stopped and recorded as failed.
   */
  trialTimeoutS?: number;
  /**
   * Memory limit of a trial container, in MiB; null for none.
   */
  memoryLimitMiB?: number | null;
  /**
   * ONNX files supplied with the experiment instead of converting them; each is checked against its SHA-256 before use.
   *
   * @maxItems 64
   */
  prebuiltModels?: PrebuiltModel[];
  power?: Power;
  gpu?: Gpu;
}
export interface RuntimeEntry {
  /**
   * A runtime: a framework's own runtime, ONNX Runtime in Python, or 'embedded' (onnxruntime-node inside the orchestrator).
   */
  name: 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino' | 'embedded';
  /**
   * Execution providers to measure this runtime with.
   *
   * @minItems 1
   */
  providers: ('cpu' | 'cuda' | 'tensorrt')[];
  /**
   * For ONNX runtimes (onnxruntime, embedded): the frameworks whose ONNX exports are run. Not allowed on framework runtimes.
   *
   * @minItems 1
   */
  sources?: ('pytorch' | 'tensorflow' | 'mxnet')[];
  /**
   * For framework runtimes: the execution modes to measure (how the framework is invoked: e.g. tensorflow keras-predict, keras-call, function). Default: the runtime's default mode only (its behaviour before modes existed). Not allowed on ONNX runtimes.
   *
   * @minItems 1
   */
  modes?: (
    'eager' | 'torchscript' | 'compile' | 'keras-predict' | 'keras-call' | 'function' | 'imperative' | 'hybridized'
  )[];
}
export interface PrebuiltModel {
  /**
   * A model of the study.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * A framework that defines models and exports them to ONNX.
   */
  source: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Path of the .onnx file, relative to the experiment file.
   */
  path: string;
  /**
   * Expected SHA-256 of the file (hex).
   */
  sha256: string;
}
/**
 * How energy is measured on the host.
 */
export interface Power {
  /**
   * Power sources to use, in order of preference for the GPU ('nvml' then 'nvidia-smi'). A listed source that is unavailable is reported, with why, in the manifest and in each trial.
   */
  sources?: ('nvml' | 'nvidia-smi' | 'rapl' | 'none')[];
  /**
   * If true, the run stops before the first trial when none of the listed sources works (exit code 3).
   */
  required?: boolean;
  /**
   * Power sampling rate requested, in Hz.
   */
  sampleHz?: number;
  /**
   * Idle baseline measured before the first trial, in seconds; 0 skips it (net energy is then unavailable).
   */
  baselineS?: number;
  /**
   * Gate before each trial: wait until power is back near the idle baseline.
   */
  cooldown?: {
    /**
     * Rest before every trial, in seconds.
     */
    minS?: number;
    /**
     * Longest wait for the gate, in seconds; the trial is marked invalid if it is not met.
     */
    maxS?: number;
    /**
     * Gate met when power is within baseline x (1 + tolerance) (ratio).
     */
    powerTolerance?: number;
    /**
     * Gate met when GPU temperature is within this many degrees Celsius of the baseline.
     */
    temperatureToleranceC?: number;
  };
}
/**
 * Which GPU(s) cuda and tensorrt trials run on and are measured on. Other GPUs of the host are recorded as context (state, processes) and never counted in a trial's energy.
 */
export interface Gpu {
  /**
   * GPUs by NVML/PCI-bus index (0, 1, ...) or UUID ('GPU-...'); default the first GPU. Containers get only these devices; the process runner sets CUDA_DEVICE_ORDER=PCI_BUS_ID and CUDA_VISIBLE_DEVICES.
   *
   * @minItems 1
   * @maxItems 16
   */
  devices?: (number | string)[];
  /**
   * Keep TensorRT engines in a run-scoped cache folder, so only the first tensorrt trial of each configuration builds its engine (the build happens in warm-up either way and is timed separately).
   */
  tensorrtEngineCache?: boolean;
}
export interface GpuDevice {
  /**
   * NVML / PCI-bus index.
   */
  index: number;
  /**
   * GPU UUID.
   */
  uuid?: string | null;
  /**
   * Model name.
   */
  name?: string | null;
  /**
   * CUDA compute capability, e.g. '9.0'.
   */
  computeCapability?: string | null;
}

// slurm-study.schema.json
/**
 * <studyDir>/slurm/study.json: a study sharded over a Slurm job array by `greenrt slurm submit`, and every submission of it (the first and each resubmission of failed shards).
 */
export interface SlurmStudy {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Study id; shard runs are <studyId>-shard-K, the merged run <studyId>-merged.
   */
  studyId: string;
  experiment: {
    /**
     * Experiment file, absolute path (on the shared file system).
     */
    file: string;
    /**
     * SHA-256 of the experiment file when submitted.
     */
    sha256: string;
  };
  /**
   * Number of shards N (count).
   */
  shards: number;
  /**
   * How the plan is split over the shards.
   */
  partition: 'repetition' | 'configuration';
  options: {
    /**
     * Slurm partition (sbatch --partition).
     */
    partition?: string;
    /**
     * Generic resources per shard, e.g. gpu:1 (sbatch --gres).
     */
    gres?: string;
    /**
     * Time limit per shard (sbatch --time).
     */
    time?: string;
    /**
     * Shards may share a node on different GPUs (no --exclusive; CPU energy left out of per-trial energy).
     */
    sharedHost?: boolean;
  };
  /**
   * Every submission, oldest first.
   */
  submissions: {
    /**
     * When it was submitted (ISO 8601).
     */
    submittedAt: string;
    /**
     * Shard indices in this submission's array.
     */
    indices: number[];
    /**
     * Slurm job id of the array (null for --dry-run).
     */
    arrayJobId: string | null;
    /**
     * Slurm job id of the merge-and-report job (afterok on the array; null for --dry-run).
     */
    mergeJobId: string | null;
  }[];
}

// trial-output.schema.json
/**
 * What an entrypoint returns for one trial: phase markers on CLOCK_MONOTONIC, per-inference latencies, and what actually ran.
 */
export interface TrialOutput {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Echo of the trial spec's id.
   */
  trialId: string;
  /**
   * ok: every phase ran; failed: see error.
   */
  status: 'ok' | 'failed';
  /**
   * Why the trial failed (null when ok).
   */
  error?: {
    /**
     * Exception class name.
     */
    type: string;
    /**
     * Exception message.
     */
    message: string;
    /**
     * Python traceback, last frames.
     */
    traceback?: string;
  } | null;
  /**
   * Phase markers: CLOCK_MONOTONIC nanoseconds (decimal strings; containers share the host's clock). Phases that did not run are absent.
   */
  phases: {
    load?: Window;
    engineBuild?: Window;
    warmup?: Window;
    measure?: Window;
  };
  /**
   * Per-inference latency inside the measure window, in milliseconds, in order; device synchronised after each inference.
   */
  latenciesMs: number[];
  /**
   * Sum of the last inference's output values (unitless): a cheap check that a runtime computed something.
   */
  outputChecksum?: number | null;
  /**
   * What actually ran.
   */
  environment: {
    /**
     * Python version.
     */
    python: string;
    /**
     * Runtime package name (torch, tensorflow, mxnet, onnxruntime).
     */
    framework: string;
    /**
     * Runtime package version.
     */
    frameworkVersion: string;
    /**
     * Device the model ran on, e.g. 'cpu' or 'NVIDIA H100 80GB HBM3'.
     */
    device: string;
    /**
     * Execution providers in effect (ONNX Runtime's list, or the framework device).
     */
    providers: string[];
    /**
     * Intra-op threads in effect (count), null when unknown.
     */
    threads?: number | null;
    /**
     * Versions of relevant Python packages, by name.
     */
    packages?: {
      [k: string]: string;
    };
    /**
     * Execution mode the adapter ran (framework runtimes; catalogue modes), as it resolved the trial spec's mode.
     */
    mode?: string;
  };
}
export interface Window {
  /**
   * Start, CLOCK_MONOTONIC nanoseconds.
   */
  startNs: string;
  /**
   * End, CLOCK_MONOTONIC nanoseconds.
   */
  endNs: string;
}

// trial-result.schema.json
/**
 * ONNX vs source framework on the same seeded inputs.
 */
export type ConversionCheck = {
  /**
   * Maximum absolute difference of outputs (output units).
   */
  maxAbsDiff: number;
  /**
   * Share of samples whose argmax agrees (ratio).
   */
  argmaxAgreement: number;
  /**
   * Allowed maximum absolute difference.
   */
  tolerance: number;
  /**
   * maxAbsDiff <= tolerance and full argmax agreement.
   */
  withinTolerance: boolean;
} & ConversionCheck1;
export type ConversionCheck1 = {
  /**
   * Maximum absolute difference of outputs (output units).
   */
  maxAbsDiff: number;
  /**
   * Share of samples whose argmax agrees (ratio).
   */
  argmaxAgreement: number;
  /**
   * Allowed maximum absolute difference.
   */
  tolerance: number;
  /**
   * maxAbsDiff <= tolerance and full argmax agreement.
   */
  withinTolerance: boolean;
} | null;
/**
 * How an energy value was obtained: counter (a hardware energy counter read at the window edges), integrated (power samples integrated over the window), estimated (a model, not a measurement), unavailable (not measured; see reason).
 */
export type Provenance = 'counter' | 'integrated' | 'estimated' | 'unavailable';

/**
 * One trial's validated result: its configuration, status, timings from the entrypoint, and energy from the host monitor with provenance. Stored as artifacts/<runId>/trials/<trialId>.json.
 */
export interface TrialResult {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Run id.
   */
  runId: string;
  /**
   * Deterministic trial id.
   */
  trialId: string;
  /**
   * Position of the trial in the run's seeded order.
   */
  orderIndex: number;
  config: TrialConfig;
  /**
   * ok: measured and valid; failed: did not complete (see reasons); invalid: completed but broke a measurement rule (see reasons), kept and excluded from claims; unsupported: refused before running because the runtime cannot run on this host's GPU (see reasons, e.g. no kernels for its compute capability).
   */
  status: 'ok' | 'failed' | 'invalid' | 'unsupported';
  /**
   * Why the trial failed or is invalid; warnings for ok trials.
   */
  reasons: string[];
  /**
   * Wall-clock start (ISO 8601).
   */
  startedAt: string;
  /**
   * Wall-clock end (ISO 8601).
   */
  finishedAt: string;
  /**
   * How the trial was executed.
   */
  runner: {
    /**
     * Runner.
     */
    kind: 'embedded' | 'docker' | 'process';
    /**
     * Docker image tag (docker runner).
     */
    image?: string | null;
    /**
     * Docker image id (docker runner).
     */
    imageId?: string | null;
    /**
     * Container id (docker runner).
     */
    containerId?: string | null;
    /**
     * Exit code of the container or process.
     */
    exitCode?: number | null;
    /**
     * Last lines of the container's or process's output.
     */
    logTail?: string | null;
    /**
     * Whole trial wall time, start of the container or process to its end, in ms.
     */
    wallMs?: number;
  };
  /**
   * The model file the trial ran.
   */
  model?: {
    /**
     * Path relative to the repository or artifacts root.
     */
    file: string;
    /**
     * SHA-256 (hex).
     */
    sha256: string;
    /**
     * Model format.
     */
    format: 'native' | 'onnx';
    conversion?: ConversionCheck;
  } | null;
  phases?: Phases;
  /**
   * Timings from the entrypoint's measure window.
   */
  timing: {
    /**
     * Per-inference latency, in ms (empty when the trial failed before measuring).
     */
    latenciesMs: number[];
    /**
     * Length of the measure window, in ms.
     */
    measureWindowMs: number | null;
    /**
     * Samples (batch x inferences) per second over the measure window.
     */
    throughputSamplesPerS: number | null;
    /**
     * Model load phase, in ms.
     */
    loadMs?: number | null;
    /**
     * From starting the container or process to the start of the first warm-up (or measured) inference, in ms.
     */
    startToFirstInferenceMs?: number | null;
    /**
     * TensorRT engine build (or cache load) at the start of warm-up, outside the measure window, in ms; null when there was none.
     */
    engineBuildMs?: number | null;
  };
  energy: Energy;
  /**
   * GPU state at trial start and end.
   */
  gpuState?: GpuState[];
  /**
   * The cool-down gate before the trial.
   */
  cooldown?: {
    /**
     * Time waited, in ms.
     */
    waitedMs: number;
    /**
     * Whether power/temperature returned near baseline before the bound.
     */
    met: boolean;
    /**
     * What was compared.
     */
    detail?: string;
  } | null;
  environment?: Environment;
  /**
   * Sum of the last inference's output (unitless).
   */
  outputChecksum?: number | null;
  /**
   * Power trace file, relative to the run folder.
   */
  tracePath?: string | null;
}
/**
 * The configuration this trial measures.
 */
export interface TrialConfig {
  /**
   * Runtime.
   */
  runtime: 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino' | 'embedded';
  /**
   * Framework the model comes from.
   */
  source: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Model.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Execution provider.
   */
  provider: 'cpu' | 'cuda' | 'tensorrt';
  /**
   * Execution mode of a framework runtime; set only when it is not the runtime's default mode (absent: the default, so results from before modes existed keep their meaning).
   */
  mode?:
    'eager' | 'torchscript' | 'compile' | 'keras-predict' | 'keras-call' | 'function' | 'imperative' | 'hybridized';
  /**
   * Samples per inference.
   */
  batchSize: number;
  /**
   * Repetition number (1-based).
   */
  repetition: number;
  /**
   * Warm-up inferences (count).
   */
  warmupIterations: number;
  /**
   * Measured inferences (count).
   */
  measuredIterations: number;
  /**
   * Intra-op threads requested (count); null for the runtime default.
   */
  threads: number | null;
  /**
   * Tokens per sample for text models (count).
   */
  sequenceLength: number;
}
/**
 * Phase markers: CLOCK_MONOTONIC nanoseconds (decimal strings; containers share the host's clock). Phases that did not run are absent.
 */
export interface Phases {
  load?: Window;
  engineBuild?: Window;
  warmup?: Window;
  measure?: Window;
}
export interface Window {
  /**
   * Start, CLOCK_MONOTONIC nanoseconds.
   */
  startNs: string;
  /**
   * End, CLOCK_MONOTONIC nanoseconds.
   */
  endNs: string;
}
/**
 * Energy over the entrypoint's measure window, per domain and in total.
 */
export interface Energy {
  /**
   * The phase the energy covers.
   */
  window: 'measure';
  /**
   * One reading per source and domain.
   */
  readings: EnergyReading[];
  /**
   * Sum of the readings' gross energy over distinct hardware (GPU + CPU packages + DRAM), in J; null when no reading is available.
   */
  totalEnergyJ: number | null;
  /**
   * Sum of net energies, in J; null when any is missing.
   */
  totalNetEnergyJ?: number | null;
  totalProvenance: Provenance;
  /**
   * totalEnergyJ / measured inferences, in J; null when unavailable.
   */
  energyPerInferenceJ: number | null;
  /**
   * Why the total is unavailable or partial (null when complete).
   */
  reason: string | null;
}
export interface EnergyReading {
  /**
   * Power source.
   */
  source: 'nvml' | 'nvidia-smi' | 'rapl' | 'none';
  /**
   * What was measured: 'gpu:0', 'package-0', 'dram-0', or 'host' for none.
   */
  domain: string;
  provenance: Provenance;
  /**
   * Gross energy over the measure window, in J (null when unavailable).
   */
  energyJ: number | null;
  /**
   * energyJ minus baseline power x window, in J (null without a baseline).
   */
  netEnergyJ?: number | null;
  /**
   * Idle baseline power of this domain, in W.
   */
  baselinePowerW?: number | null;
  /**
   * Estimated absolute uncertainty of energyJ, in J (sensor accuracy, counter granularity, window coverage).
   */
  uncertaintyJ?: number | null;
  /**
   * Share of the window covered by samples or counter updates (ratio, 1 = full).
   */
  coverage?: number | null;
  /**
   * For counter readings: the same window integrated from sampled instant power.
   */
  crossCheck?: {
    /**
     * Integrated energy, in J.
     */
    integratedJ: number;
    /**
     * (counter - integrated) / counter (ratio).
     */
    disagreement: number;
  } | null;
  /**
   * Achieved rate of the samples or counter reads this reading used, over the recording, Hz.
   */
  achievedHz?: number | null;
  /**
   * For counter readings: how often the hardware updates the counter (detected; an upper bound when it changed on every read), ms.
   */
  counterUpdatePeriodMs?: number | null;
  /**
   * Why unavailable or estimated (null for measured values).
   */
  reason: string | null;
}
/**
 * One reading of a GPU's state.
 */
export interface GpuState {
  /**
   * GPU index.
   */
  index: number;
  /**
   * True for a GPU the trial runs on and is measured on; false for another GPU of the host, recorded as context only (never in the trial's energy).
   */
  measured?: boolean;
  /**
   * When read, CLOCK_MONOTONIC ns.
   */
  atNs: string;
  /**
   * GPU name.
   */
  name?: string | null;
  /**
   * SM clock, MHz.
   */
  smClockMHz?: number | null;
  /**
   * Memory clock, MHz.
   */
  memClockMHz?: number | null;
  /**
   * Enforced power limit, W.
   */
  powerLimitW?: number | null;
  /**
   * GPU temperature, degrees Celsius.
   */
  temperatureC?: number | null;
  /**
   * Power at the time of reading, W.
   */
  powerW?: number | null;
  /**
   * Active clock throttle reasons.
   */
  throttleReasons?: string[] | null;
  /**
   * Persistence mode on.
   */
  persistenceMode?: boolean | null;
  /**
   * Compute processes on the GPU other than the trial's.
   */
  otherProcesses?:
    | {
        /**
         * Process id.
         */
        pid: number;
        /**
         * Process name.
         */
        name?: string | null;
        /**
         * GPU memory used, MiB.
         */
        usedMemoryMiB?: number | null;
      }[]
    | null;
}
/**
 * What actually ran.
 */
export interface Environment {
  /**
   * Python version.
   */
  python: string;
  /**
   * Runtime package name (torch, tensorflow, mxnet, onnxruntime).
   */
  framework: string;
  /**
   * Runtime package version.
   */
  frameworkVersion: string;
  /**
   * Device the model ran on, e.g. 'cpu' or 'NVIDIA H100 80GB HBM3'.
   */
  device: string;
  /**
   * Execution providers in effect (ONNX Runtime's list, or the framework device).
   */
  providers: string[];
  /**
   * Intra-op threads in effect (count), null when unknown.
   */
  threads?: number | null;
  /**
   * Versions of relevant Python packages, by name.
   */
  packages?: {
    [k: string]: string;
  };
  /**
   * Execution mode the adapter ran (framework runtimes; catalogue modes), as it resolved the trial spec's mode.
   */
  mode?: string;
}

// trial-spec.schema.json
/**
 * What the orchestrator hands an entrypoint for one trial (a JSON file mounted read-only). The entrypoint writes a TrialOutput to outputPath.
 */
export interface TrialSpec {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Deterministic trial id.
   */
  trialId: string;
  /**
   * Runtime that executes the model.
   */
  runtime: 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino';
  /**
   * Framework the model comes from; equals runtime for framework runtimes, the exporting framework for onnxruntime.
   */
  source: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Model name.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Execution provider (device).
   */
  provider: 'cpu' | 'cuda' | 'tensorrt';
  /**
   * Execution mode of a framework runtime (how the adapter invokes the model); absent: the runtime's default mode. Not set for ONNX runtimes.
   */
  mode?:
    'eager' | 'torchscript' | 'compile' | 'keras-predict' | 'keras-call' | 'function' | 'imperative' | 'hybridized';
  /**
   * Samples per inference.
   */
  batchSize: number;
  /**
   * Inferences before the measured window (count).
   */
  warmupIterations: number;
  /**
   * Inferences in the measured window (count).
   */
  measuredIterations: number;
  /**
   * Seed for the inputs (unitless).
   */
  seed: number;
  /**
   * Intra-op CPU threads (count); null keeps the runtime default.
   */
  threads: number | null;
  /**
   * Tokens per sample for text models (count).
   */
  sequenceLength: number;
  /**
   * Folder holding the prepared model (framework-native files or model.onnx), as seen by the entrypoint.
   */
  modelDir: string;
  /**
   * Where the entrypoint writes its TrialOutput JSON, as seen by the entrypoint.
   */
  outputPath: string;
}
