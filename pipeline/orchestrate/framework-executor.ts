import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Contracts } from '../contracts/index.js';
import type { ExperimentSpec } from '../config/index.js';
import { EnvironmentError } from '../core/index.js';
import { connectDocker, type DockerEngine } from '../docker/index.js';
import { ensureImage, requireTensorrtImageOrIndex, type BuiltImage } from '../images/index.js';
import { prepareModel, type ResolvedModel } from '../models/index.js';
import type { RunPlan } from '../plan/index.js';
import { DockerRunner, ProcessRunner, removeOrphans, type TrialRunner } from '../runners/index.js';
import { gpuDeviceIds, type GpuSelection } from './gpu-selection.js';
import { findOnPath } from '../core/index.js';
import type { Progress } from '../core/index.js';
import type { EngineDescription, FrameworkExecutor, ImageProvider, ImageRecord } from './ports.js';

export interface ExecutorOptions {
  contracts: Contracts;
  progress: Progress;
  artifactsDir: string;
  /** CA bundle baked into images for TLS-intercepting proxies (GREENRT_CA_BUNDLE). */
  caBundlePath?: string;
  /** A folder of saved images (`greenrt images save`, `run --images`): missing images are loaded from it, never built. */
  imagesDir?: string;
  /** The GPUs trials run on (null: the first GPU, '0'). */
  gpus?: GpuSelection | null;
  /** Test seams: the Docker connection and the PATH lookup (defaults: the real ones). */
  connect?: () => Promise<DockerEngine>;
  /** Where the docker runner's images come from (default: `dockerImageProvider`, built from images/<runtime>/). */
  imageProvider?: (engine: DockerEngine) => ImageProvider;
  which?: (command: string) => Promise<string | null>;
}

/** The NVIDIA Container Toolkit's prestart hook: dockerd's `--gpus` (DeviceRequests) uses it directly. */
export const NVIDIA_HOOK = 'nvidia-container-runtime-hook';

/**
 * The images a plan needs that this host may be unable to build: the tensorrt variant needs NVIDIA's
 * index (or the image already on the engine). Docker runner only: the process runner uses the host's Python.
 */
export async function preflightImages(spec: ExperimentSpec, plan: RunPlan, options: Pick<ExecutorOptions, 'caBundlePath' | 'connect'>): Promise<void> {
  if (spec.runner !== 'docker' || !plan.images.some((i) => i.flavour === 'tensorrt')) return;
  const engine = await (options.connect ?? connectDocker)();
  await requireTensorrtImageOrIndex(engine, { caBundlePath: options.caBundlePath });
}

/**
 * How `--gpus` works on this Docker host, or null when it cannot: the registered nvidia runtime, or
 * the toolkit's hook on PATH (moby's daemon/nvidia_linux.go looks it up for DeviceRequests, with no
 * runtime registered in `docker info`). The PATH is this process's, so a remote DOCKER_HOST is trusted as is.
 */
export async function dockerGpuSupport(engine: DockerEngine, which: (command: string) => Promise<string | null> = findOnPath): Promise<string | null> {
  if (engine.info.nvidiaRuntime) return 'nvidia runtime registered';
  const hook = await which(NVIDIA_HOOK);
  if (hook) return `${NVIDIA_HOOK} at ${hook} (DeviceRequests through the toolkit hook)`;
  // Docker 29.2 and later (moby #50228) serve --gpus DeviceRequests as CDI devices when nvidia-cdi-hook is on PATH.
  const cdiHook = await which(NVIDIA_CDI_HOOK);
  if (cdiHook && dockerAtLeast(engine.info.serverVersion, [29, 2]))
    return `${NVIDIA_CDI_HOOK} at ${cdiHook} (Docker ${engine.info.serverVersion} turns DeviceRequests into CDI devices)`;
  return null;
}

/** The toolkit's CDI hook: Docker >= 29.2 uses it for DeviceRequests when it is on PATH. */
export const NVIDIA_CDI_HOOK = 'nvidia-cdi-hook';

/** Whether a daemon version such as '29.2.1' or '20.10.24+dfsg1' is at least major.minor. */
export function dockerAtLeast(version: string, [major, minor]: readonly [number, number]): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

/**
 * The default ImageProvider: `ensureImage` (content-hash tag; built from images/<runtime>/ when missing),
 * with the build's lines as progress.
 */
export function dockerImageProvider(
  engine: DockerEngine,
  options: Pick<ExecutorOptions, 'progress' | 'caBundlePath' | 'imagesDir' | 'contracts'>,
): ImageProvider {
  return {
    async ensure(image, signal) {
      options.progress.status(`Image ${image.runtime}:${image.flavour}: checking (a first build takes minutes)`);
      let lines = 0;
      const built = await ensureImage(
        engine,
        {
          runtime: image.runtime,
          flavour: image.flavour,
          ...(options.caBundlePath ? { caBundlePath: options.caBundlePath } : {}),
          ...(signal ? { signal } : {}),
          ...(options.imagesDir ? { archives: { dir: options.imagesDir, contracts: options.contracts } } : {}),
        },
        (line: string) => {
          lines++;
          if (line.trim()) options.progress.status(`Image ${image.runtime}:${image.flavour}: ${line.trim().slice(0, 100)}`);
        },
      );
      if (built.built) options.progress.info(`Built ${built.tag} in ${(built.durationMs / 1000).toFixed(0)} s (${lines} build lines).`);
      if (built.obtained === 'loaded') options.progress.info(`Loaded ${built.tag} from ${built.loadedFrom} in ${(built.durationMs / 1000).toFixed(0)} s.`);
      return built;
    },
  };
}

/**
 * Pre-flight for framework trials (throws EnvironmentError, exit 3, before anything is written):
 * the docker runner needs a reachable engine, and with it the nvidia runtime when a trial uses
 * cuda/tensorrt; the process runner needs nvidia-smi for those.
 */
export async function createFrameworkExecutor(spec: ExperimentSpec, plan: RunPlan, options: ExecutorOptions): Promise<FrameworkExecutor> {
  const needsGpu = plan.images.some((i) => i.flavour !== 'cpu');
  if (spec.runner === 'docker') {
    const engine = await (options.connect ?? connectDocker)();
    if (needsGpu && !(await dockerGpuSupport(engine, options.which))) {
      throw new EnvironmentError(
        'E_NO_GPU_RUNTIME',
        `The experiment has cuda/tensorrt trials, but Docker cannot give containers a GPU on this host: no nvidia runtime in \`docker info\` and no ${NVIDIA_HOOK} on PATH.`,
        {
          hint: 'Install the NVIDIA Container Toolkit (nvidia-ctk runtime configure --runtime=docker) on a GPU host, or use `runner: process`, or a cpu-only experiment such as experiments/cpu.yaml.',
        },
      );
    }
    const images = options.imageProvider ? options.imageProvider(engine) : dockerImageProvider(engine, options);
    return new Executor('docker', options, engine, images, spec);
  }
  if (needsGpu) await requireNvidiaSmi();
  return new Executor('process', options, null, null, spec);
}

class Executor implements FrameworkExecutor {
  private readonly built = new Map<string, BuiltImage>();
  private runner: TrialRunner | null = null;
  private runId = '';

  constructor(
    readonly kind: 'docker' | 'process',
    private readonly options: ExecutorOptions,
    private readonly engine: DockerEngine | null,
    private readonly images: ImageProvider | null,
    private readonly spec: ExperimentSpec,
  ) {}

  attach(runId: string): void {
    this.runId = runId;
    this.runner = this.engine
      ? new DockerRunner(this.engine, { runId, contracts: this.options.contracts })
      : new ProcessRunner({ contracts: this.options.contracts });
  }

  async describeEngine(): Promise<EngineDescription> {
    return this.engine ? { ...this.engine.info } : { runner: 'process', python: process.env.GREENRT_PYTHON ?? 'python3' };
  }

  async ensureImages(images: RunPlan['images'], signal?: AbortSignal): Promise<ImageRecord[]> {
    if (!this.images) return [];
    const records: ImageRecord[] = [];
    for (const image of images) {
      const built = await this.images.ensure(image, signal);
      this.built.set(`${image.runtime}:${image.flavour}`, built);
      records.push(built);
    }
    return records;
  }

  async prepareModel(need: RunPlan['models'][number], signal?: AbortSignal): Promise<ResolvedModel> {
    const runner = this.requireRunner();
    if (!runner.prepareModel) throw new Error(`the ${runner.kind} runner cannot prepare models`);
    const image = need.preparedIn ? this.built.get(`${need.preparedIn.runtime}:${need.preparedIn.flavour}`) : undefined;
    if (this.engine && !image) throw new Error(`image for ${need.source} was not built`);
    const prepare = runner.prepareModel.bind(runner);
    return prepareModel(
      need.model,
      need.source,
      {
        cacheDir: join(this.options.artifactsDir, 'models'),
        weights: this.spec.weights,
        seed: this.spec.seed,
        sequenceLength: this.spec.sequenceLength,
        imageKey: image?.tag ?? `process:${need.source}`,
      },
      async (spec, hostOutputDir) => {
        const { outputDir: _ignored, ...rest } = spec;
        const execution = await prepare(
          {
            spec: rest,
            outputDir: hostOutputDir,
            workDir: `${hostOutputDir}.work`,
            ...(image ? { image } : {}),
            timeoutMs: 3_600_000,
            memoryLimitMiB: this.spec.memoryLimitMiB,
          },
          signal,
        );
        if (execution.failure) throw new Error(`${execution.failure}\n${execution.logTail.split('\n').slice(-10).join('\n')}`);
      },
      this.options.contracts,
    );
  }

  async runTrial(...[trial, spec, model, workDir, onStart, signal, extra]: Parameters<FrameworkExecutor['runTrial']>) {
    const runner = this.requireRunner();
    const image = trial.image ? this.built.get(`${trial.image.runtime}:${trial.image.flavour}`) : undefined;
    const execution = await runner.runTrial(
      {
        spec,
        modelDir: model.dir,
        // A supplied ONNX file: exactly that file, not whatever else shares its folder.
        ...(model.prebuilt && model.onnxFile ? { modelFile: model.onnxFile } : {}),
        workDir,
        ...(image ? { image } : {}),
        timeoutMs: this.spec.trialTimeoutS * 1000,
        memoryLimitMiB: this.spec.memoryLimitMiB,
        onProcessStart: onStart,
        gpuDevices: gpuDeviceIds(this.options.gpus ?? null),
        ...(extra?.caches ? { caches: extra.caches } : {}),
      },
      signal,
    );
    return { ...execution, image: image?.tag ?? null, imageId: image?.imageId ?? null, ...(image ? { configDigest: image.configDigest ?? null } : {}) };
  }

  async removeOrphans(runId: string): Promise<number> {
    return this.engine ? (await removeOrphans(this.engine, runId)).length : 0;
  }

  private requireRunner(): TrialRunner {
    if (!this.runner) this.attach(this.runId);
    return this.runner!;
  }
}

async function requireNvidiaSmi(): Promise<void> {
  try {
    await promisify(execFile)('nvidia-smi', ['-L'], { timeout: 10_000 });
  } catch (error) {
    throw new EnvironmentError('E_NO_GPU', `The experiment has cuda/tensorrt trials, but nvidia-smi does not work on this host: ${(error as Error).message}.`, {
      hint: 'Run on a host with an NVIDIA GPU and driver, or use a cpu-only experiment.',
    });
  }
}
