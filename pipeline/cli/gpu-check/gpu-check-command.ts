import { join, resolve } from 'node:path';
import { Contracts, SchemaId, type GpuCheckFile } from '../../contracts/index.js';
import { parseYamlSource } from '../../config/index.js';
import { ContractError, EnvironmentError, ExitCode } from '../../core/index.js';
import { runExperiment } from '../../orchestrate/index.js';
import { ensureFolder, refuseDamagedRun, verifyRunFolder, writeFileAtomic } from '../../results/index.js';
import { createRunDependencies } from '../dependencies.js';
import { createProgress } from '../progress.js';
import { checkGpuHost, formatParts, realProbes, type GpuCheckRunner, type HostProbes } from './requirements.js';
import { gpuCheckReport } from './gpu-check-summary.js';

export interface GpuCheckOptions {
  artifacts: string;
  /** Idle measurement before the trials, s (default 60). */
  idleS?: number;
  /** --runner: process (the host's Python) or docker (images built on first use); default: docker only where it can build them. */
  runner?: GpuCheckRunner;
  /** --images: load the docker runner's images from this `greenrt images save` folder instead of building them. */
  imagesDir?: string;
  probes?: HostProbes;
}

/** The acceptance check's experiment: PyTorch on CUDA, ResNet-50, batch 1 and 64, random weights; the GPU is the job's allocation (CUDA_VISIBLE_DEVICES), else the first. */
export function gpuCheckExperiment(runner: 'docker' | 'process', idleS: number): string {
  return [
    'schemaVersion: 1',
    'name: gpu-check',
    'description: greenrt doctor --measure (make gpu-check), the GPU acceptance check.',
    'order: sequential',
    'weights: random',
    `runner: ${runner}`,
    'runtimes:',
    '  - { name: pytorch, providers: [cuda] }',
    'models: [resnet50]',
    'batchSizes: [1, 64]',
    'repetitions: 1',
    'warmupIterations: 50',
    'measuredIterations: 400',
    `power: { sources: [nvml, nvidia-smi, rapl], required: true, sampleHz: 10, baselineS: ${idleS}, cooldown: { minS: 5, maxS: 60 } }`,
    '',
  ].join('\n');
}

/**
 * Writes the acceptance check's experiment file atomically after checking it against schemas/experiment.schema.json
 * (the run loads it again through `loadExperiment`, like any experiment): a text that fails is a bug in greenrt,
 * a ContractError naming the file and each JSON path, and nothing is written.
 */
export async function writeGpuCheckExperiment(contracts: Contracts, file: string, text: string): Promise<void> {
  const source = parseYamlSource(Buffer.from(text, 'utf8'));
  const hint = 'greenrt built a gpu-check experiment that is not a valid experiment: a bug in greenrt (nothing was written); report it.';
  if (source.issues.length > 0) {
    throw new ContractError(
      SchemaId.experiment,
      file,
      source.issues.map((i) => `${i.path || '/'}: ${i.message}`),
      { hint },
    );
  }
  contracts.assert(SchemaId.experiment, source.data, file, hint);
  await writeFileAtomic(file, text);
}

/**
 * `greenrt doctor --measure`: checks every part first (exit 3 naming the missing ones), then runs
 * the acceptance experiment under the monitor and prints/writes the measured figures and every rule.
 */
export async function gpuCheckCommand(options: GpuCheckOptions): Promise<number> {
  const python = process.env.GREENRT_PYTHON ?? 'python3';
  const host = await checkGpuHost(options.probes ?? realProbes, python, options.runner, options.imagesDir);
  process.stdout.write(`GPU acceptance check: what this host has\n${formatParts(host.parts)}\n`);
  const missing = host.parts.filter((p) => p.required && !p.ok);
  if (missing.length) {
    throw new EnvironmentError(
      'E_GPU_CHECK_MISSING',
      `GPU acceptance check (${host.runner} runner) cannot run: missing ${missing.map((p) => p.name).join(', ')}.`,
      {
        hint: missing
          .map((p) => p.fix)
          .filter(Boolean)
          .join(' '),
      },
    );
  }
  const artifactsDir = resolve(options.artifacts);
  await ensureFolder(artifactsDir);
  const experimentFile = join(artifactsDir, 'gpu-check.yaml');
  await writeGpuCheckExperiment(new Contracts(), experimentFile, gpuCheckExperiment(host.runner, options.idleS ?? 60));
  process.stdout.write(`Runner: ${host.runner}. Measuring ${options.idleS ?? 60} s idle, then ResNet-50 batch 1 and 64 on CUDA.\n`);
  const progress = createProgress();
  const outcome = await runExperiment(createRunDependencies(progress, artifactsDir, host.runner === 'docker' ? options.imagesDir : undefined), {
    experimentFile,
    artifactsDir,
    confirmed: true,
    signal: new AbortController().signal,
  });
  // Read back through the same checks as `greenrt verify` (schemas, plan, hashes): trials without a result are left out.
  const contracts = new Contracts();
  const check = await verifyRunFolder(outcome.runDir, contracts);
  refuseDamagedRun(check, 'greenrt doctor --measure');
  const report = gpuCheckReport(check.manifest, check.results);
  await writeFileAtomic(join(outcome.runDir, 'gpu-check.txt'), `${formatParts(host.parts)}\n\n${report.text}\n`);
  const jsonFile = join(outcome.runDir, 'gpu-check.json');
  const data: GpuCheckFile = { host: host.parts, inventory: host.inventory, ...report.json };
  contracts.assert(
    SchemaId.gpuCheck,
    data,
    jsonFile,
    'greenrt built a gpu-check.json that does not match schemas/gpu-check.schema.json: a bug in greenrt (nothing was written); report it with the run folder.',
  );
  await writeFileAtomic(jsonFile, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(`${report.text}\nWritten: ${join(outcome.runDir, 'gpu-check.txt')} and gpu-check.json\n`);
  return report.json.allPass ? ExitCode.ok : outcome.exitCode === ExitCode.ok ? ExitCode.trialsFailed : outcome.exitCode;
}
