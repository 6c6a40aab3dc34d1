import { chmodSync, chownSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GreenrtError } from '../../core/index.js';
import { Contracts, type PrepareSpec, type TrialSpec } from '../../contracts/index.js';
import type { DockerEngine } from '../../docker/index.js';
import {
  CacheMounts,
  cacheEnvironment,
  executionFacts,
  type TrialCaches,
  type PrepareExecution,
  type PrepareRequest,
  type TrialExecution,
  type TrialRequest,
  type TrialRunner,
} from '../runner.js';
import { writeHarnessSpec } from '../harness-spec.js';
import { readPrepareOutcome, readTrialOutcome } from '../trial-outcome.js';
import { CONTAINER_UID, ContainerPaths, containerOptions } from './container-options.js';
import { runContainer, type ContainerRun } from './run-container.js';

export interface DockerRunnerOptions {
  /** Labels every container greenrt.run=<runId> so orphans of a crashed run can be found. */
  runId: string;
  contracts?: Contracts;
  pidsLimit?: number;
  tmpfsMiB?: number;
  /** Lines of log kept in logTail (default 50). */
  tailLineCount?: number;
}

/** One container per trial (or preparation), hardened, removed afterwards. */
export class DockerRunner implements TrialRunner {
  readonly kind = 'docker' as const;
  private readonly contracts: Contracts;

  constructor(
    private readonly engine: DockerEngine,
    private readonly options: DockerRunnerOptions,
  ) {
    this.contracts = options.contracts ?? new Contracts();
  }

  async runTrial(req: TrialRequest, signal?: AbortSignal): Promise<TrialExecution> {
    const image = requireImage(req.image, req.spec.trialId);
    const workDir = resolve(req.workDir);
    const outDir = writableDir(join(workDir, 'out'));
    rmSync(join(outDir, 'trial-output.json'), { force: true }); // a retry must not read the last attempt
    const spec: TrialSpec = { ...req.spec, modelDir: ContainerPaths.modelDir, outputPath: ContainerPaths.trialOutput };
    const specPath = join(workDir, 'trial.json');
    await writeHarnessSpec(this.contracts, specPath, { kind: 'trial', spec });
    const logPath = join(workDir, 'container.log');
    const gpu = spec.provider === 'cuda' || spec.provider === 'tensorrt';
    const caches = cacheMounts(req.caches);
    for (const bind of caches.binds) writableDir(bind.host);
    const create = containerOptions({
      image: image.imageId,
      cmd: ['python3', '-m', 'greenrt_harness', 'run', ContainerPaths.trialSpec],
      binds: [
        { host: specPath, container: ContainerPaths.trialSpec, readOnly: true },
        req.modelFile
          ? { host: resolve(req.modelFile), container: `${ContainerPaths.modelDir}/model.onnx`, readOnly: true }
          : { host: resolve(req.modelDir), container: ContainerPaths.modelDir, readOnly: true },
        { host: outDir, container: ContainerPaths.outDir, readOnly: false },
        ...caches.binds,
      ],
      env: caches.env,
      labels: { 'greenrt.run': this.options.runId, 'greenrt.trial': spec.trialId, 'greenrt.image': image.tag },
      memoryLimitMiB: req.memoryLimitMiB,
      network: 'none',
      gpu,
      gpuDevices: req.gpuDevices,
      pidsLimit: this.options.pidsLimit,
      tmpfsMiB: this.options.tmpfsMiB,
    });
    const run = await runContainer(this.engine, create, {
      timeoutMs: req.timeoutMs,
      logPath,
      tailLineCount: this.options.tailLineCount,
      onStart: req.onProcessStart,
      signal,
    });
    const end = { ...run, timeoutMs: req.timeoutMs, memoryLimitMiB: req.memoryLimitMiB };
    const outcome = readTrialOutcome(end, join(outDir, 'trial-output.json'), spec.trialId, this.contracts);
    return { ...outcome, ...containerFacts(run, logPath) };
  }

  /**
   * Prepares a model in its framework image. The network stays off unless weights are 'pretrained'
   * (or `network: true`): downloading pretrained weights is the only reason a container talks to the outside.
   */
  async prepareModel(req: PrepareRequest, signal?: AbortSignal): Promise<PrepareExecution> {
    const image = requireImage(req.image, `${req.spec.framework}/${req.spec.model}`);
    const workDir = resolve(req.workDir);
    mkdirSync(workDir, { recursive: true });
    const outDir = writableDir(resolve(req.outputDir));
    if (readdirSync(outDir).length > 0) {
      throw new GreenrtError(
        'E_PREPARE_DIR',
        `Prepare ${req.spec.framework}/${req.spec.model}: output folder ${outDir} is not empty. Remove it or choose another folder.`,
      );
    }
    const spec: PrepareSpec = { ...req.spec, outputDir: ContainerPaths.outDir };
    const specPath = join(workDir, 'prepare.json');
    await writeHarnessSpec(this.contracts, specPath, { kind: 'prepare', spec });
    const logPath = join(workDir, 'container.log');
    const network = req.network ?? spec.weights === 'pretrained';
    const create = containerOptions({
      image: image.imageId,
      cmd: ['python3', '-m', 'greenrt_harness', 'prepare', ContainerPaths.prepareSpec],
      binds: [
        { host: specPath, container: ContainerPaths.prepareSpec, readOnly: true },
        { host: outDir, container: ContainerPaths.outDir, readOnly: false },
      ],
      labels: { 'greenrt.run': this.options.runId, 'greenrt.prepare': `${spec.framework}.${spec.model}`, 'greenrt.image': image.tag },
      memoryLimitMiB: req.memoryLimitMiB,
      network: network ? 'bridge' : 'none',
      gpu: false,
      pidsLimit: this.options.pidsLimit,
      tmpfsMiB: this.options.tmpfsMiB,
    });
    const run = await runContainer(this.engine, create, { timeoutMs: req.timeoutMs, logPath, tailLineCount: this.options.tailLineCount, signal });
    const end = { ...run, timeoutMs: req.timeoutMs, memoryLimitMiB: req.memoryLimitMiB };
    const outcome = readPrepareOutcome(end, join(outDir, 'prepared.json'), this.contracts);
    return { ...outcome, ...containerFacts(run, logPath) };
  }
}

function requireImage<T>(image: T | undefined, what: string): T {
  if (!image) throw new GreenrtError('E_RUNNER_IMAGE', `Docker runner (${what}): no image given. Pass the BuiltImage from ensureImage in the request.`);
  return image;
}

/**
 * The run's compile caches in a trial container: each host folder bound read-write at its fixed place
 * (CacheMounts), and the environment that points the framework there, as `KEY=value` lines.
 */
export function cacheMounts(caches: TrialCaches | undefined): { binds: { host: string; container: string; readOnly: false }[]; env: string[] } {
  const kinds = (['cudaComputeDir', 'tensorrtEngineDir'] as const).filter((k) => caches?.[k]);
  const binds = kinds.map((k) => ({ host: resolve(caches![k]!), container: CacheMounts[k], readOnly: false as const }));
  const inContainer = Object.fromEntries(kinds.map((k) => [k, CacheMounts[k]]));
  return { binds, env: Object.entries(cacheEnvironment(inContainer)).map(([k, v]) => `${k}=${v}`) };
}

/** Creates `dir` so uid 10001 inside the container can write it (chown as root, else world-writable). */
export function writableDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) chownSync(dir, CONTAINER_UID, CONTAINER_UID);
  else chmodSync(dir, 0o777);
  return dir;
}

/** executionFacts of a container run, with its container id. */
function containerFacts(run: ContainerRun, logPath: string) {
  return { ...executionFacts(run, logPath), containerId: run.containerId };
}
