/**
 * The one interface every way of running a trial implements (docker, process, embedded).
 * Failures of a trial are data (`failure`), never thrown; only environment errors (the engine
 * or the interpreter is gone) and aborts are thrown, so a run can stop cleanly and resume.
 * Room for schedulers later (Slurm/Kubernetes): a runner only needs these two calls.
 */
import type { PrepareSpec, PreparedModel, TrialOutput, TrialSpec } from '../contracts/index.js';
import type { BuiltImage } from '../images/index.js';

export type RunnerKind = 'docker' | 'process' | 'embedded';

export interface TrialRequest {
  /** The trial; the runner fills in modelDir and outputPath as the entrypoint sees them. */
  spec: Omit<TrialSpec, 'modelDir' | 'outputPath'>;
  /** Host folder holding the prepared model (mounted read-only for docker). */
  modelDir: string;
  /**
   * The .onnx file to run. Embedded runner: default modelDir/model.onnx. Docker and process runners: when set, the
   * entrypoint sees exactly this file as modelDir/model.onnx and nothing else of its folder (a supplied ONNX file
   * shares its folder with other models: the harness must neither pick another nor guess).
   */
  modelFile?: string;
  /** Host folder for this trial's spec, output and logs (created when missing). */
  workDir: string;
  /** Image to run (docker runner only; built elsewhere, see orchestrate's ImageProvider). */
  image?: BuiltImage;
  /** Bound on the whole trial (start to exit), ms. */
  timeoutMs: number;
  /** Memory limit, MiB; null: none. The process and embedded runners cannot enforce it (documented there). */
  memoryLimitMiB: number | null;
  /**
   * GPUs for cuda/tensorrt trials, by NVML/PCI-bus index ('0') or UUID ('GPU-...'): docker passes
   * them as DeviceRequests DeviceIDs, the process runner as CUDA_VISIBLE_DEVICES (with
   * CUDA_DEVICE_ORDER=PCI_BUS_ID). Undefined: the first GPU ('0'), never all.
   */
  gpuDevices?: string[];
  /** Run-scoped host folders that persist across the run's trials (mounted read-write). */
  caches?: TrialCaches;
  /** Called with process.hrtime.bigint() just before the entrypoint starts (power windows align to it). */
  onProcessStart?(monotonicNs: bigint): void;
}

/** Compile caches kept per run, so one-off compilation happens once, outside measured windows. */
export interface TrialCaches {
  /** CUDA compute cache for PTX JIT (CUDA_CACHE_PATH, CUDA_CACHE_MAXSIZE=4 GiB). */
  cudaComputeDir?: string;
  /** TensorRT engines (GREENRT_TRT_ENGINE_CACHE, read by the onnxruntime adapter). */
  tensorrtEngineDir?: string;
}

/** Where caches appear inside a container, and the environment that points frameworks at them. */
export const CacheMounts = { cudaComputeDir: '/greenrt/cache/cuda', tensorrtEngineDir: '/greenrt/cache/tensorrt' } as const;
/** 4 GiB: a framework's whole PTX JIT output fits (the driver's default of 256 MiB does not). */
export const CUDA_CACHE_MAXSIZE_BYTES = 4294967296;

/** Environment for the caches, with `paths` as the process sees them (container or host paths). */
export function cacheEnvironment(paths: TrialCaches): Record<string, string> {
  return {
    ...(paths.cudaComputeDir ? { CUDA_CACHE_PATH: paths.cudaComputeDir, CUDA_CACHE_MAXSIZE: String(CUDA_CACHE_MAXSIZE_BYTES), CUDA_CACHE_DISABLE: '0' } : {}),
    ...(paths.tensorrtEngineDir ? { GREENRT_TRT_ENGINE_CACHE: paths.tensorrtEngineDir } : {}),
  };
}

/**
 * CUDA_DEVICE_ORDER and CUDA_VISIBLE_DEVICES for a process that may only see `devices` (the selected GPU's UUID,
 * which the selection took from inside any inherited allocation). Without a selection the inherited
 * CUDA_VISIBLE_DEVICES (`inherited`, e.g. Slurm's) is kept, never replaced; only when there is none, the first GPU.
 */
export function cudaDeviceEnvironment(devices: string[] | undefined, inherited?: string): Record<string, string> {
  return { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: devices?.length ? devices.join(',') : (inherited ?? '0') };
}

/** What a finished harness process or container reports: its exit, log tail and monotonic start/end. */
export interface FinishedExecution {
  exitCode: number | null;
  logTail: string;
  startedNs: bigint;
  endedNs: bigint;
}

/** What every process or container execution reports besides its outcome: exit, log, times (wallMs in ms). */
export function executionFacts(
  run: FinishedExecution,
  logPath: string,
): Pick<TrialExecution, 'exitCode' | 'logTail' | 'logPath' | 'startedNs' | 'endedNs' | 'wallMs'> {
  return {
    exitCode: run.exitCode,
    logTail: run.logTail,
    logPath,
    startedNs: run.startedNs,
    endedNs: run.endedNs,
    wallMs: Number(run.endedNs - run.startedNs) / 1e6,
  };
}

export interface TrialExecution {
  /** The entrypoint's output, validated against trial-output.schema.json; null when missing or invalid. */
  output: TrialOutput | null;
  /** Exit code of the entrypoint; null when killed before exiting on its own (timeout). */
  exitCode: number | null;
  /**
   * Why the trial failed, null when it succeeded, e.g. 'timed out after 1800 s',
   * 'OOM-killed (memory limit 2048 MiB)', 'exited 1 without output', 'output does not match schema: ...',
   * 'trial failed (exit 3): ValueError: ...'.
   */
  failure: string | null;
  /** Last 50 lines of the entrypoint's stdout+stderr. */
  logTail: string;
  /** Full log file on the host (workDir/container.log or workDir/process.log). */
  logPath: string;
  /** CLOCK_MONOTONIC ns (process.hrtime.bigint()) just before start and just after exit. */
  startedNs: bigint;
  endedNs: bigint;
  /** endedNs - startedNs, ms. */
  wallMs: number;
  containerId?: string;
}

export interface PrepareRequest {
  /** The preparation; the runner fills in outputDir as the entrypoint sees it. */
  spec: Omit<PrepareSpec, 'outputDir'>;
  /** Host folder that receives native/, model.onnx, reference/, prepared.json (created, must be empty). */
  outputDir: string;
  /** Host folder for the spec and logs. */
  workDir: string;
  image?: BuiltImage;
  timeoutMs: number;
  memoryLimitMiB: number | null;
  /** Docker: allow network for pretrained weight downloads (default: only when spec.weights is 'pretrained'). */
  network?: boolean;
}

export interface PrepareExecution {
  /** prepared.json, validated against prepared-model.schema.json; null on failure. */
  prepared: PreparedModel | null;
  exitCode: number | null;
  failure: string | null;
  logTail: string;
  logPath: string;
  startedNs: bigint;
  endedNs: bigint;
  wallMs: number;
  containerId?: string;
}

export interface TrialRunner {
  readonly kind: RunnerKind;
  runTrial(req: TrialRequest, signal?: AbortSignal): Promise<TrialExecution>;
  prepareModel?(req: PrepareRequest, signal?: AbortSignal): Promise<PrepareExecution>;
}
