import type { TrialOutput, TrialResult } from '../contracts/index.js';

/** What a runner returned for one trial (the common part of every runner's execution). */
export interface ExecutionRecord {
  output: TrialOutput | null;
  failure: string | null;
  startedNs: bigint;
  endedNs: bigint;
  wallMs: number;
  exitCode?: number | null;
  logTail?: string | null;
  containerId?: string | null;
}

/** The image a framework trial ran in (docker runner): tag, the engine's image id and the config digest (its identity). */
export interface RanImage {
  image?: string | null;
  imageId?: string | null;
  configDigest?: string | null;
}

export interface TrialResultInput {
  runId: string;
  trialId: string;
  orderIndex: number;
  config: TrialResult['config'];
  runner: { kind: TrialResult['runner']['kind'] } & RanImage;
  execution: ExecutionRecord;
  model: TrialResult['model'];
  energy: TrialResult['energy'];
  gpuState?: TrialResult['gpuState'];
  /** Mean GPU utilisation over the measure window, with provenance (absent when the measurement port does not sample it). */
  gpuUtilization?: TrialResult['gpuUtilization'];
  cooldown?: TrialResult['cooldown'];
  tracePath?: string | null;
  /** Rules this trial broke (cool-down not met, conversion out of tolerance, throttling...). */
  invalidReasons: string[];
  /** Notes that do not invalidate the trial. */
  warnings?: string[];
  /** Set when the trial was refused before running (its runtime cannot run on this GPU). */
  unsupportedReason?: string;
  startedAt: string;
  finishedAt: string;
}

/**
 * Joins a runner's execution with the monitor's energy into a TrialResult. A failed execution is
 * recorded (status failed, reasons), never dropped; a completed one that broke a measurement rule
 * is `invalid` with the reasons.
 */
export function buildTrialResult(input: TrialResultInput): TrialResult {
  const { execution: exec, config } = input;
  const output = exec.output;
  const failures: string[] = [];
  if (exec.failure) failures.push(exec.failure);
  // The runner's reason usually quotes the entrypoint's error already; say each thing once.
  const outputError = output?.status === 'failed' && output.error ? `${output.error.type}: ${output.error.message}` : null;
  if (outputError && !failures.some((f) => f.includes(outputError))) failures.push(outputError);
  if (!output) {
    if (failures.length === 0) failures.push('no output from the entrypoint');
  } else if (output.status === 'ok' && !output.phases.measure) failures.push('the entrypoint reported no measure phase');
  const failed = failures.length > 0;
  const unsupported = input.unsupportedReason !== undefined;
  const status: TrialResult['status'] = unsupported ? 'unsupported' : failed ? 'failed' : input.invalidReasons.length > 0 ? 'invalid' : 'ok';
  const reasons = unsupported ? [input.unsupportedReason!] : failed ? unique(failures) : [...input.invalidReasons, ...(input.warnings ?? [])];

  const phases = output?.phases ?? {};
  const measureWindowMs = phases.measure ? nsDiffMs(phases.measure.startNs, phases.measure.endNs) : null;
  const latenciesMs = output?.latenciesMs ?? [];
  const firstInference = phases.engineBuild?.startNs ?? phases.warmup?.startNs ?? phases.measure?.startNs;
  const result: TrialResult = {
    schemaVersion: 1,
    runId: input.runId,
    trialId: input.trialId,
    orderIndex: input.orderIndex,
    config,
    status,
    reasons,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    runner: {
      kind: input.runner.kind,
      image: input.runner.image ?? null,
      imageId: input.runner.imageId ?? null,
      ...(input.runner.configDigest !== undefined ? { configDigest: input.runner.configDigest } : {}),
      containerId: exec.containerId ?? null,
      exitCode: exec.exitCode ?? null,
      logTail: exec.logTail ?? null,
      wallMs: exec.wallMs,
    },
    model: input.model,
    phases,
    timing: {
      latenciesMs,
      measureWindowMs,
      throughputSamplesPerS:
        measureWindowMs && measureWindowMs > 0 && latenciesMs.length > 0 ? (config.batchSize * latenciesMs.length) / (measureWindowMs / 1000) : null,
      loadMs: phases.load ? nsDiffMs(phases.load.startNs, phases.load.endNs) : null,
      engineBuildMs: phases.engineBuild ? nsDiffMs(phases.engineBuild.startNs, phases.engineBuild.endNs) : null,
      startToFirstInferenceMs: firstInference ? Math.max(0, Number(BigInt(firstInference) - exec.startedNs) / 1e6) : null,
    },
    energy: input.energy,
    gpuState: input.gpuState ?? [],
    ...(input.gpuUtilization ? { gpuUtilization: input.gpuUtilization } : {}),
    cooldown: input.cooldown ?? null,
    outputChecksum: output?.outputChecksum ?? null,
    tracePath: input.tracePath ?? null,
  };
  if (output?.environment) result.environment = output.environment;
  return result;
}

export function nsDiffMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
