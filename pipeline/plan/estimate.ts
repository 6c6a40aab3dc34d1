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
 * - the idle baseline is measured once. Image builds are not counted (they are cached);
 * - on a cluster (`estimateShardedRangeS`), each shard run measures its own baseline and prepares its models, and
 *   each round ends with a decide job of `decideJobS`.
 */
export const estimateAssumptions = {
  perInferenceGuessMs: 50,
  gpuSpeedup: 10,
  trialStartupS: 15,
  embeddedStartupS: 3,
  modelPreparationS: 60,
  /** Between two rounds of a Slurm study: the decide job's start, the decision, the next array's start (s). */
  decideJobS: 30,
} as const;

/**
 * Rough wall-clock duration of the trials planned so far, in seconds (see `estimateAssumptions`). For an
 * adaptive plan that is round 1: every configuration at `min` (see `estimateDurationRangeS`).
 */
export function estimateDurationS(plan: RunPlan, perInferenceGuessMs: number = estimateAssumptions.perInferenceGuessMs): number {
  return Math.round(fixedCostS(plan) + plan.trials.reduce((sum, t) => sum + estimateTrialS(plan, t, perInferenceGuessMs), 0));
}

/** Duration range and trial-count range of the run (s, count): every configuration at `min` ... every one at `max`. Fixed plans: one value twice. */
export interface DurationRange {
  minS: number;
  maxS: number;
  minTrials: number;
  maxTrials: number;
}

/** `estimateDurationS` for the two extremes of an adaptive plan: all configurations stop at `min`, or all run to `max`. */
export function estimateDurationRangeS(plan: RunPlan, perInferenceGuessMs: number = estimateAssumptions.perInferenceGuessMs): DurationRange {
  const round1 = plan.rounds[0] ? plan.trials.slice(0, plan.rounds[0].count) : plan.trials;
  const work = round1.reduce((sum, t) => sum + estimateTrialS(plan, t, perInferenceGuessMs), 0);
  const fixed = fixedCostS(plan);
  if (!plan.adaptive) return { minS: Math.round(fixed + work), maxS: Math.round(fixed + work), minTrials: round1.length, maxTrials: round1.length };
  const scale = plan.adaptive.max / plan.adaptive.min;
  return { minS: Math.round(fixed + work), maxS: Math.round(fixed + work * scale), minTrials: round1.length, maxTrials: Math.round(round1.length * scale) };
}

/** The run's own costs besides its trials: the idle baseline and preparing the models that are not prebuilt (s). */
export function fixedCostS(plan: RunPlan): number {
  return plan.timing.baselineS + plan.models.filter((m) => m.prebuilt === null).length * estimateAssumptions.modelPreparationS;
}

/** One trial's estimated wall time: cool-down, start-up and its inferences, at most the trial timeout (s). */
export function estimateTrialS(plan: RunPlan, t: RunPlan['trials'][number], perInferenceGuessMs: number = estimateAssumptions.perInferenceGuessMs): number {
  const a = estimateAssumptions;
  const c = t.config;
  const perInferenceMs = (perInferenceGuessMs * c.batchSize) / (c.provider === 'cpu' ? 1 : a.gpuSpeedup);
  const workS = ((c.warmupIterations + c.measuredIterations) * perInferenceMs) / 1000;
  const startupS = t.image === null ? a.embeddedStartupS : a.trialStartupS;
  return plan.timing.cooldownMinS + Math.min(plan.timing.trialTimeoutS, startupS + workS);
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
 * the estimated duration. Returns both when the plan may run. An adaptive plan is judged at its worst case
 * (every configuration at `max`).
 */
export function checkPlanSize(plan: RunPlan, options: PlanSizeOptions = {}): { trialCount: number; estimatedDurationS: number } {
  const maxTrials = options.maxTrials ?? 500;
  const maxDurationS = options.maxDurationS ?? 24 * 3600;
  const range = estimateDurationRangeS(plan, options.perInferenceGuessMs);
  const trialCount = range.maxTrials;
  const estimatedDurationS = range.maxS;
  const tooMany = trialCount > maxTrials;
  const tooLong = estimatedDurationS > maxDurationS;
  if (options.confirmed || (!tooMany && !tooLong)) return { trialCount, estimatedDurationS };

  const limits = [tooMany ? `more than ${maxTrials} trials` : '', tooLong ? `longer than ${formatDuration(maxDurationS)}` : ''].filter(Boolean).join(' and ');
  const size = plan.adaptive
    ? `up to ${trialCount} trials, estimated ${formatDuration(range.minS)} to ${formatDuration(estimatedDurationS)}`
    : `${trialCount} trials, estimated ${formatDuration(estimatedDurationS)}`;
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
