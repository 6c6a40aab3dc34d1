import { InputError } from '../core/index.js';
import { planConfigurations, roundPlan, roundShardTrialIds } from './round-shards.js';
import type { RunPlan } from './types.js';

export type ShardPartition = 'repetition' | 'configuration' | 'rotation';

export interface ShardSpec {
  /** Shard number K, 0-based (the Slurm array index, the Kubernetes completion index). */
  index: number;
  /** Number of shards N. */
  count: number;
  partition: ShardPartition;
  /** 'rotation' only: the adaptive round this shard runs (1-based; round 1 is every configuration's `min`). */
  round?: number;
}

/** The part of a plan a shard runs, with what identifies the full plan. */
export interface ShardedPlan {
  plan: RunPlan;
  shard: ShardSpec & { planHash: string; planTrialCount: number };
}

/** Parses "K/N" (0 <= K < N); throws InputError naming the option otherwise. */
export function parseShard(text: string, partition: ShardPartition = 'repetition'): ShardSpec {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: '--shard',
        message: `"${text.slice(0, 40)}" is not a shard K/N with 0 <= K < N`,
        hint: 'Give e.g. --shard 0/4 for the first of four shards (K is 0-based, like a Slurm array index).',
      },
    ]);
  }
  return { index, count, partition };
}

/** The configuration of a trial id: the id without its repetition suffix. */
export function configurationOf(trialId: string): string {
  return trialId.replace(/\.r\d+$/, '');
}

/**
 * The trials of shard K of N, in the full plan's seeded order. Pure.
 * 'rotation' (adaptive plans, one round at a time): the trials of round `spec.round` (round 1 from the plan; a later
 * round's ids from its decision, `roundTrialIds`) that `rotationShard` gives shard K; the shard's plan is then a fixed
 * one (the decision between rounds is the study's, docs/SCALING.md).
 * 'repetition': repetition r goes to shard r mod N, so every shard runs every configuration (a complete
 * replicate of the matrix when N divides the repetitions) and node differences spread over all configurations.
 * 'configuration': configuration i (in id order) goes to shard i mod N; node and configuration are then confounded.
 * Throws InputError when the shard would get no trial, or the plan has adaptive repetitions (refused: see docs/SCALING.md).
 * `option` is the command-line option the shards came from (`--shard` of run and slurm shard, `--shards` of validate
 * and slurm submit): the problem names it, so each command's message names an option it has.
 */
export function shardPlan(plan: RunPlan, spec: ShardSpec, option: string, roundTrialIds: readonly string[] | null = null): ShardedPlan {
  if (spec.partition === 'rotation') return rotationShardPlan(plan, spec, option, roundTrialIds);
  if (plan.adaptive) {
    // Each round is decided on the results of every configuration so far; a shard sees only its own trials.
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: option,
        message: `experiment "${plan.experimentName}" uses adaptive repetitions, which cannot be sharded: each round is decided on the results of the rounds before it, across the whole plan`,
        hint: 'Run it on a cluster round by round with `greenrt slurm submit --shards N` (docs/SCALING.md), unsharded on one host, or with a fixed number of repetitions (e.g. repetitions: 10).',
      },
    ]);
  }
  const configs = [...new Set(plan.trials.map((t) => configurationOf(t.id)))].sort();
  const configIndex = new Map(configs.map((c, i) => [c, i] as const));
  const mine = plan.trials.filter((t) =>
    spec.partition === 'repetition'
      ? t.config.repetition % spec.count === spec.index
      : (configIndex.get(configurationOf(t.id)) ?? 0) % spec.count === spec.index,
  );
  if (mine.length === 0) {
    const have =
      spec.partition === 'repetition' ? `${Math.max(0, ...plan.trials.map((t) => t.config.repetition))} repetition(s)` : `${configs.length} configuration(s)`;
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: option,
        message: `shard ${spec.index}/${spec.count} gets no trial: the plan has ${have}`,
        hint: `Use at most as many shards as the plan has ${spec.partition === 'repetition' ? 'repetitions' : 'configurations'}.`,
      },
    ]);
  }
  return {
    plan: { ...plan, trialCount: mine.length, trials: mine.map((t, orderIndex) => ({ ...t, orderIndex })) },
    shard: { ...spec, planHash: plan.planHash, planTrialCount: plan.trialCount },
  };
}

function rotationShardPlan(plan: RunPlan, spec: ShardSpec, option: string, roundTrialIds: readonly string[] | null): ShardedPlan {
  if (!plan.adaptive) {
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: option,
        message: `experiment "${plan.experimentName}" has a fixed number of repetitions: rotation (the shard partition of a round-by-round study) shards the rounds of adaptive repetitions`,
        hint: 'Shard it by repetition (the default) or by configuration.',
      },
    ]);
  }
  const round = spec.round ?? 1;
  const whole = roundPlan(plan, round, roundTrialIds);
  const ids = new Set(roundShardTrialIds(whole, planConfigurations(plan), spec.count)[spec.index]);
  const mine = whole.trials.filter((t) => ids.has(t.id));
  if (mine.length === 0) {
    throw new InputError('Bad command line', [
      {
        file: 'command line',
        path: option,
        message: `shard ${spec.index}/${spec.count} gets no trial in round ${round} (${whole.trialCount} trial(s) in the round)`,
        hint: 'Run only the shards a round gives trials to (greenrt slurm submits only those).',
      },
    ]);
  }
  return {
    plan: {
      ...whole,
      trialCount: mine.length,
      trials: mine.map((t, orderIndex) => ({ ...t, orderIndex })),
      rounds: [{ ...whole.rounds[0]!, count: mine.length }],
    },
    shard: { ...spec, round, planHash: plan.planHash, planTrialCount: whole.trialCount },
  };
}
