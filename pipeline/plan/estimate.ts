import { InputError } from '../core/index.js';
import type { RunPlan } from './types.js';

/**
 * Assumptions of the rough duration estimate (a guess to warn about huge runs, not a prediction):
 * - one inference takes `perInferenceGuessMs` per sample on the CPU (ResNet-50 at batch 1 took
 *   39-57 ms on 2 cores here), growing linearly with the batch size;
 * - the cuda and tensorrt providers are `gpuSpeedup` times faster;
 * - each trial costs `trialStartupS` (container or process start, imports, model load; `embeddedStartupS`
 *   in-process) plus the cool-down minimum, and never more than the trial timeout;
 * - each model that is not prebuilt takes `modelPreparationS` to export or convert, once;
 * - the idle baseline is measured once. Image builds are not counted (they are cached).
 */
export const estimateAssumptions = {
  perInferenceGuessMs: 50,
  gpuSpeedup: 10,
  trialStartupS: 15,
  embeddedStartupS: 3,
  modelPreparationS: 60,
} as const;

/** Rough wall-clock duration of the whole run, in seconds (see `estimateAssumptions`). */
export function estimateDurationS(plan: RunPlan, perInferenceGuessMs: number = estimateAssumptions.perInferenceGuessMs): number {
  const a = estimateAssumptions;
  let totalS = plan.timing.baselineS;
  for (const t of plan.trials) {
    const c = t.config;
    const perInferenceMs = (perInferenceGuessMs * c.batchSize) / (c.provider === 'cpu' ? 1 : a.gpuSpeedup);
    const workS = ((c.warmupIterations + c.measuredIterations) * perInferenceMs) / 1000;
    const startupS = t.image === null ? a.embeddedStartupS : a.trialStartupS;
    totalS += plan.timing.cooldownMinS + Math.min(plan.timing.trialTimeoutS, startupS + workS);
  }
  totalS += plan.models.filter((m) => m.prebuilt === null).length * a.modelPreparationS;
  return Math.round(totalS);
}

export interface PlanSizeOptions {
  /** Most trials run without confirmation (count). Default 500. */
  maxTrials?: number;
  /** Longest estimated run without confirmation, in seconds. Default 24 h. */
  maxDurationS?: number;
  /** The user passed `--yes`. */
  confirmed?: boolean;
  /** Experiment file named in the problem. */
  file?: string;
  perInferenceGuessMs?: number;
}

/**
 * Refuses enormous plans unless confirmed: throws InputError (exit code 2) naming the trial count and
 * the estimated duration. Returns both when the plan may run.
 */
export function checkPlanSize(plan: RunPlan, options: PlanSizeOptions = {}): { trialCount: number; estimatedDurationS: number } {
  const maxTrials = options.maxTrials ?? 500;
  const maxDurationS = options.maxDurationS ?? 24 * 3600;
  const estimatedDurationS = estimateDurationS(plan, options.perInferenceGuessMs);
  const tooMany = plan.trialCount > maxTrials;
  const tooLong = estimatedDurationS > maxDurationS;
  if (options.confirmed || (!tooMany && !tooLong)) return { trialCount: plan.trialCount, estimatedDurationS };

  const limits = [tooMany ? `more than ${maxTrials} trials` : '', tooLong ? `longer than ${formatDuration(maxDurationS)}` : '']
    .filter(Boolean)
    .join(' and ');
  const size = `${plan.trialCount} trials, estimated ${formatDuration(estimatedDurationS)}`;
  throw new InputError(
    `Experiment "${plan.experimentName}" is large (${size}): ${limits}. Pass --yes to run it anyway.`,
    [
      {
        file: options.file ?? `experiment "${plan.experimentName}"`,
        path: '',
        message: `the plan has ${size} (${limits})`,
        hint: 'Pass --yes to confirm, or reduce repetitions, batchSizes, models, providers or runtimes.',
      },
    ],
    { hint: 'Pass --yes to confirm the run.' },
  );
}

/** `90` → `90 s`, `600` → `10.0 min`, `7200` → `2.0 h`. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
