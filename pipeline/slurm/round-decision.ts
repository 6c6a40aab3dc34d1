import type { SlurmRoundDecision, TrialResult } from '../contracts/index.js';
import { replayRounds } from '../analysis/index.js';
import { planConfigurations, roundPlan, roundShardTrialIds, type AdaptiveRule, type RoundDecision, type RunPlan } from '../plan/index.js';

/** The decision after a round of a rotation study, and the next round split over the shards. */
export interface StudyRoundStep {
  decision: RoundDecision;
  /** The next round's trials of each shard (index = shard K; empty: no job for that shard); null when every configuration stopped. */
  shards: string[][] | null;
}

/**
 * The decision after round `afterRound` of a study over `count` shards (pure): the one-node rule
 * (`replayRounds` on the experiment's plan and every stored trial), then the next round's trials split by
 * rotation. Null while a round up to `afterRound` lacks a result (the decision cannot be taken yet).
 */
export function decideStudyRound(basePlan: RunPlan, results: ReadonlyMap<string, TrialResult>, afterRound: number, count: number): StudyRoundStep | null {
  const { decisions } = replayRounds(basePlan, results);
  const decision = decisions.find((d) => d.afterRound === afterRound);
  if (!decision) return null;
  if (!decision.next) return { decision, shards: null };
  const round = roundPlan(basePlan, decision.next.round, decision.next.trialIds);
  return { decision, shards: roundShardTrialIds(round, planConfigurations(basePlan), count) };
}

/** The file `greenrt slurm decide` writes for a step (schemas/slurm-round-decision.schema.json). */
export function decisionRecord(studyId: string, basePlan: RunPlan, step: StudyRoundStep): SlurmRoundDecision {
  const rule = basePlan.adaptive!;
  const { decision } = step;
  return {
    schemaVersion: 1,
    studyId,
    planHash: basePlan.planHash,
    afterRound: decision.afterRound,
    target: rule.precision.relativeHalfWidth,
    max: rule.max,
    configurations: decision.configurations.map((c) => ({
      configuration: c.configuration,
      trials: c.trials,
      okTrials: c.okTrials,
      metric: c.metric,
      relativeHalfWidth: c.relativeHalfWidth,
      outcome: c.outcome,
    })),
    nextRound:
      decision.next && step.shards ? { round: decision.next.round, seed: decision.next.seed, trialIds: decision.next.trialIds, shards: step.shards } : null,
  };
}

/**
 * Rounds still to run after a decision, estimated (not promised): a configuration extended with n trials at
 * relative half-width h needs about n (h / target)^2 trials (the interval narrows as 1/sqrt(n)), at least one
 * more and at most `max`; the study needs the largest of these. 0 when every configuration stopped.
 */
export function estimateRoundsLeft(
  rule: Pick<AdaptiveRule, 'max'> & { precision: { relativeHalfWidth: number } },
  configurations: SlurmRoundDecision['configurations'],
): number {
  let left = 0;
  for (const c of configurations) {
    if (c.outcome !== 'extend') continue;
    const h = c.relativeHalfWidth ?? Number.POSITIVE_INFINITY;
    const needed = Math.ceil(c.trials * (h / rule.precision.relativeHalfWidth) ** 2);
    left = Math.max(left, Math.min(rule.max - c.trials, Math.max(1, needed - c.trials)));
  }
  return left;
}
