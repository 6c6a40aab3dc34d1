import { estimateAssumptions, estimateTrialS, fixedCostS } from './estimate.js';
import { planConfigurations, rotationShard } from './round-shards.js';
import { configurationOf } from './shard-plan.js';
import type { RunPlan } from './types.js';

/** One trial as the round scheduler sees it: its configuration's index (id order), repetition and duration (s). */
export interface ScheduledTrial {
  configurationIndex: number;
  repetition: number;
  durationS: number;
}

/** Costs of a round-by-round study besides its trials, s. */
export interface RoundCosts {
  /** Each shard run's own setup before its first trial (idle baseline, inputs), s. */
  shardRunS: number;
  /** Round 1's shard runs instead, when they cost more (models prepared once into the study's shared cache), s. */
  firstRoundShardRunS?: number;
  /** Between two rounds: the decide job's start, the decision and the next array's start, s. */
  decideS: number;
}

export interface RoundSchedule {
  /** The study's wall time: per round, its slowest shard (setup + trials) and then the decision, s. */
  wallS: number;
  /** The ideal: total trial time / N plus the mandated waits (one setup, one decision per round), s. */
  idealS: number;
  /** Total trial time, s. */
  busyS: number;
  rounds: number;
  /** wallS / idealS (1 = no shard ever waits for another). */
  ratio: number;
}

/**
 * A study's wall time when its rounds run as job arrays over `shards` nodes (pure): within a round the trials go to
 * shards by rotation (`rotationShard`), the round lasts as long as its slowest shard (setup + its trials), then the
 * decide job. The ideal it is compared with: every trial's time spread evenly over the nodes, plus the waits the
 * protocol mandates (one setup, one decision after every round).
 */
export function scheduleRounds(rounds: readonly (readonly ScheduledTrial[])[], shards: number, costs: RoundCosts): RoundSchedule {
  let wallS = 0;
  let busyS = 0;
  for (const [r, trials] of rounds.entries()) {
    const setupS = r === 0 ? (costs.firstRoundShardRunS ?? costs.shardRunS) : costs.shardRunS;
    const load = new Map<number, number>();
    for (const t of trials) {
      const k = rotationShard(t.configurationIndex, t.repetition, shards);
      load.set(k, (load.get(k) ?? 0) + t.durationS);
      busyS += t.durationS;
    }
    wallS += (load.size ? Math.max(...load.values()) + setupS : 0) + costs.decideS;
  }
  const idealS = busyS / shards + (costs.firstRoundShardRunS ?? costs.shardRunS) + rounds.length * costs.decideS;
  return { wallS, idealS, busyS, rounds: rounds.length, ratio: idealS > 0 ? wallS / idealS : 1 };
}

/** Range of an adaptive plan's wall time over `shards` nodes, round by round (s): every configuration at min ... at max. */
export interface ShardedEstimate {
  shards: number;
  minS: number;
  maxS: number;
  /** Rounds when every configuration runs to max. */
  maxRounds: number;
}

/**
 * greenrt's estimate of an adaptive plan on `shards` nodes (the assumptions of `estimateDurationS`, plus a decide job
 * of `estimateAssumptions.decideJobS` after each round, each shard run's baseline, and the model preparation in round
 * 1's shard runs): every
 * configuration stopping after round 1 (min), or every one running to max (one more trial per round).
 */
export function estimateShardedRangeS(plan: RunPlan, shards: number): ShardedEstimate {
  const rule = plan.adaptive;
  if (!rule) throw new Error('estimateShardedRangeS needs an adaptive plan');
  const configurations = planConfigurations(plan);
  const index = new Map(configurations.map((c, i) => [c, i] as const));
  const first = plan.trials.slice(0, plan.rounds[0]!.count);
  const perConfigurationS = new Map(first.map((t) => [configurationOf(t.id), estimateTrialS(plan, t)] as const));
  const round1 = first.map((t) => ({
    configurationIndex: index.get(configurationOf(t.id))!,
    repetition: t.config.repetition,
    durationS: estimateTrialS(plan, t),
  }));
  const later = Array.from({ length: rule.max - rule.min }, (_, r) =>
    configurations.map((c, i) => ({ configurationIndex: i, repetition: rule.min + r + 1, durationS: perConfigurationS.get(c) ?? 0 })),
  );
  // Round 1's shard runs prepare the models (into <study>/shards/models, shared by every later shard run); every shard run measures its baseline.
  const costs = { firstRoundShardRunS: fixedCostS(plan), shardRunS: plan.timing.baselineS, decideS: estimateAssumptions.decideJobS };
  return {
    shards,
    minS: Math.round(scheduleRounds([round1], shards, costs).wallS),
    maxS: Math.round(scheduleRounds([round1, ...later], shards, costs).wallS),
    maxRounds: 1 + later.length,
  };
}
