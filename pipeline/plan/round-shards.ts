import { InputError } from '../core/index.js';
import { roundSeed } from './adaptive.js';
import { configurationOf } from './shard-plan.js';
import type { PlannedTrial, RunPlan } from './types.js';

/**
 * Rounds of an adaptive study over N shards (docs/SCALING.md, "Adaptive studies"). Pure.
 *
 * Configuration i (in the plan's seeded order, `planConfigurations`) runs its repetition r (1-based) on shard (i + r - 1) mod N.
 * Round 1's `min` repetitions therefore spread over min consecutive shards, and every later round (one more
 * repetition of each open configuration) moves each configuration on by one shard: a fast or hot node shifts
 * every configuration alike instead of one. Within a shard, trials keep the round's seeded order.
 */
export function rotationShard(configurationIndex: number, repetition: number, count: number): number {
  return (configurationIndex + repetition - 1) % count;
}

/**
 * Every configuration of the plan in the seeded order: by its first trial in the plan's (shuffled) order, the `i` of
 * `rotationShard`. Not id order: ids sort batch sizes next to each other (b1, b64, b1, b64, ...), which would put every
 * heavy configuration on the same shards round after round.
 */
export function planConfigurations(plan: RunPlan): string[] {
  return [...new Set(plan.trials.map((t) => configurationOf(t.id)))];
}

/**
 * Round `round` of an adaptive plan as a plan of its own (adaptive: null, one round): round 1 is `plan`'s first
 * round; a later round is the given trial ids (a decision's next round, in its seeded order), each built from its
 * configuration's planned trial with the repetition its id names. The full plan's `planHash` is kept, so every
 * round's shards name the same study. Throws InputError for an id the plan has no configuration for, or a
 * repetition outside (min, max].
 */
export function roundPlan(plan: RunPlan, round: number, trialIds: readonly string[] | null, file = 'round'): RunPlan {
  const rule = plan.adaptive;
  if (!rule) throw new Error('roundPlan needs an adaptive plan');
  const first = plan.rounds[0]!;
  if (round === 1 || trialIds === null) {
    const trials = plan.trials.slice(first.firstIndex, first.firstIndex + first.count);
    return { ...plan, adaptive: null, trials, trialCount: trials.length, rounds: [{ ...first }] };
  }
  const byConfiguration = new Map<string, PlannedTrial>();
  for (const t of plan.trials) byConfiguration.set(configurationOf(t.id), t);
  const bad: { path: string; message: string }[] = [];
  const trials = trialIds.map((id, orderIndex) => {
    const base = byConfiguration.get(configurationOf(id));
    const repetition = Number(/\.r(\d+)$/.exec(id)?.[1] ?? NaN);
    if (!base || !(repetition > rule.min && repetition <= rule.max)) {
      bad.push({
        path: `/nextRound/trialIds/${orderIndex}`,
        message: `"${id.slice(0, 120)}" is not a later-round trial of the experiment's plan (repetition in ${rule.min + 1}..${rule.max})`,
      });
      return base ?? plan.trials[0]!;
    }
    return { ...base, id, orderIndex, config: { ...base.config, repetition } };
  });
  if (bad.length > 0)
    throw new InputError(
      `Round ${round} does not fit the experiment's plan`,
      bad.map((b) => ({ file, ...b, hint: 'The round was decided for another experiment or was changed: submit the study again.' })),
    );
  return {
    ...plan,
    adaptive: null,
    trials,
    trialCount: trials.length,
    rounds: [{ round, seed: roundSeed(plan.seed, round), firstIndex: 0, count: trials.length }],
  };
}

/**
 * The trial ids of each of the `count` shards in round `round` (index = shard), in the round's order. `configurations`
 * is `planConfigurations(fullPlan)`: the rotation counts configurations over the whole plan, not the round's.
 */
export function roundShardTrialIds(round: RunPlan, configurations: readonly string[], count: number): string[][] {
  const index = new Map(configurations.map((c, i) => [c, i] as const));
  const shards: string[][] = Array.from({ length: count }, () => []);
  for (const t of round.trials) shards[rotationShard(index.get(configurationOf(t.id)) ?? 0, t.config.repetition, count)]!.push(t.id);
  return shards;
}
