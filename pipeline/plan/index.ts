/**
 * plan: pure (no I/O, no clock) — a validated ExperimentSpec (schema defaults applied) in, a RunPlan out.
 *
 * - `planRun(spec, { runIdPrefix? }): RunPlan` expands runtime × source × model × provider ×
 *   batchSize × repetition into trials with deterministic ids (`trialId`, e.g.
 *   `onnxruntime.pytorch.resnet50.cuda.b64.r03`), orders them ('sequential' = matrix order, 'shuffled' =
 *   `seededShuffle(seed)` of the trials sorted by id), lists the images (runtime + flavour) and models
 *   (model + source + format, prebuilt or prepared in which image) they need, and a `planHash`.
 *   Throws InputError (exit 2) on impossible combinations.
 * - `combinationIssues(data): CombinationIssue[]` the cross-field rules (tensorrt only on onnxruntime,
 *   embedded only on cpu, `sources` required on ONNX runtimes and forbidden on framework runtimes,
 *   duplicate runtimes or prebuilt models, unused prebuilt models, cool-down minS > maxS). `config` uses
 *   it to report them with lines.
 * - `estimateDurationS(plan, perInferenceGuessMs = 50): number` rough run duration in seconds
 *   (assumptions in `estimateAssumptions`).
 * - `estimateDurationRangeS(plan): { minS, maxS, minTrials, maxTrials }` the range of an adaptive plan (every
 *   configuration at `min` ... at `max`); a fixed plan's single value twice.
 * - `checkPlanSize(plan, { maxTrials = 500, maxDurationS = 86400, confirmed, file })` throws InputError
 *   naming the trial count and estimated duration unless confirmed (`--yes`); returns
 *   `{ trialCount, estimatedDurationS }` (s).
 * - `mulberry32(seed)`, `seededShuffle(items, seed)`: the documented PRNG and Fisher-Yates shuffle.
 * - `decideArchSupport(cc, archs): ArchSupport` whether an image's CUDA kernels ("sm_XY" SASS,
 *   "compute_XY" PTX) run on a GPU of compute capability cc ("9.0"): 'native', 'ptx-jit',
 *   'unsupported' or 'unknown', with the reason.
 */
export { planRun, trialId, trialMode, trialIdPattern, type PlanOptions } from './plan-run.js';
export { combinationIssues, onnxRuntimes, frameworkRuntimes, isOnnxRuntime, type CombinationIssue } from './runtime-rules.js';
export {
  estimateDurationS,
  estimateDurationRangeS,
  type DurationRange,
  checkPlanSize,
  estimateAssumptions,
  formatDuration,
  type PlanSizeOptions,
} from './estimate.js';
export { mulberry32, seededShuffle } from './prng.js';
/**
 * Adaptive repetitions: `adaptiveRule(spec)`, `minRepetitions`/`maxRepetitions(spec.repetitions)`,
 * `roundSeed(seed, round)`, `decideConfiguration(rule, state)`, `decideNextRound(plan, round, states)` (the
 * decision after a round and the plan with the next round appended), `configurationsInRound(plan, round)`.
 */
export {
  adaptiveRule,
  minRepetitions,
  maxRepetitions,
  roundSeed,
  decideConfiguration,
  decideNextRound,
  configurationsInRound,
  type AdaptiveRule,
  type PrecisionMetric,
  type ConfigurationState,
  type ConfigurationDecision,
  type DecisionOutcome,
  type RoundDecision,
} from './adaptive.js';
export type { RunPlan, PlannedTrial, ImageRef, ModelRef, NeededImage, NeededModel } from './types.js';
export { decideArchSupport, parseArch, parseComputeCapability, type ArchSupport, type ArchSupportKind, type ComputeCapability } from './cuda-arch.js';
/**
 * - `parseShard("K/N", partition)`, `shardPlan(plan, { index, count, partition }, option): ShardedPlan` the trials of
 *   shard K of N in the plan's seeded order ('repetition': r mod N; 'configuration': configuration i mod N),
 *   with the full plan's hash and trial count; `configurationOf(trialId)`.
 */
export { parseShard, shardPlan, configurationOf, type ShardSpec, type ShardPartition, type ShardedPlan } from './shard-plan.js';
/**
 * Adaptive rounds over shards: `rotationShard(i, repetition, N)` = (i + repetition - 1) mod N, `planConfigurations(plan)`,
 * `roundPlan(plan, round, trialIds)` (one round as a fixed plan), `roundShardTrialIds(round, configurations, N)`.
 */
export { rotationShard, planConfigurations, roundPlan, roundShardTrialIds } from './round-shards.js';
/**
 * Round-by-round studies on N nodes: `scheduleRounds(rounds, N, { shardRunS, decideS })` (pure: wall time, the ideal
 * of total trial time / N + mandated waits, and their ratio), `estimateShardedRangeS(plan, N)` (greenrt's estimate of
 * an adaptive plan on N nodes, all at min ... all at max, s).
 */
export { scheduleRounds, estimateShardedRangeS, type ScheduledTrial, type RoundCosts, type RoundSchedule, type ShardedEstimate } from './round-schedule.js';
export { estimateTrialS, fixedCostS } from './estimate.js';
