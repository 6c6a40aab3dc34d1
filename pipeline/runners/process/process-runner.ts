import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { GreenrtError } from '../../core/index.js';
import { Contracts, packageRoot, type PrepareSpec, type TrialSpec } from '../../contracts/index.js';
import {
  cacheEnvironment,
  cudaDeviceEnvironment,
  executionFacts,
  type PrepareExecution,
  type PrepareRequest,
  type TrialExecution,
  type TrialRequest,
  type TrialRunner,
} from '../runner.js';
import { writeHarnessSpec } from '../harness-spec.js';
import { readPrepareOutcome, readTrialOutcome } from '../trial-outcome.js';
import { runHarness } from './run-harness.js';

export interface ProcessRunnerOptions {
  /** Checkout holding images/ and schemas/ (default: this package). */
  repoRoot?: string;
  /** Interpreter (default: $GREENRT_PYTHON, else python3). */
  python?: string;
  /** Folder holding `greenrt_adapter.py` per runtime (default: <repoRoot>/images/<runtime>). */
  adapterDirs?: Partial<Record<TrialSpec['runtime'], string>>;
  /** Prepended to PYTHONPATH (test fixtures, extra site folders). */
  extraPythonPath?: string[];
  /** Extra environment (e.g. GREENRT_ADAPTER, CUDA_VISIBLE_DEVICES). */
  env?: Record<string, string>;
  contracts?: Contracts;
  tailLineCount?: number;
}

/**
 * The image entrypoint as a local process, for hosts without Docker (the lent GPU machine):
 * `python -m greenrt_harness run <spec>` with PYTHONPATH=<repo>/images/common:<repo>/images/<runtime>
 * and GREENRT_SCHEMAS_DIR=<repo>/schemas. No isolation: memoryLimitMiB is not enforced (recorded
 * only) and the network is whatever the host has; a timeout kills the whole process group.
 */
export class ProcessRunner implements TrialRunner {
  readonly kind = 'process' as const;
  private readonly contracts: Contracts;
  private readonly repoRoot: string;
  private readonly python: string;

  constructor(private readonly options: ProcessRunnerOptions = {}) {
    this.contracts = options.contracts ?? new Contracts();
    this.repoRoot = options.repoRoot ?? packageRoot;
    this.python = options.python ?? process.env.GREENRT_PYTHON ?? 'python3';
  }

  async runTrial(req: TrialRequest, signal?: AbortSignal): Promise<TrialExecution> {
    const workDir = resolve(req.workDir);
    const outDir = join(workDir, 'out');
    mkdirSync(outDir, { recursive: true });
    const outputPath = join(outDir, 'trial-output.json');
    rmSync(outputPath, { force: true }); // a retry must not read the last attempt
    const spec: TrialSpec = { ...req.spec, modelDir: req.modelFile ? onlyModelFile(workDir, req.modelFile) : resolve(req.modelDir), outputPath };
    const specPath = join(workDir, 'trial.json');
    await writeHarnessSpec(this.contracts, specPath, { kind: 'trial', spec });
    const logPath = join(workDir, 'process.log');
    for (const dir of Object.values(req.caches ?? {})) if (dir) mkdirSync(dir, { recursive: true });
    const run = await runHarness({
      python: this.python,
      args: ['-m', 'greenrt_harness', 'run', specPath],
      env: this.trialEnvironment(req),
      cwd: workDir,
      timeoutMs: req.timeoutMs,
      logPath,
      tailLineCount: this.options.tailLineCount,
      onStart: req.onProcessStart,
      signal,
    });
    const end = { ...run, oomKilled: false, timeoutMs: req.timeoutMs, memoryLimitMiB: req.memoryLimitMiB };
    const outcome = readTrialOutcome(end, outputPath, spec.trialId, this.contracts);
    return { ...outcome, ...executionFacts(run, logPath) };
  }

  async prepareModel(req: PrepareRequest, signal?: AbortSignal): Promise<PrepareExecution> {
    const workDir = resolve(req.workDir);
    const outDir = resolve(req.outputDir);
    mkdirSync(workDir, { recursive: true });
    mkdirSync(outDir, { recursive: true });
    if (readdirSync(outDir).length > 0) {
      throw new GreenrtError(
        'E_PREPARE_DIR',
        `Prepare ${req.spec.framework}/${req.spec.model}: output folder ${outDir} is not empty. Remove it or choose another folder.`,
      );
    }
    const spec: PrepareSpec = { ...req.spec, outputDir: outDir };
    const specPath = join(workDir, 'prepare.json');
    await writeHarnessSpec(this.contracts, specPath, { kind: 'prepare', spec });
    const logPath = join(workDir, 'process.log');
    const run = await runHarness({
      python: this.python,
      args: ['-m', 'greenrt_harness', 'prepare', specPath],
      env: this.environment(spec.framework),
      cwd: workDir,
      timeoutMs: req.timeoutMs,
      logPath,
      tailLineCount: this.options.tailLineCount,
      signal,
    });
    const end = { ...run, oomKilled: false, timeoutMs: req.timeoutMs, memoryLimitMiB: req.memoryLimitMiB };
    const outcome = readPrepareOutcome(end, join(outDir, 'prepared.json'), this.contracts);
    return { ...outcome, ...executionFacts(run, logPath) };
  }

  /**
   * The trial's environment: the runtime's paths, and for cuda/tensorrt trials only the selected
   * GPUs in PCI bus order (CUDA's default order puts the fastest GPU first, so its device numbers
   * would not be NVML's), plus the run's compile caches.
   */
  trialEnvironment(req: Pick<TrialRequest, 'spec' | 'gpuDevices' | 'caches'>): Record<string, string> {
    const gpu = req.spec.provider === 'cuda' || req.spec.provider === 'tensorrt';
    return {
      ...this.environment(req.spec.runtime),
      ...(gpu ? cudaDeviceEnvironment(req.gpuDevices, process.env.CUDA_VISIBLE_DEVICES) : {}),
      ...cacheEnvironment(req.caches ?? {}),
    };
  }

  /**
   * PYTHONPATH and schema folder for one runtime, as the image sets them at /opt/greenrt. An inherited PYTHONPATH
   * (a cluster's `module load pytorch` sets one) comes last: the trial imports what the gpu-check parts probe saw.
   */
  environment(runtime: TrialSpec['runtime']): Record<string, string> {
    const adapterDir = this.options.adapterDirs?.[runtime] ?? join(this.repoRoot, 'images', runtime);
    const inherited = (process.env.PYTHONPATH ?? '').split(delimiter).filter(Boolean);
    const pythonPath = [...(this.options.extraPythonPath ?? []), join(this.repoRoot, 'images', 'common'), adapterDir, ...inherited];
    return {
      PYTHONPATH: pythonPath.join(delimiter),
      GREENRT_SCHEMAS_DIR: join(this.repoRoot, 'schemas'),
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      ...(this.options.env ?? {}),
    };
  }
}

/** A folder in the trial's work folder whose only entry is model.onnx, a link to the file to run (see TrialRequest.modelFile). */
function onlyModelFile(workDir: string, modelFile: string): string {
  const dir = join(workDir, 'model');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  symlinkSync(resolve(modelFile), join(dir, 'model.onnx'));
  return dir;
}
