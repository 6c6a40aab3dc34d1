/* Generated from schemas/*.schema.json by scripts/gen-types.mjs. Do not edit. */

// ae-artifact.schema.json
/**
 * artifact.json, written by `greenrt ae pack <runDir>... --out DIR` at the top of the pack (ARTIFACT.md says the same for people) and read by `greenrt ae load DIR`: what the pack holds (reference runs, images by config digest, prepared models, experiment and claims files, the source) and the hashes to quote. Every path is relative to the pack folder, '/'-separated. SHA256SUMS lists every file of the pack but itself.
 */
export interface AeArtifactFile {
  /**
   * Format version of this file.
   */
  schemaVersion: 1;
  /**
   * When the pack was written (UTC).
   */
  packedAt: string;
  /**
   * The greenrt that wrote the pack.
   */
  greenrt: {
    /**
     * greenrt package version.
     */
    version: string;
  };
  /**
   * greenrt's source as the reference runs used it.
   */
  source: {
    /**
     * The uncompressed tar of the source, in the pack.
     */
    file: 'source.tar';
    /**
     * git-archive: `git archive` of the runs' commit (exactly the committed files); package-files: the package folder's files without node_modules, dist, artifacts, .build and .git (no git history to archive from).
     */
    method: 'git-archive' | 'package-files';
    /**
     * The commit the runs recorded (greenrt.gitCommit in their manifests); null when they ran outside git.
     */
    commit: string | null;
    /**
     * Whether any run recorded uncommitted changes in its checkout (then the archive is the commit, not what ran).
     */
    dirty: boolean | null;
    /**
     * Why package-files was used, or what a dirty checkout means; null when nothing needs saying.
     */
    note: string | null;
  };
  /**
   * The reference runs, each verified intact (greenrt verify) before it was packed.
   *
   * @minItems 1
   */
  runs: Run[];
  /**
   * Image archives (`greenrt images save` format under images/), one per image the runs used; empty for runs without Docker.
   */
  images: {
    /**
     * greenrt/<runtime>:<flavour>-<hash12>.
     */
    tag: string;
    /**
     * The image's identity (SHA-256 of its config JSON), as the runs' manifests record it: quote it.
     */
    configDigest: string;
    /**
     * The archive record (schemas/image-archive.schema.json), in the pack.
     */
    record: string;
    /**
     * The `docker save` archive, in the pack.
     */
    archive: string;
    /**
     * Archive size, bytes.
     */
    bytes: number;
  }[];
  /**
   * Prepared models (the model cache entries the runs used) under models/; `ae load` copies them to <artifacts>/models/, where a run looks first. Supplied (prebuilt) ONNX files travel with the experiment files instead.
   */
  models: {
    /**
     * The folder in the pack: models/<cache entry name>.
     */
    folder: string;
    /**
     * Model name.
     */
    model: string;
    /**
     * Framework the model was prepared in.
     */
    source: string;
    /**
     * SHA-256 the runs' manifests record for it (the ONNX file, else prepared.json).
     */
    sha256: string;
    /**
     * Size of the folder's files, bytes.
     */
    bytes: number;
  }[];
  /**
   * The experiment files, their claims files and supplied model files, in the pack (the same layout relative to each experiment as where they ran).
   */
  experimentFiles: string[];
  /**
   * Size of every file in the pack but SHA256SUMS, bytes.
   */
  totalBytes: number;
}
/**
 * One reference run.
 */
export interface Run {
  /**
   * The run's id.
   */
  runId: string;
  /**
   * The run folder in the pack: runs/<runId>.
   */
  folder: string;
  /**
   * SHA-256 of the run's manifest.json: `greenrt verify`'s trust anchor; quote it.
   */
  manifestSha256: string;
  /**
   * The experiment file in the pack.
   */
  experiment: string;
  /**
   * SHA-256 of the experiment file (the manifest's experiment.sha256).
   */
  experimentSha256: string;
  /**
   * The claims file in the pack that the run's report decided; null when the experiment checks none.
   */
  claimsFile: string | null;
  /**
   * Trials of the run (count).
   */
  trials: number;
  /**
   * greenrt's own estimate of the experiment's duration on one node (`greenrt validate`), seconds.
   */
  estimate: {
    /**
     * Lower end, s.
     */
    minS: number;
    /**
     * Upper end (adaptive experiments: every configuration at its maximum), s.
     */
    maxS: number;
  };
  /**
   * The reference host, from the run's manifest.
   */
  host: {
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
     * Kernel release.
     */
    kernel: string;
    /**
     * GPU model and driver per GPU seen.
     */
    gpus: string[];
    /**
     * Docker engine version, when used.
     */
    docker: string | null;
    /**
     * The power sources that measured energy in the run, or why none did.
     */
    energy: string;
  };
  /**
   * The reference run's verdict on each claim of its claims file: what an evaluator's run should agree with.
   */
  claims: {
    /**
     * Claim id.
     */
    id: string;
    /**
     * reproduction: the study stated it; extension: greenrt asks more.
     */
    scope: 'reproduction' | 'extension';
    /**
     * The claim in words.
     */
    text: string;
    /**
     * The reference run's verdict.
     */
    verdict: 'reproduced' | 'not reproduced' | 'inconclusive';
  }[];
}

// ae-evaluation.schema.json
/**
 * evaluation.json, written by `greenrt ae evaluate <run> --reference <run>` (evaluation.md says the same for people): an evaluator's run judged against a reference run claim by claim, with the hosts' differences first, runtime rankings, ratios against claim bands, and absolute numbers only where GPU model and driver match.
 */
export interface AeEvaluationFile {
  /**
   * Format version of this file.
   */
  schemaVersion: 1;
  /**
   * When the evaluation was made (UTC).
   */
  evaluatedAt: string;
  run: RunRef;
  reference: RunRef1;
  /**
   * The claims file evaluated on both runs.
   */
  claimsFile: string;
  /**
   * How the two hosts differ (shown first: every other number is read in its light).
   */
  hosts: {
    /**
     * Each host fact that differs.
     */
    differences: {
      /**
       * The fact: GPU, GPU driver, CPU, CPU count, power sources, kernel.
       */
      what: string;
      /**
       * Its value on the reference host.
       */
      reference: string;
      /**
       * Its value on the evaluator's host.
       */
      run: string;
    }[];
    /**
     * Same GPU models and driver (or no GPU on either, with the same CPU model): only then are absolute numbers judged.
     */
    sameGpuAndDriver: boolean;
  };
  /**
   * One entry per claim, in the claims file's order.
   */
  claims: {
    /**
     * Claim id.
     */
    id: string;
    /**
     * reproduction: the study stated it; extension: greenrt asks more (counted apart).
     */
    scope: 'reproduction' | 'extension';
    /**
     * agrees: both runs decide it the same way; contradicts: opposite decided verdicts; not testable here: the evaluator's run has no data for it; undecided: either run is inconclusive with data.
     */
    outcome: 'agrees' | 'contradicts' | 'not testable here' | 'undecided';
    /**
     * The outcome in words.
     */
    why: string;
    reference: Verdict;
    run: Verdict1;
    /**
     * Ratio claims: each pair's median A / median B on both runs against the claim's band (empty for other tests).
     */
    ratios: {
      /**
       * Configuration id of side A.
       */
      a: string;
      /**
       * Configuration id of side B.
       */
      b: string;
      /**
       * Claim metric.
       */
      metric: string;
      /**
       * The claim's accepted range of A / B (ratio).
       *
       * @minItems 2
       * @maxItems 2
       */
      band: number[];
      /**
       * A / B on the reference run (ratio); null without data.
       */
      reference: number | null;
      /**
       * A / B on the evaluator's run (ratio); null without data.
       */
      run: number | null;
      /**
       * Whether the evaluator's ratio lies in the band; null without data.
       */
      runWithinBand: boolean | null;
    }[];
  }[];
  /**
   * Outcomes counted per scope.
   */
  counts: {
    reproduction: Counts;
    extension: Counts1;
  };
  /**
   * Per model, batch size and provider both runs measured: the runtimes ordered by median latency on each run and Kendall's tau between the orders.
   */
  rankings: {
    /**
     * Model.
     */
    model: string;
    /**
     * Batch size (samples per inference).
     */
    batchSize: number;
    /**
     * Execution provider.
     */
    provider: string;
    /**
     * Configurations ranked (in both runs; count).
     */
    configurations: number;
    /**
     * Runtimes (runtime/source) fastest first on the reference run.
     */
    reference: string[];
    /**
     * The same on the evaluator's run.
     */
    run: string[];
    /**
     * Kendall's tau-a between the two orders (1 same order, -1 reversed); null with fewer than 2 configurations.
     */
    kendallTau: number | null;
  }[];
  /**
   * Absolute median latencies of the shared configurations, judged only when GPU model and driver match.
   */
  absolute: {
    /**
     * Whether absolute numbers were judged.
     */
    judged: boolean;
    /**
     * Why (not).
     */
    why: string;
    /**
     * Allowed relative difference of medians when judged (ratio, 0.1 = 10 %).
     */
    tolerance: number;
    /**
     * Each shared configuration's median latency on both runs.
     */
    rows: {
      /**
       * Configuration id.
       */
      configuration: string;
      /**
       * Median per-inference latency on the reference run (ms).
       */
      referenceMs: number;
      /**
       * The same on the evaluator's run (ms).
       */
      runMs: number;
      /**
       * run / reference (ratio).
       */
      ratio: number;
      /**
       * Within the tolerance; null when not judged.
       */
      within: boolean | null;
    }[];
  };
  /**
   * Which ACM badge the evidence supports and why, as advice to the evaluator, never a verdict.
   */
  badge: string;
  /**
   * 0 every testable claim agrees, 4 one contradicts, 3 none testable.
   */
  exitCode: 0 | 3 | 4;
}
/**
 * The evaluator's run.
 */
export interface RunRef {
  /**
   * Run id.
   */
  runId: string;
  /**
   * Run folder as given.
   */
  folder: string;
  /**
   * SHA-256 of its manifest.json (the anchor to quote).
   */
  manifestSha256: string;
}
/**
 * The reference run (e.g. the authors' run from the artifact).
 */
export interface RunRef1 {
  /**
   * Run id.
   */
  runId: string;
  /**
   * Run folder as given.
   */
  folder: string;
  /**
   * SHA-256 of its manifest.json (the anchor to quote).
   */
  manifestSha256: string;
}
/**
 * The claim on the reference run.
 */
export interface Verdict {
  /**
   * The run's verdict.
   */
  verdict: 'reproduced' | 'not reproduced' | 'inconclusive';
  /**
   * Its reason.
   */
  reason: string;
  /**
   * What its energy covered (see summary.json).
   */
  energyScope: 'total' | 'gpu-only' | null;
}
/**
 * The claim on the evaluator's run.
 */
export interface Verdict1 {
  /**
   * The run's verdict.
   */
  verdict: 'reproduced' | 'not reproduced' | 'inconclusive';
  /**
   * Its reason.
   */
  reason: string;
  /**
   * What its energy covered (see summary.json).
   */
  energyScope: 'total' | 'gpu-only' | null;
}
/**
 * Reproduction claims.
 */
export interface Counts {
  /**
   * Claims that agree.
   */
  agrees: number;
  /**
   * Claims that contradict.
   */
  contradicts: number;
  /**
   * Claims not testable here.
   */
  notTestable: number;
  /**
   * Claims undecided.
   */
  undecided: number;
}
/**
 * Extension claims.
 */
export interface Counts1 {
  /**
   * Claims that agree.
   */
  agrees: number;
  /**
   * Claims that contradict.
   */
  contradicts: number;
  /**
   * Claims not testable here.
   */
  notTestable: number;
  /**
   * Claims undecided.
   */
  undecided: number;
}

// catalogue.schema.json
/**
 * Debian packages (names; * matches any text) an image description lists with their versions (the manifest's images[].description.dpkg.selected), beside the base ones (python3, libc6, BLAS, numpy); empty when it installs none.
 */
export type DebianPackages = string[];

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
    debianPackages: DebianPackages;
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
    debianPackages: DebianPackages;
    /**
     * Only for a runtime without image flavours (in-process): the image runtime whose trial-spec meaning it shares, written as the trial spec's runtime (embedded runs ONNX Runtime in-process: onnxruntime). Absent: the runtime's own name.
     */
    specRuntime?: string;
    /**
     * What the no-GPU check of a cuda or tensorrt image (images/common/docker/cuda_check.py) looks at; required when imageFlavours has cuda or tensorrt. The framework's own API checks live in images/<name>/greenrt_cuda_check.py.
     */
    cudaCheck?: {
      /**
       * Python package (import name) whose folder holds the libraries; found without importing it.
       */
      package: string;
      /**
       * The framework's own shared libraries, globs relative to the package folder: each must resolve with ldd (the driver's libraries aside).
       *
       * @minItems 1
       */
      libraries: string[];
      /**
       * The library holding the GPU kernels, relative to the package folder: its fatbins give the kernel architectures.
       */
      kernelLibrary: string;
      /**
       * Image flavour -> library file name -> why it cannot load in that flavour by design (recorded as knownUnavailable, not a problem).
       */
      unavailable?: {
        [k: string]: {
          [k: string]: string;
        };
      };
    };
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
    /**
     * Pretrained weights (experiment weights: pretrained) per framework that prepares this model, named by source, revision and file digests. The preparer checks every downloaded or supplied file against its digests before it uses it; a file that differs stops preparation (exit 4) with the file, both digests and whenGone. Random weights need none of this.
     */
    pretrained?: {
      [k: string]: {
        /**
         * Where the framework's own code fetches the weights from.
         */
        source: 'torchvision' | 'keras' | 'huggingface' | 'gluon-model-zoo' | 'gluonnlp';
        /**
         * Download URL, or the Hugging Face Hub repository id.
         */
        location: string;
        /**
         * Hugging Face Hub commit (40 hex), or the framework's weights enum name; null where the file name and digest are the only identity.
         */
        revision: string | null;
        /**
         * Every weights file the preparer reads.
         *
         * @minItems 1
         */
        files: {
          /**
           * File name as the framework caches it.
           */
          name: string;
          /**
           * File size, bytes; null when not recorded.
           */
          sizeBytes: number | null;
          /**
           * SHA-256 (hex) of the file; null where it is not recorded yet (the preparer prints the one it saw).
           */
          sha256: string | null;
          /**
           * The first 8 hex of the SHA-256, as torchvision publishes it in the file name (used while sha256 is null).
           */
          sha256Prefix?: string;
          /**
           * SHA-1 (hex) the MXNet/GluonNLP model store publishes for the file.
           */
          sha1?: string;
          /**
           * MD5 (hex) Keras publishes for the file (WEIGHTS_HASHES).
           */
          md5?: string;
        }[];
        /**
         * What to do when the source no longer serves the file: where to put a copy (the digests still identify it), or why no conversion gives the same weights.
         */
        whenGone: string;
      };
    };
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

// claims.schema.json
export type Claim = {
  [k: string]: unknown;
} & {
  /**
   * Short id (lowercase letters, digits and '-'), unique in the file.
   */
  id: string;
  /**
   * The finding's number in the study's list (docs/METHODOLOGY.md).
   */
  finding?: number;
  /**
   * The claim in words.
   */
  text: string;
  /**
   * Where the study says it (section, abstract version, secondary source and its trust tier).
   */
  source: string;
  /**
   * reproduction: the study stated it for these configurations; extension: greenrt asks more than the study did (configurations it did not or could not run).
   */
  scope: 'reproduction' | 'extension';
  /**
   * Versions of the paper (arXiv 2402.13640v1, v2 = the published one) whose accessible text states the claim; absent when it comes from secondary sources only.
   *
   * @minItems 1
   */
  paperVersions?: ('v1' | 'v2')[];
  /**
   * less: A < B; indistinguishable: no meaningful difference; ratio: median A / median B within ratioRange; correlation: Spearman rho over configuration medians.
   */
  test: 'less' | 'indistinguishable' | 'ratio' | 'correlation';
  where?: Selector;
  a?: Selector1;
  b?: Selector1;
  /**
   * Dimensions on which an A configuration is paired with a B configuration.
   */
  match?: ('runtime' | 'source' | 'model' | 'provider' | 'batchSize')[];
  /**
   * Metrics the verdict rests on (every one must hold for a pair).
   *
   * @minItems 1
   */
  metrics?: Metric[];
  /**
   * Further checks with their own sub-verdicts (pair tests only).
   *
   * @maxItems 16
   */
  checks?: Check[];
  quantifier?: Quantifier;
  /**
   * Significance level (unitless); default from `defaults`.
   */
  alpha?: number;
  minEffect?: MinEffect;
  /**
   * indistinguishable: a pair also counts when |median A / median B - 1| is at most this (ratio).
   */
  maxRelativeDifference?: number;
  /**
   * ratio: accepted range [low, high] of median A / median B.
   *
   * @minItems 2
   * @maxItems 2
   */
  ratioRange?: number[];
  /**
   * Fewer ok trials than this in a configuration makes its pairs inconclusive (count).
   */
  minTrials?: number;
  /**
   * Configurations left out of the claim: any configuration matching one of these selectors (e.g. configurations the study did not run, kept for an extension claim).
   *
   * @maxItems 32
   */
  exclude?: Selector1[];
  x?: Metric;
  y?: Metric;
  /**
   * Correlation: smallest Spearman rho that counts (unitless).
   */
  minRho?: number;
  /**
   * Correlation: fewer configurations with values makes the claim inconclusive (count).
   */
  minConfigurations?: number;
  /**
   * Correlation: also compute rho within each value of these dimensions (e.g. [batchSize]), each with its own sub-verdict, beside the pooled one.
   */
  within?: ('runtime' | 'source' | 'model' | 'provider' | 'batchSize')[];
};
/**
 * A runtime.
 */
export type SelectorRuntime = 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino' | 'embedded';
/**
 * A framework that defines models and exports them to ONNX.
 */
export type SelectorSource = 'pytorch' | 'tensorflow' | 'mxnet';
/**
 * A model.
 */
export type SelectorModel = 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
/**
 * An execution provider.
 */
export type SelectorProvider = 'cpu' | 'cuda' | 'tensorrt';
/**
 * A per-trial value: latencyMs (median per-inference latency, ms), energyPerInferenceJ (gross GPU + CPU + DRAM, J), netEnergyPerInferenceJ (the same net of the idle baseline, J), cpuNetEnergyPerInferenceJ (RAPL domains net of idle, J), gpuNetEnergyPerInferenceJ (GPU net of idle, J), gpuUtilizationPercent (mean NVML GPU utilisation over the measured window, %), runTimeS (the measured window, s), runNetEnergyJ (net energy over the measured window, J).
 */
export type Metric =
  | 'latencyMs'
  | 'energyPerInferenceJ'
  | 'netEnergyPerInferenceJ'
  | 'cpuNetEnergyPerInferenceJ'
  | 'gpuNetEnergyPerInferenceJ'
  | 'gpuUtilizationPercent'
  | 'runTimeS'
  | 'runNetEnergyJ';
/**
 * all: every pair must hold; most: more than half of them.
 */
export type Quantifier = 'all' | 'most';
/**
 * Smallest Cliff's delta magnitude that counts (Romano et al. thresholds).
 */
export type MinEffect = 'negligible' | 'small' | 'medium' | 'large';

/**
 * A study's findings as machine-checkable claims (experiments/*.claims.yaml), checked on a run by the report.
 */
export interface ClaimsFile {
  /**
   * Version of this claims format (unitless).
   */
  schemaVersion: 1;
  /**
   * The study the claims come from (authors, year, where published).
   */
  study: string;
  defaults?: Defaults;
  /**
   * The claims, each a test over a run's configurations.
   *
   * @minItems 1
   * @maxItems 500
   */
  claims: Claim[];
}
/**
 * Values a claim takes when it does not set them.
 */
export interface Defaults {
  /**
   * Significance level (unitless).
   */
  alpha?: number;
  /**
   * Smallest Cliff's delta magnitude that counts (Romano et al. thresholds).
   */
  minEffect?: 'negligible' | 'small' | 'medium' | 'large';
  /**
   * Fewer ok trials than this in a configuration makes its pairs inconclusive (count).
   */
  minTrials?: number;
  /**
   * all: every pair must hold; most: more than half of them.
   */
  quantifier?: 'all' | 'most';
  /**
   * Correlation claims: smallest Spearman rho that counts (unitless).
   */
  minRho?: number;
  /**
   * Correlation claims: fewer configurations with values makes the claim inconclusive (count).
   */
  minConfigurations?: number;
}
/**
 * Values a configuration must have, as lists; an absent dimension is unconstrained here (set it in `where`).
 */
export interface Selector {
  /**
   * Runtimes, e.g. [mxnet].
   *
   * @minItems 1
   */
  runtime?: SelectorRuntime[];
  /**
   * Source frameworks, e.g. [pytorch]; a framework runtime implies its own source.
   *
   * @minItems 1
   */
  source?: SelectorSource[];
  /**
   * Models, e.g. [resnet50].
   *
   * @minItems 1
   */
  model?: SelectorModel[];
  /**
   * Execution providers, e.g. [cuda].
   *
   * @minItems 1
   */
  provider?: SelectorProvider[];
  /**
   * Batch sizes, e.g. [1, 64].
   *
   * @minItems 1
   */
  batchSize?: number[];
}
/**
 * Values a configuration must have, as lists; an absent dimension is unconstrained here (set it in `where`).
 */
export interface Selector1 {
  /**
   * Runtimes, e.g. [mxnet].
   *
   * @minItems 1
   */
  runtime?: SelectorRuntime[];
  /**
   * Source frameworks, e.g. [pytorch]; a framework runtime implies its own source.
   *
   * @minItems 1
   */
  source?: SelectorSource[];
  /**
   * Models, e.g. [resnet50].
   *
   * @minItems 1
   */
  model?: SelectorModel[];
  /**
   * Execution providers, e.g. [cuda].
   *
   * @minItems 1
   */
  provider?: SelectorProvider[];
  /**
   * Batch sizes, e.g. [1, 64].
   *
   * @minItems 1
   */
  batchSize?: number[];
}
/**
 * A further check on the claim's pairs, with its own sub-verdict (a stated mechanism, or a secondary metric).
 */
export interface Check {
  /**
   * Short name shown in the report, e.g. 'CPU energy'.
   */
  label: string;
  /**
   * mechanism: the study's stated explanation; secondary: a metric the claim's wording implies but the verdict does not rest on.
   */
  role: 'mechanism' | 'secondary';
  metric: Metric;
  /**
   * A against B: less / greater (Holm-adjusted Mann-Whitney and Cliff's delta at least minEffect), notGreater / notLess (holds unless A is significantly and non-negligibly on the wrong side).
   */
  test: 'less' | 'greater' | 'notGreater' | 'notLess';
  /**
   * Why this check follows from the study's words.
   */
  why?: string;
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
   * Trials per configuration (count), each starting the runtime afresh: a fixed number, or adaptive {min, max, precision} (docs/METHODOLOGY.md, 'Adaptive repetitions').
   */
  repetitions: number | AdaptiveRepetitions;
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
  /**
   * Claims file checked in the report: a path relative to the experiment file's folder, in or below it, ending in .claims.yaml; null checks no claims. Absent: experiments/paper.claims.yaml, the paper's findings.
   */
  claims?: string | null;
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
/**
 * Adaptive repetitions: every configuration runs `min` trials (in the seeded shuffled order), then rounds of one more trial for each configuration whose precision is short of the target, until it meets it or has run `max` trials. Stops on precision only, never on a comparison's outcome.
 */
export interface AdaptiveRepetitions {
  /**
   * Trials every configuration runs before any decision (count, at least 3: a bootstrap interval of a median from fewer says nothing).
   */
  min: number;
  /**
   * Most trials per configuration (count, at least min).
   */
  max: number;
  /**
   * The precision target of each configuration's median.
   */
  precision: {
    /**
     * Per-trial value whose median must be precise: gross energy per inference (falls back to latency, recorded, for a configuration whose ok trials lack energy) or median latency per inference.
     */
    metric: 'energyPerInference' | 'latency';
    /**
     * Target half-width of the 95 % percentile-bootstrap interval of the median, relative to the median (ratio; 0.02 = +/-2 %).
     */
    relativeHalfWidth: number;
  };
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
 * Which GPU cuda and tensorrt trials run on and are measured on. Other GPUs of the host are recorded as context (state, processes) and never counted in a trial's energy.
 */
export interface Gpu {
  /**
   * The one GPU trials run on, by NVML/PCI-bus index (0, 1, ...) or UUID ('GPU-...'). One GPU per trial: every adapter runs on the first device it sees, so a second GPU would only add its idle power to the trial's energy. Left out: the GPU the job was allocated (the first entry of an inherited CUDA_VISIBLE_DEVICES, as Slurm's --gres sets it), else the first GPU; a device outside CUDA_VISIBLE_DEVICES stops the run (exit 3). MIG devices cannot be measured (NVML energy covers the whole GPU) and are refused. Containers get only this device; the process runner sets CUDA_DEVICE_ORDER=PCI_BUS_ID and CUDA_VISIBLE_DEVICES to its UUID.
   *
   * @minItems 1
   * @maxItems 1
   */
  devices?: (number | string)[];
  /**
   * Keep TensorRT engines in a run-scoped cache folder, so only the first tensorrt trial of each configuration builds its engine (the build happens in warm-up either way and is timed separately).
   */
  tensorrtEngineCache?: boolean;
}
/** Keys of the document with a schema default (filled in by validation). */
export type ExperimentDefaultedKey = 'seed' | 'order' | 'weights' | 'runner' | 'threads' | 'sequenceLength' | 'trialTimeoutS' | 'memoryLimitMiB' | 'prebuiltModels' | 'power' | 'gpu';
/** Keys of /$defs/power with a schema default (filled in by validation). */
export type PowerDefaultedKey = 'sources' | 'required' | 'sampleHz' | 'baselineS' | 'cooldown';
/** Keys of /$defs/power/properties/cooldown with a schema default (filled in by validation). */
export type CooldownDefaultedKey = 'minS' | 'maxS' | 'powerTolerance' | 'temperatureToleranceC';
/** Keys of /$defs/gpu with a schema default (filled in by validation). */
export type GpuDefaultedKey = 'tensorrtEngineCache';

// gpu-check.schema.json
/**
 * artifacts/<runId>/gpu-check.json, written by `greenrt gpu-check` into the run it made: what the host has, the power sources and idle baseline, and every measurement rule evaluated on every trial (gpu-check.txt says the same for people).
 */
export interface GpuCheckFile {
  /**
   * What the GPU acceptance check needs, and whether this host has it.
   */
  host: {
    /**
     * What is checked.
     */
    name: string;
    /**
     * True when the host has it.
     */
    ok: boolean;
    /**
     * True when the check cannot run without it.
     */
    required: boolean;
    /**
     * What was found.
     */
    detail: string;
    /**
     * How to get it; null when nothing to fix.
     */
    fix: string | null;
  }[];
  /**
   * The host's GPUs, as NVML (or nvidia-smi) numbers them.
   */
  inventory: {
    /**
     * GPUs in PCI bus order.
     */
    gpus: GpuDevice[];
    /**
     * Which tool listed them; null when none works.
     */
    via: 'nvml' | 'nvidia-smi' | null;
    /**
     * NVIDIA driver version.
     */
    driverVersion: string | null;
    /**
     * Why no GPU is listed; null when the list came back.
     */
    reason: string | null;
  };
  /**
   * The run the check made (this folder).
   */
  runId: string;
  /**
   * The run manifest's power.sources.
   */
  sources: ManifestPowerSource[];
  /**
   * Energy counters and their detected update period.
   */
  counters: {
    /**
     * Power source.
     */
    source: 'nvml' | 'nvidia-smi' | 'rapl' | 'none';
    /**
     * Domain, e.g. 'gpu:0'.
     */
    domain: string;
    /**
     * Update period, ms (null when not detected).
     */
    updatePeriodMs: number | null;
    /**
     * True when updatePeriodMs is only an upper bound.
     */
    upperBound: boolean;
  }[];
  /**
   * The run manifest's power.baseline.
   */
  baseline: ManifestBaseline | null;
  /**
   * Every trial with a result, with each rule that would mark it invalid.
   */
  trials: {
    /**
     * Trial id.
     */
    trialId: string;
    /**
     * Trial status.
     */
    status: 'ok' | 'failed' | 'invalid' | 'unsupported';
    /**
     * The trial's reasons.
     */
    reasons: string[];
    /**
     * Energy per inference, J (null when unavailable).
     */
    energyPerInferenceJ: number | null;
    /**
     * How the trial's total energy was obtained.
     */
    provenance: 'counter' | 'integrated' | 'estimated' | 'unavailable';
    /**
     * The trial's energy readings.
     */
    readings: EnergyReading[];
    /**
     * State of the first measured GPU at the start.
     */
    gpuStart: GpuState | null;
    /**
     * State of the first measured GPU at the end.
     */
    gpuEnd: GpuState | null;
    /**
     * Each measurement rule: the value seen, the limit, pass or fail.
     */
    rules: {
      /**
       * The rule.
       */
      rule: string;
      /**
       * The value seen.
       */
      value: string;
      /**
       * The limit.
       */
      limit: string;
      /**
       * True when the value is within the limit.
       */
      pass: boolean;
    }[];
  }[];
  /**
   * True when every trial is ok and every rule passed.
   */
  allPass: boolean;
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
  /**
   * Whether MIG mode is on (nvmlDeviceGetMigMode current mode); null when the driver does not say (GPUs before Ampere, or nvidia-smi without mig.mode.current).
   */
  migEnabled?: boolean | null;
}
/**
 * What probing one configured power source found.
 */
export interface ManifestPowerSource {
  /**
   * Source as named in power.sources.
   */
  source: 'nvml' | 'nvidia-smi' | 'rapl' | 'none';
  /**
   * True when the source measures at least one domain.
   */
  available: boolean;
  /**
   * What it measures.
   */
  domains: ManifestPowerDomain[];
  /**
   * Why the source (or part of it) does not work; null when it fully works.
   */
  reason: string | null;
  /**
   * How to fix it; null when nothing to fix.
   */
  fix: string | null;
  /**
   * Driver version, device names, zone paths.
   */
  detail: string | null;
}
/**
 * One thing a power source measures.
 */
export interface ManifestPowerDomain {
  /**
   * Source that samples it.
   */
  source: 'nvml' | 'nvidia-smi' | 'rapl';
  /**
   * 'gpu:0', 'package-0', 'dram-0'.
   */
  domain: string;
  /**
   * Distinct physical hardware, for totals: two sources measuring 'gpu:0' are the same GPU.
   */
  hardware: string;
  /**
   * Its energy counter (null without one).
   */
  counter: {
    /**
     * Smallest step of the counter as read, J.
     */
    resolutionJ: number;
    /**
     * How often the hardware updates the counter, ms (null until detected).
     */
    updatePeriodMs: number | null;
    /**
     * True when updatePeriodMs is only an upper bound (the counter changed on every read).
     */
    updatePeriodIsUpperBound: boolean;
    /**
     * Assumed relative accuracy of the energy (ratio).
     */
    accuracyRel: number;
  } | null;
  /**
   * Its power reading (null without one).
   */
  power: {
    /**
     * instantPowerW, or averagePowerW (smoothed by the sensor, never integrated as instant).
     */
    quantity: 'instantPowerW' | 'averagePowerW';
    /**
     * For averagePowerW: the sensor's averaging window, ms (null if unknown).
     */
    averagingWindowMs: number | null;
    /**
     * Assumed relative accuracy of one power reading (ratio).
     */
    accuracyRel: number;
  } | null;
  /**
   * Whether the domain reports a temperature (GPUs), used by the cool-down gate.
   */
  temperature: boolean;
  /**
   * Human detail: device name, zone path.
   */
  label: string;
}
/**
 * The idle baseline: mean power per domain over a measured span, or why there is none (then no startNs/endNs).
 */
export interface ManifestBaseline {
  /**
   * Start of the measured span, CLOCK_MONOTONIC ns (decimal string).
   */
  startNs?: string;
  /**
   * End of the measured span, CLOCK_MONOTONIC ns (decimal string).
   */
  endNs?: string;
  /**
   * Length of the measured span, ms (0 when none was measured).
   */
  durationMs: number;
  /**
   * Idle power per domain.
   */
  domains: {
    /**
     * Source that sampled it.
     */
    source: 'nvml' | 'nvidia-smi' | 'rapl';
    /**
     * 'gpu:0', 'package-0', 'dram-0'.
     */
    domain: string;
    /**
     * Physical hardware it belongs to.
     */
    hardware: string;
    /**
     * Mean idle power, W (null when it could not be measured).
     */
    powerW: number | null;
    /**
     * How an energy value was obtained: counter (a hardware energy counter read at the window edges), integrated (power samples integrated over the window), estimated (a model, not a measurement), unavailable (not measured; see reason).
     */
    provenance: 'counter' | 'integrated' | 'estimated' | 'unavailable';
    /**
     * Mean idle temperature, degrees C (GPUs; null otherwise).
     */
    temperatureC: number | null;
  }[];
  /**
   * Why the baseline is missing or partial; null when complete.
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
  /**
   * How an energy value was obtained: counter (a hardware energy counter read at the window edges), integrated (power samples integrated over the window), estimated (a model, not a measurement), unavailable (not measured; see reason).
   */
  provenance: 'counter' | 'integrated' | 'estimated' | 'unavailable';
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

// host-shard.schema.json
/**
 * <tmpdir>/greenrt-shards/<pid>.json: a shard run (`greenrt run --shard`) running on this host, registered while it runs so that a second shard on the same host refuses to start unless both say --shared-host. Written atomically when the shard starts, removed when it ends; entries of dead processes are removed by the next shard.
 */
export interface HostShard {
  /**
   * Process id of the shard run; equals the file name's.
   */
  pid: number;
  /**
   * Run id of the shard run (its run folder's name); shown in the refusal of another shard, so no control characters.
   */
  runId: string;
  /**
   * Started with --shared-host: may share the host with other --shared-host shards.
   */
  sharedHost: boolean;
  /**
   * The GPU this shard measures (its energy goes into the shard's trials); null when it measures none. A --shared-host shard whose GPU another running shard measures refuses to start (exit 3). Absent in entries written before it was recorded: such a shard's GPU is unknown and not compared.
   */
  gpu?: {
    /**
     * NVML index of the GPU (PCI-bus order, the same for every process on the host).
     */
    index: number;
    /**
     * The GPU's UUID; null when the inventory had none.
     */
    uuid: string | null;
    /**
     * How the shard chose it: gpu.devices, CUDA_VISIBLE_DEVICES=<entries>, or first GPU; shown in another shard's refusal, so no control characters.
     */
    selectedBy: string;
  } | null;
}

// image-archive.schema.json
/**
 * <dir>/<runtime>-<flavour>-<hash12>.json beside <dir>/<runtime>-<flavour>-<hash12>.tar: one runtime image saved by `greenrt images save` (the `docker save` archive) and what identifies it. `greenrt images load` checks the archive against it before and after loading.
 */
export interface ImageArchiveRecord {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Runtime the image runs.
   */
  runtime: 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino';
  /**
   * Image flavour.
   */
  flavour: 'cpu' | 'cuda' | 'tensorrt';
  /**
   * greenrt/<runtime>:<flavour>-<hash12>: the tag the archive carries and `images load` restores.
   */
  tag: string;
  /**
   * The image's identity: SHA-256 of its config JSON (the image id on the classic store; the same on the containerd store, whose image id is the manifest's digest).
   */
  configDigest: string;
  /**
   * SHA-256 of each uncompressed layer, base first (the config's rootfs.diff_ids).
   */
  diffIds: string[];
  /**
   * Uncompressed image size the engine reported when saving, bytes.
   */
  imageSizeBytes: number;
  /**
   * The archive file beside this record.
   */
  archive: {
    /**
     * File name of the archive, in the same folder as this record.
     */
    file: string;
    /**
     * Archive size, bytes.
     */
    bytes: number;
    /**
     * SHA-256 (hex) of the archive bytes, computed while writing it.
     */
    sha256: string;
  };
  /**
   * The recipe: what the image was built from (its labels and the checkout that saved it).
   */
  builtFrom: {
    /**
     * SHA-256 (hex) of the build context and build arguments (the image's dev.greenrt.context-hash label; the tag's suffix is its first 12 hex).
     */
    contextHash: string;
    /**
     * SHA-256 (hex) of each lock file in the build context (apt and pip locks), by path inside the context; empty when the saving checkout does not build this tag.
     */
    lockFiles: {
      [k: string]: string;
    };
    /**
     * Base image reference the Dockerfile builds on (null when unknown).
     */
    baseImage: string | null;
    /**
     * Id of that base on the saving engine (null when it is not there).
     */
    baseImageId: string | null;
  };
  /**
   * The Docker engine that wrote the archive.
   */
  savedBy: {
    /**
     * Daemon version, e.g. 20.10.24+dfsg1.
     */
    engineVersion: string;
    /**
     * Engine API version, e.g. 1.41.
     */
    apiVersion: string;
    /**
     * Storage driver (overlay2, ...; a containerd snapshotter on the containerd store).
     */
    storageDriver: string;
  };
  /**
   * When the archive was written (ISO 8601, UTC).
   */
  savedAt: string;
}

// image-description-cache.schema.json
/**
 * What the image holds: harness describe output, Debian packages, the CUDA build record (null when not described).
 */
export type ImageDescriptionRecord = {
  /**
   * `python3 -m greenrt_harness describe` output (null when it failed).
   */
  harness: HarnessDescription | null;
  /**
   * Why describe failed, when it did (the image is still usable).
   */
  harnessError: string | null;
  /**
   * Debian packages installed in the image (null when dpkg-query failed).
   */
  dpkg: {
    /**
     * Installed packages (count).
     */
    count: number;
    /**
     * SHA-256 (hex) of the sorted `package<TAB>version` lines.
     */
    sha256: string;
    /**
     * Versions of the packages that matter for a measurement (python, libc, BLAS, CUDA, frameworks), by package.
     */
    selected: {
      [k: string]: string;
    };
  } | null;
  /**
   * The image's /opt/greenrt/packages/cuda.json (written by images/common/docker/cuda_check.py at build time; null for cpu images). Open: cuda_check.py adds runtime-specific facts (archsInBinary, providersBuilt, ...) beside the fields listed here.
   */
  cuda: {
    /**
     * Runtime of the image.
     */
    runtime: string;
    /**
     * Image flavour.
     */
    flavour: string;
    /**
     * CUDA toolkit the framework was built with ('12.4'); null when it cannot tell.
     */
    cuda: string | null;
    /**
     * cuDNN version; null when it cannot tell.
     */
    cudnn: string | null;
    /**
     * Kernel architectures: 'sm_XY' machine code (SASS), 'compute_XY' PTX.
     */
    archs: string[];
    /**
     * How archs was read.
     */
    archSource: string | null;
    /**
     * Oldest NVIDIA driver that runs the image's CUDA libraries.
     */
    minDriver: string | null;
    /**
     * Oldest driver that can JIT its PTX (only when the image has PTX).
     */
    minDriverPtxJit?: string;
    /**
     * Libraries present but unusable by design, with why.
     */
    knownUnavailable: {
      [k: string]: string;
    };
    /**
     * onnxruntime images only: the TensorRT provider probe (images/onnxruntime/greenrt_tensorrt.py), run without a GPU.
     */
    tensorrt?: {
      /**
       * Path of libonnxruntime_providers_tensorrt.so in the image.
       */
      providerLibrary: string;
      /**
       * TensorRT version (major.minor.patch) the provider passes to createInferBuilder_INTERNAL, read from its machine code; null when unreadable.
       */
      builtAgainst?: string | null;
      /**
       * Why builtAgainst could not be read.
       */
      builtAgainstError?: string;
      /**
       * The provider's TensorRT sonames and the path the loader resolves each to (ldd); null: not found.
       */
      resolved?: {
        [k: string]: string | null;
      };
      /**
       * TensorRT version (major.minor.patch) that libnvinfer's getInferLibVersion() returns; null when there is none to load.
       */
      loaded?: string | null;
      /**
       * Why the resolved libnvinfer could not be asked its version.
       */
      loadedError?: string;
      /**
       * A [TensorRT, CUDA, CPU] session on a fixture model, without a GPU.
       */
      session?: {
        /**
         * Exit status of the session process (negative: killed by that signal).
         */
        exit: number;
        /**
         * How the session ended: tensorrt-ok and driver-only pass; crashed-after-load (a signal once every library loaded) is recorded, not judged; tensorrt-missing fails the tensorrt flavour (absent by design in cuda); tensorrt-mismatch, library-missing and unclassified fail.
         */
        verdict:
          | 'tensorrt-ok'
          | 'driver-only'
          | 'tensorrt-missing'
          | 'tensorrt-mismatch'
          | 'library-missing'
          | 'crashed-after-load'
          | 'unclassified';
        /**
         * The error line the verdict rests on.
         */
        detail: string;
      };
    };
    /**
     * Libraries checked (count).
     */
    librariesChecked: number;
    /**
     * What the check found wrong.
     */
    problems: string[];
    /**
     * True when problems is empty.
     */
    ok: boolean;
  } | null;
} | null;

/**
 * <cacheDir>/<image id hex>.json (default .build/images/ in the checkout): an image's description, cached per image id by `describeImage` (an image id never changes content). The description is the manifest's images[].description (an entry holding null is not used). Written atomically; read back only when it matches this schema and names the image it is the file of, else the image is described again.
 */
export interface ImageDescriptionCacheEntry {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Content-addressed id of the image described (sha256:...); must match the file name.
   */
  imageId: string;
  description: ImageDescriptionRecord;
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
     * The ONNX Runtime shared library the embedded runtime ran on, as greenrt's process mapped it (null when no embedded trial is planned, or off Linux). Builds of one release differ: onnxruntime-node's library is not the PyPI wheel's (it also links the WebGPU execution provider), so part of a difference between embedded and onnxruntime trials can be the build; the SHA-256 says which build ran.
     */
    onnxruntimeNodeLibrary?: {
      /**
       * Path of the mapped libonnxruntime shared library.
       */
      file: string;
      /**
       * SHA-256 of that file.
       */
      sha256: string;
    } | null;
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
     * repetition: repetition r goes to shard r mod N, so every shard runs every configuration; configuration: configuration i (in id order) goes to shard i mod N; rotation (adaptive repetitions, one round per shard run): repetition r of configuration i (in the plan's seeded order) goes to shard (i + r - 1) mod N.
     */
    partition: 'repetition' | 'configuration' | 'rotation';
    /**
     * rotation only: the adaptive round this shard ran (1-based; round 1 is every configuration's min repetitions); planTrialCount is then the round's trial count.
     */
    round?: number;
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
   * Set when the experiment has adaptive repetitions: the rule, the rounds planned so far and every decision taken after a round, so the run can be audited and resumed (docs/METHODOLOGY.md, 'Adaptive repetitions'). Recomputed from the trial results on resume.
   */
  adaptive?: {
    rule: AdaptiveRepetitions;
    /**
     * How a configuration's precision is computed: the same interval of the median the report shows.
     */
    interval?: {
      /**
       * Interval method.
       */
      method: 'percentile bootstrap of the median';
      /**
       * Confidence level (ratio).
       */
      confidence: number;
      /**
       * Bootstrap resamples (count).
       */
      resamples: number;
      /**
       * How each configuration's bootstrap seed is derived.
       */
      seed: string;
    };
    /**
     * Rounds in plan order: round 1 is every configuration's first min trials.
     */
    rounds: {
      /**
       * Round number (1-based).
       */
      round: number;
      /**
       * Shuffle seed of the round (round 1: the plan seed; later: derived from the plan seed and the round number).
       */
      seed: number;
      /**
       * Position of the round's first trial in plan.trialIds.
       */
      firstIndex: number;
      /**
       * Trials in the round (count).
       */
      count: number;
    }[];
    /**
     * One entry per finished round: every configuration still active, its precision and what was decided.
     */
    decisions: {
      /**
       * The round whose results were decided on.
       */
      afterRound: number;
      /**
       * The round this decision started; null when every configuration stopped.
       */
      nextRound: number | null;
      configurations: {
        /**
         * Configuration: the trial id without its repetition suffix.
         */
        configuration: string;
        /**
         * Trials run so far, any status (count).
         */
        trials: number;
        /**
         * Ok trials with a value of the metric (count).
         */
        okTrials: number;
        /**
         * Metric the precision was computed on.
         */
        metric: 'energyPerInference' | 'latency';
        /**
         * Why latency stands in for energy per inference; null when the rule's metric was used.
         */
        fallbackReason: string | null;
        /**
         * Median of the ok trials' values (J per inference, or ms per inference for latency).
         */
        median: number | null;
        /**
         * Half-width of the 95 % bootstrap interval of the median / the median (ratio); null when fewer than 2 ok trials.
         */
        relativeHalfWidth: number | null;
        /**
         * extend: one more trial next round; met: precision target met; max: max trials reached short of the target; unmeasurable: fewer than 2 ok trials.
         */
        outcome: 'extend' | 'met' | 'max' | 'unmeasurable';
        /**
         * The decision in words.
         */
        reason: string;
      }[];
    }[];
  };
  /**
   * Set on a run made by greenrt merge: the shards it joins and the node each ran on.
   */
  merge?: {
    /**
     * Partition of the merged shards (rotation: adaptive rounds, one shard run per round and shard).
     */
    partition: 'repetition' | 'configuration' | 'rotation';
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
       * rotation only: the adaptive round the shard run ran (1-based).
       */
      round?: number;
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
      /**
       * How the shard's node got each image (from the shard's manifest.images).
       */
      images?: {
        /**
         * Image tag.
         */
        tag: string;
        /**
         * Config digest on that node (null: the shard's manifest predates it).
         */
        configDigest: string | null;
        /**
         * built, present (tag already there) or loaded from the study's saved images; null when the shard's manifest predates it.
         */
        obtained: 'built' | 'present' | 'loaded' | null;
      }[];
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
  images: ManifestImage[];
  /**
   * Model files used (model, source, path, sha256, conversion check), or why one could not be prepared.
   */
  models: (ManifestModel | ManifestModelError)[];
  power: {
    /**
     * Each configured source: available or not, and why.
     */
    sources: ManifestPowerSource[];
    /**
     * Idle baseline power per domain (W), how long it was measured, or why it is missing (null before it is measured).
     */
    baseline: ManifestBaseline | null;
  };
  /**
   * The GPU selection and the architecture pre-flight (null when the run has no GPU trials and no GPU was found).
   */
  gpu?: {
    /**
     * The GPU the trials run on and are measured on (experiment gpu.devices, else the allocation in CUDA_VISIBLE_DEVICES, else the first).
     */
    measured: GpuDevice[];
    /**
     * How the measured GPU was chosen, and the allocation it had to be in.
     */
    selectedBy?: {
      /**
       * The experiment's gpu.devices, the inherited CUDA_VISIBLE_DEVICES (e.g. Slurm --gres), or the host's first GPU.
       */
      from: 'gpu.devices' | 'CUDA_VISIBLE_DEVICES' | 'first GPU';
      /**
       * CUDA_VISIBLE_DEVICES as greenrt inherited it; null when unset.
       */
      cudaVisibleDevices: string | null;
      /**
       * The GPUs CUDA_VISIBLE_DEVICES names, mapped to UUIDs through NVML (indices in NVML/PCI-bus order); null when unset.
       */
      allocatedUuids: string[] | null;
    };
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
   * Trials per configuration (count), each starting the runtime afresh: a fixed number, or adaptive {min, max, precision} (docs/METHODOLOGY.md, 'Adaptive repetitions').
   */
  repetitions: number | AdaptiveRepetitions;
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
  /**
   * Claims file checked in the report: a path relative to the experiment file's folder, in or below it, ending in .claims.yaml; null checks no claims. Absent: experiments/paper.claims.yaml, the paper's findings.
   */
  claims?: string | null;
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
 * An image a run used (built or reused): manifest.images[].
 */
export interface ManifestImage {
  /**
   * Runtime the image runs.
   */
  runtime: 'pytorch' | 'tensorflow' | 'mxnet' | 'onnxruntime' | 'openvino';
  /**
   * Image flavour.
   */
  flavour: 'cpu' | 'cuda' | 'tensorrt';
  /**
   * greenrt/<runtime>:<flavour>-<hash12>.
   */
  tag: string;
  /**
   * Image id on the engine that ran the trials (sha256:...): the config digest on the classic store, the manifest's digest on the containerd store.
   */
  imageId: string;
  /**
   * The image's identity: SHA-256 of its config JSON, the same on every engine and image store and across `docker save`/`load`. Absent in manifests written before greenrt recorded it (merge and verify then compare imageId, with a note).
   */
  configDigest?: string;
  /**
   * SHA-256 of each uncompressed layer, base first (the config's rootfs.diff_ids).
   */
  diffIds?: string[];
  /**
   * How this run's host got the image: built it, found the tag already there, or loaded it from saved archives (`greenrt run --images`, every Slurm shard). Absent in older manifests.
   */
  obtained?: 'built' | 'present' | 'loaded';
  /**
   * The archive record it was loaded from (absolute path) when obtained is loaded; null otherwise.
   */
  loadedFrom?: string | null;
  /**
   * Same as imageId: written by greenrt 0.1.0 runs before the manifest's image record was closed, so that their folders still validate; no longer written.
   */
  id?: string;
  /**
   * Registry digests; empty for images built locally and never pushed.
   */
  repoDigests: string[];
  /**
   * Uncompressed image size, bytes.
   */
  sizeBytes: number;
  /**
   * When the image was built (ISO 8601, from the daemon).
   */
  created: string;
  /**
   * Hash of the build context (the tag's suffix is its first 12 hex).
   */
  contextHash: string;
  /**
   * Build arguments, by name.
   */
  buildArgs: {
    [k: string]: string;
  };
  /**
   * Base image reference built from (null: the Dockerfile default could not be read).
   */
  baseImage: string | null;
  /**
   * Base image id when it exists locally (null for a base the daemon pulls).
   */
  baseImageId: string | null;
  /**
   * True when this run built the image; false when the tag already existed.
   */
  built: boolean;
  /**
   * Time spent checking or building the image, ms.
   */
  durationMs: number;
  description: ImageDescriptionRecord;
}
/**
 * A model file a run used: manifest.models[].
 */
export interface ManifestModel {
  /**
   * Model name.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Framework the model comes from.
   */
  source: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Folder handed to runners as modelDir (the prepared folder, or the prebuilt file's folder).
   */
  dir: string;
  /**
   * The ONNX file, when there is one.
   */
  onnxFile: string | null;
  /**
   * SHA-256 of the ONNX file, else of prepared.json (which lists every native file's hash).
   */
  sha256: string;
  /**
   * True for a file named in the experiment's prebuiltModels.
   */
  prebuilt: boolean;
  /**
   * True when the prepared model came from the model cache.
   */
  cacheHit: boolean;
  /**
   * ONNX export vs the source framework on the same seeded inputs (null when not checked; see conversionNote).
   */
  conversion: {
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
   * Why the conversion was not checked (a prebuilt file without reference outputs).
   */
  conversionNote: string | null;
  /**
   * ONNX exporter and its version (null without an export).
   */
  exporter: string | null;
  /**
   * Package versions the preparing image used, by name (prepared.json's environment; null for prebuilt files).
   */
  environment: {
    [k: string]: string;
  } | null;
  /**
   * Every file the preparing image wrote, with its SHA-256 (prepared.json's files; null for prebuilt files).
   */
  files:
    | {
        /**
         * Path relative to the prepared folder.
         */
        path: string;
        /**
         * SHA-256 of the file (hex).
         */
        sha256: string;
        /**
         * Size, bytes.
         */
        bytes: number;
      }[]
    | null;
}
/**
 * A model that could not be prepared: its trials fail with this reason.
 */
export interface ManifestModelError {
  /**
   * Model name.
   */
  model: 'resnet50' | 'mobilenet_v2' | 'bert_base_uncased';
  /**
   * Framework the model comes from.
   */
  source: 'pytorch' | 'tensorflow' | 'mxnet';
  /**
   * Why the model could not be prepared.
   */
  error: string;
}
// run-summary.schema.json
/**
 * Energy of a configuration (energy: gross; netEnergy: net of the idle baseline): descriptives over its ok trials of the energy per inference (perInferenceJ, J, one value per trial) and per sample (perSampleJ, J), or why it is unavailable.
 */
export type EnergySummary =
  | {
      /**
       * Energy was obtained.
       */
      available: true;
      /**
       * Weakest provenance among the trials (counter > integrated > estimated).
       */
      provenance: 'counter' | 'integrated' | 'estimated';
      perInferenceJ: Descriptives;
      perSampleJ: Descriptives;
      /**
       * Why some trials' totals are partial (e.g. a CPU domain missing); empty when complete.
       */
      partialReasons: string[];
    }
  | {
      /**
       * No energy.
       */
      available: false;
      /**
       * Not measured.
       */
      provenance: 'unavailable';
      /**
       * Why.
       */
      reason: string;
    };
/**
 * A per-trial value: latencyMs (median per-inference latency, ms), energyPerInferenceJ (gross GPU + CPU + DRAM, J), netEnergyPerInferenceJ (the same net of the idle baseline, J), cpuNetEnergyPerInferenceJ (RAPL domains net of idle, J), gpuNetEnergyPerInferenceJ (GPU net of idle, J), gpuUtilizationPercent (mean NVML GPU utilisation over the measured window, %), runTimeS (the measured window, s), runNetEnergyJ (net energy over the measured window, J).
 */
export type ClaimMetric =
  | 'latencyMs'
  | 'energyPerInferenceJ'
  | 'netEnergyPerInferenceJ'
  | 'cpuNetEnergyPerInferenceJ'
  | 'gpuNetEnergyPerInferenceJ'
  | 'gpuUtilizationPercent'
  | 'runTimeS'
  | 'runNetEnergyJ';
/**
 * A check's or a group's sub-verdict: 'not testable here' when none of its data exists in the run.
 */
export type SubVerdict = 'reproduced' | 'not reproduced' | 'inconclusive' | 'not testable here';
/**
 * Configurations left out, with why.
 */
export type Missing = {
  /**
   * Configuration.
   */
  id: string;
  /**
   * Why it was left out.
   */
  reason: string;
}[];

/**
 * artifacts/<runId>/summary.json: the report's statistics per configuration, the group tests, the claim verdicts with their numbers, and the report's warnings, for machines. Written atomically by `greenrt run` and `greenrt report`; latencies in ms, energies in J.
 */
export interface RunSummaryFile {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * Run id (the run folder's name).
   */
  runId: string;
  /**
   * The run manifest's greenrt record: which greenrt made the run.
   */
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
   * Claims file checked (relative to the greenrt package when inside it); null when claims were skipped.
   */
  claimsFile: string | null;
  summary: RunSummary;
  /**
   * Each claim's verdict and numbers; null when claims were skipped or the claims file could not be read.
   */
  claims: ClaimResultRecord[] | null;
  /**
   * Why the claims were not evaluated (the claims file could not be read or parsed); null otherwise.
   */
  claimsError: string | null;
  /**
   * 'Does the mode explain it?': each claim that compares framework runtimes, evaluated under each combination of the execution modes the run measured; null when claims were skipped.
   */
  claimsByMode?:
    | {
        /**
         * Claim id.
         */
        id: string;
        /**
         * The study's finding number, if any.
         */
        finding: number | null;
        /**
         * The claim as the study stated it.
         */
        text: string;
        /**
         * Framework runtimes the claim selects (catalogue order).
         */
        frameworks: string[];
        rows: {
          /**
           * framework runtime -> the execution mode its trials ran in.
           */
          modes: {
            [k: string]: string;
          };
          /**
           * Every involved framework in its default mode (the main claims table's verdict).
           */
          defaults: boolean;
          /**
           * The claim's outcome under this mode combination.
           */
          verdict: 'reproduced' | 'not reproduced' | 'inconclusive';
          /**
           * Why.
           */
          reason: string;
        }[];
      }[]
    | null;
  /**
   * Problems met while producing the report (rendering, claims), also listed in it.
   */
  warnings: SummaryWarning[];
}
/**
 * Statistics over the run's trial results.
 */
export interface RunSummary {
  trials: SummaryTrialCounts;
  /**
   * One entry per configuration with trials.
   */
  configurations: ConfigurationSummary[];
  /**
   * Kruskal-Wallis tests per model, batch size and metric.
   */
  groupTests: GroupTest[];
  /**
   * How the statistics were computed (the report's method section reads it).
   */
  method: {
    /**
     * What one trial contributes.
     */
    trialValue: string;
    /**
     * Quantile method.
     */
    quantiles: string;
    /**
     * Standard deviation definition.
     */
    sd: string;
    intervals: {
      /**
       * Interval method.
       */
      method: 'percentile bootstrap';
      /**
       * Confidence level (ratio).
       */
      confidence: number;
      /**
       * Bootstrap resamples (count).
       */
      resamples: number;
      /**
       * Base seed of the bootstrap (the plan's seed).
       */
      seed: number;
    };
  };
}
/**
 * Trials by status (count).
 */
export interface SummaryTrialCounts {
  /**
   * Trials (count).
   */
  total: number;
  /**
   * Trials ok (count).
   */
  ok: number;
  /**
   * Trials failed (count).
   */
  failed: number;
  /**
   * Trials invalid (count).
   */
  invalid: number;
  /**
   * Trials refused before running (count).
   */
  unsupported: number;
}
/**
 * One configuration (runtime, source, model, provider, execution mode, batch size) over its trials.
 */
export interface ConfigurationSummary {
  /**
   * runtime/source/model/provider/b<batch>.
   */
  id: string;
  /**
   * The configuration's dimensions.
   */
  key: {
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
     * Samples per inference.
     */
    batchSize: number;
    /**
     * Execution mode, present only when it is not the runtime's default (catalogue/catalogue.json).
     */
    mode?:
      'eager' | 'torchscript' | 'compile' | 'keras-predict' | 'keras-call' | 'function' | 'imperative' | 'hybridized';
  };
  trials: SummaryTrialCounts;
  /**
   * Distinct reasons of failed, invalid and unsupported trials, with counts.
   */
  excluded: {
    /**
     * Status of the trials left out.
     */
    status: 'failed' | 'invalid' | 'unsupported';
    /**
     * Their reason.
     */
    reason: string;
    /**
     * Trials with this status and reason (count).
     */
    count: number;
  }[];
  /**
   * Latency per inference, ms.
   */
  latencyMs: {
    /**
     * One value per ok trial (the trial's median latency), ms; null without ok trials.
     */
    perTrialMedian: Descriptives | null;
    /**
     * All ok trials' latencies pooled, ms (no intervals: latencies within a trial are not independent); null without ok trials.
     */
    pooled: Descriptives | null;
  };
  /**
   * Samples per second, one value per ok trial; null when not reported.
   */
  throughputSamplesPerS: Descriptives | null;
  energy: EnergySummary;
  netEnergy: EnergySummary;
  /**
   * Shapiro-Wilk over the per-trial values (n >= 3), to tell the report whether means are apt.
   */
  normality: {
    /**
     * Over the per-trial median latencies (null when n < 3).
     */
    latencyMs: ShapiroWilkResult | null;
    /**
     * Over the per-trial energies per inference (null when n < 3 or no energy).
     */
    energyPerInferenceJ: ShapiroWilkResult | null;
  };
}
/**
 * Descriptives of one sample; every value is in the unit of the sample.
 */
export interface Descriptives {
  /**
   * Sample size (count).
   */
  n: number;
  /**
   * Median.
   */
  median: number;
  /**
   * First quartile (numpy 'linear').
   */
  q1: number;
  /**
   * Third quartile (numpy 'linear').
   */
  q3: number;
  /**
   * Interquartile range q3 - q1.
   */
  iqr: number;
  /**
   * Mean.
   */
  mean: number;
  /**
   * Sample SD (n - 1); null when n < 2.
   */
  sd: number | null;
  /**
   * Smallest value.
   */
  min: number;
  /**
   * Largest value.
   */
  max: number;
  /**
   * Bootstrap interval of the median; null when n < 2 or intervals were not requested.
   */
  ciMedian: SummaryInterval | null;
  /**
   * Bootstrap interval of the mean; null when n < 2 or intervals were not requested.
   */
  ciMean: SummaryInterval | null;
}
/**
 * Percentile-bootstrap interval, in the unit of the data.
 */
export interface SummaryInterval {
  /**
   * Lower bound.
   */
  lower: number;
  /**
   * Upper bound.
   */
  upper: number;
}
/**
 * Shapiro-Wilk test over the per-trial values.
 */
export interface ShapiroWilkResult {
  /**
   * W statistic (unitless, 0..1; 1 = perfectly normal-looking).
   */
  w: number;
  /**
   * p-value of 'the sample comes from a normal distribution'.
   */
  p: number;
  /**
   * Sample size (count).
   */
  n: number;
  /**
   * Why the result is degenerate (zero range), else null.
   */
  warning: string | null;
}
/**
 * Kruskal-Wallis across the configurations that share a model and batch size, on one metric.
 */
export interface GroupTest {
  /**
   * Model.
   */
  model: string;
  /**
   * Samples per inference.
   */
  batchSize: number;
  /**
   * Metric compared (per-trial values).
   */
  metric: 'latencyMs' | 'energyPerInferenceJ';
  /**
   * Configurations compared (those with values for the metric).
   */
  configurations: string[];
  /**
   * The test (null when it could not be run; see note).
   */
  result: {
    /**
     * H statistic, tie-corrected (unitless).
     */
    h: number;
    /**
     * Degrees of freedom: groups - 1.
     */
    df: number;
    /**
     * p-value (chi-square with df degrees of freedom).
     */
    p: number;
  } | null;
  /**
   * Why no test was run, or which configurations were left out.
   */
  note: string | null;
}
/**
 * One claim of the claims file checked against this run.
 */
export interface ClaimResultRecord {
  /**
   * Claim id.
   */
  id: string;
  /**
   * Number of the paper's finding it checks (null when none).
   */
  finding: number | null;
  /**
   * The claim as the paper states it.
   */
  text: string;
  /**
   * reproduction: the study stated it; extension: greenrt asks more (counted apart).
   */
  scope: 'reproduction' | 'extension';
  /**
   * Paper versions whose text states it (empty: secondary sources only).
   */
  paperVersions: ('v1' | 'v2')[];
  /**
   * Where the claim comes from.
   */
  source: string;
  /**
   * How it is tested.
   */
  test: 'less' | 'indistinguishable' | 'ratio' | 'correlation';
  /**
   * Outcome; missing data makes a claim inconclusive, never reproduced or not.
   */
  verdict: 'reproduced' | 'not reproduced' | 'inconclusive';
  /**
   * Why, in words a reader can act on.
   */
  reason: string;
  /**
   * What the energy the verdict rests on covers: total (GPU + CPU as measured), gpu-only (the run measured no CPU energy, e.g. no RAPL, so energy metrics were read from the GPU readings alone; counted apart from total-energy verdicts), null (the verdict rests on no total-energy metric or none had data). Absent in runs made before it existed.
   */
  energyScope?: 'total' | 'gpu-only' | null;
  /**
   * Pair claims' further checks, each with its own sub-verdict (empty when the claim has none).
   */
  checks: ClaimCheckResult[];
  /**
   * The numbers behind the verdict: pairwise comparisons, or a correlation.
   */
  numbers:
    | {
        /**
         * One A-vs-B comparison per pair.
         */
        comparisons: ClaimComparison[];
      }
    | {
        correlation: ClaimCorrelation;
      };
}
/**
 * A further check of a pair claim (a stated mechanism or a secondary metric) with its sub-verdict.
 */
export interface ClaimCheckResult {
  /**
   * Short name shown in the report.
   */
  label: string;
  /**
   * mechanism: the study's stated explanation; secondary: a metric the claim's wording implies.
   */
  role: 'mechanism' | 'secondary';
  metric: ClaimMetric;
  /**
   * A against B.
   */
  test: 'less' | 'greater' | 'notGreater' | 'notLess';
  /**
   * Why this check follows from the study's words.
   */
  why: string | null;
  verdict: SubVerdict;
  /**
   * Why.
   */
  reason: string;
  /**
   * Its comparisons.
   */
  comparisons: ClaimComparison[];
}
/**
 * One A-vs-B comparison on one metric (values in the metric's unit).
 */
export interface ClaimComparison {
  /**
   * Configuration A.
   */
  a: string;
  /**
   * Configuration B.
   */
  b: string;
  metric: ClaimMetric;
  /**
   * Trials of A with a value (count).
   */
  nA: number;
  /**
   * Trials of B with a value (count).
   */
  nB: number;
  /**
   * Median of A.
   */
  medianA: number | null;
  /**
   * Median of B.
   */
  medianB: number | null;
  /**
   * medianA / medianB.
   */
  ratio: number | null;
  /**
   * Mann-Whitney U of A (two-sided, asymptotic).
   */
  u: number | null;
  /**
   * p-value of U.
   */
  p: number | null;
  /**
   * Holm-adjusted over every comparison of the claim.
   */
  pAdjusted: number | null;
  /**
   * Cliff's delta of A against B (negative: A tends to be smaller).
   */
  cliffsDelta: number | null;
  /**
   * Magnitude of Cliff's delta (Romano et al. 2006 thresholds).
   */
  magnitude: 'negligible' | 'small' | 'medium' | 'large' | null;
  /**
   * Whether this pair supports the claim, contradicts it, or lacks data.
   */
  status: 'pass' | 'fail' | 'missing';
  /**
   * Why data is missing, or other detail.
   */
  note: string | null;
}
/**
 * Spearman correlation of per-configuration medians.
 */
export interface ClaimCorrelation {
  x: ClaimMetric;
  y: ClaimMetric;
  /**
   * Configurations used.
   */
  configurations: string[];
  missing: Missing;
  /**
   * Spearman's rho (null with too few configurations).
   */
  rho: number | null;
  /**
   * p-value of rho.
   */
  p: number | null;
  /**
   * `within` groups (e.g. batchSize = 1), each with its own rho and sub-verdict; empty without `within`.
   */
  groups?: ClaimCorrelationGroup[];
}
/**
 * One `within` group of a correlation claim, with its own rho and sub-verdict.
 */
export interface ClaimCorrelationGroup {
  /**
   * e.g. 'batchSize = 1'.
   */
  label: string;
  /**
   * Configurations used.
   */
  configurations: string[];
  missing: Missing;
  /**
   * Spearman's rho of the group.
   */
  rho: number | null;
  /**
   * p-value of rho.
   */
  p: number | null;
  verdict: SubVerdict;
  /**
   * Why.
   */
  reason: string;
}
/**
 * A problem met while producing the report (also listed in it).
 */
export interface SummaryWarning {
  /**
   * Report section it belongs to.
   */
  topic: 'run' | 'energy' | 'validity' | 'conversion' | 'cool-down' | 'gpu' | 'statistics' | 'report';
  /**
   * Inline Markdown (data strings escaped).
   */
  text: string;
}

// slurm-round-decision.schema.json
/**
 * <studyDir>/slurm/rounds/after-round-R.json: the adaptive rule's decision after round R of a rotation study, written by `greenrt slurm decide` from the stored trials of rounds 1..R and the experiment (the same pure function a one-node run uses; re-computed and compared when decide runs again, and by verify on the merged run).
 */
export interface SlurmRoundDecision {
  /**
   * Version of this format (unitless).
   */
  schemaVersion: 1;
  /**
   * The study (slurm/study.json studyId).
   */
  studyId: string;
  /**
   * planHash of the experiment's plan (round 1): identifies the study's plan.
   */
  planHash: string;
  /**
   * The round whose results were decided on (1-based).
   */
  afterRound: number;
  /**
   * The rule's target relative half-width of the median's 95 % interval (ratio).
   */
  target: number;
  /**
   * The rule's most trials per configuration (count).
   */
  max: number;
  /**
   * Every configuration that ran in the round, its precision and what was decided.
   *
   * @maxItems 100000
   */
  configurations: {
    /**
     * Configuration as in trial ids (the id without .rNN).
     */
    configuration: string;
    /**
     * Trials run so far, any status (count).
     */
    trials: number;
    /**
     * Ok trials with a value of the metric (count).
     */
    okTrials: number;
    /**
     * Metric the precision was computed on.
     */
    metric: 'energyPerInference' | 'latency';
    /**
     * Relative half-width of the median's 95 % bootstrap interval (ratio); null when it cannot be computed.
     */
    relativeHalfWidth: number | null;
    /**
     * extend: one more trial next round; met: target met; max: max trials reached short of it; unmeasurable: fewer than 2 ok trials.
     */
    outcome: 'extend' | 'met' | 'max' | 'unmeasurable';
  }[];
  /**
   * The round this decision starts, or null when every configuration stopped (then the merge follows).
   */
  nextRound: {
    /**
     * Round number (1-based).
     */
    round: number;
    /**
     * The round's shuffle seed (unitless).
     */
    seed: number;
    /**
     * The round's trials in its seeded order.
     *
     * @maxItems 100000
     */
    trialIds: string[];
    /**
     * Trial ids of each shard (index = shard K) in the round's order; an empty list means no job for that shard this round.
     *
     * @maxItems 10000
     */
    shards: string[][];
  } | null;
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
   * Number of shards N (count; `greenrt slurm submit --shards` takes 1 to 10000).
   */
  shards: number;
  /**
   * How the plan is split over the shards; rotation: an adaptive study, round by round (a job array per round and a decide job after it; repetition r of configuration i on shard (i + r - 1) mod N).
   */
  partition: 'repetition' | 'configuration' | 'rotation';
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
   * The study's saved images: every shard job loads the ones its node lacks before its first trial (`greenrt run --images`). Absent for studies without Docker images (the embedded runtime, the process runner) and in records written before images travelled with a study.
   */
  images?: {
    /**
     * Folder of the archives and their records (absolute; <studyDir>/images unless `slurm submit --images` named another).
     */
    dir: string;
    /**
     * True when `slurm submit` wrote the archives; false when --images named a folder saved before.
     */
    savedBySubmit: boolean;
    /**
     * The images the plan needs.
     */
    images: {
      /**
       * Image tag.
       */
      tag: string;
      /**
       * The image's config digest (its identity).
       */
      configDigest: string;
      /**
       * SHA-256 (hex) of its archive.
       */
      archiveSha256: string;
    }[];
  };
  /**
   * Every submission, oldest first.
   *
   * @maxItems 1000
   */
  submissions: {
    /**
     * When it was submitted (ISO 8601).
     */
    submittedAt: string;
    /**
     * Shard indices in this submission's array (each below shards).
     *
     * @maxItems 10000
     */
    indices: number[];
    /**
     * Slurm job id of the array (null for --dry-run).
     */
    arrayJobId: string | null;
    /**
     * Slurm job id of the merge-and-report job (afterok on the array; null for --dry-run, and for a round of a rotation study that a decide job follows).
     */
    mergeJobId: string | null;
    /**
     * rotation only: the adaptive round this submission runs (1-based), or after which the merge job was submitted.
     */
    round?: number;
    /**
     * rotation only: Slurm job id of the decide job (afterok on the round's array) that decides the next round or submits the merge; null when none follows.
     */
    decideJobId?: string | null;
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
     * Config digest of the image the trial ran (docker runner; the image's identity, see the manifest's images[].configDigest); null when the engine gave none. Absent in trials written before greenrt recorded it (verify then compares imageId).
     */
    configDigest?: string | null;
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
   * GPU utilisation over the measure window: the mean of the 'gpu' utilisation (share of time a kernel ran, NVML nvmlDeviceGetUtilizationRates or nvidia-smi utilization.gpu) sampled with power on the measured GPUs. Absent in results written before it was sampled.
   */
  gpuUtilization?: {
    /**
     * sampled: the mean of samples taken inside the window; unavailable: not sampled (see reason).
     */
    provenance: 'sampled' | 'unavailable';
    /**
     * Mean utilisation over the window and the measured GPUs, in %; null when unavailable.
     */
    meanPercent: number | null;
    /**
     * Samples inside the window (count, over all measured GPUs).
     */
    samples: number;
    /**
     * Where the samples came from; null when unavailable.
     */
    instrument: 'nvml' | 'nvidia-smi' | null;
    /**
     * Why unavailable (null when sampled).
     */
    reason: string | null;
  };
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

// vendored-inputs.schema.json
/**
 * vendor.json in a folder written by `greenrt images vendor` (<out>/<runtime>-<flavour>/): every .deb and wheel one image's build installs, each checked against the SHA-256 its lock file names, and the flat apt index over the .deb files. `greenrt images build --from <out>` checks the folder against the locks again before it builds with no network.
 */
export interface VendoredInputs {
  /**
   * Format version.
   */
  schemaVersion: 1;
  /**
   * Runtime whose image these inputs build (images/<runtime>).
   */
  runtime: string;
  /**
   * Image flavour (the tensorrt flavour has unhashed pins and cannot be vendored).
   */
  flavour: 'cpu' | 'cuda';
  /**
   * Base image the .deb files were resolved and downloaded in (the Dockerfile's BASE_IMAGE).
   */
  baseImage: string;
  /**
   * Its image id on the host that vendored (the apt locks hold the packages this base lacks); null when unknown.
   */
  baseImageId: string | null;
  /**
   * The lock files the folder was checked against, relative to the checkout, with their SHA-256 when vendored.
   */
  locks: {
    /**
     * Lock file, e.g. images/onnxruntime/apt.lock.
     */
    path: string;
    /**
     * SHA-256 (hex) of the lock file's bytes.
     */
    sha256: string;
  }[];
  /**
   * The .deb files under debs/, one per apt lock line.
   */
  debs: {
    /**
     * File name in debs/ (apt's name: package_version_arch.deb, epoch colon as %3a).
     */
    file: string;
    /**
     * Debian package name.
     */
    package: string;
    /**
     * Debian version, with its epoch.
     */
    version: string;
    /**
     * SHA-256 (hex), equal to the lock's.
     */
    sha256: string;
    /**
     * File size, bytes.
     */
    sizeBytes: number;
  }[];
  /**
   * The distribution files (wheels, or a locked sdist) under wheels/, one per pip lock requirement.
   */
  wheels: {
    /**
     * File name in wheels/.
     */
    file: string;
    /**
     * The lock's requirement, name==version.
     */
    requirement: string;
    /**
     * SHA-256 (hex), one of the lock's --hash values for that requirement.
     */
    sha256: string;
    /**
     * File size, bytes.
     */
    sizeBytes: number;
  }[];
  /**
   * The flat apt repository index apt reads (deb [trusted=yes] file:<folder>/debs ./): written from the .deb files' own control fields, so it adds no trust of its own.
   */
  index: {
    /**
     * Path in the folder.
     */
    file: 'debs/Packages';
    /**
     * SHA-256 (hex) of the index.
     */
    sha256: string;
  };
  /**
   * Bytes of every file in the folder (debs, wheels, index).
   */
  totalBytes: number;
  /**
   * When the folder was written (ISO 8601, UTC).
   */
  createdAt: string;
  /**
   * Wall-clock time of the vendoring (downloads and checks), milliseconds (measured with performance.now).
   */
  durationMs: number;
}
