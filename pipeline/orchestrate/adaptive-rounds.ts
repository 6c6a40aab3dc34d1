import type { RunManifest, TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, deriveSeed, medianPrecision, trialMetrics } from '../analysis/index.js';
import { configurationOf, configurationsInRound, decideNextRound, type ConfigurationState, type RoundDecision, type RunPlan } from '../plan/index.js';

/** How the adaptive rule's interval is computed (recorded in the manifest): the report's interval of the median. */
export const adaptiveInterval = {
  method: 'percentile bootstrap of the median',
  confidence: 0.95,
  resamples: 2000,
  seed: "deriveSeed(plan seed, configuration id runtime/source/model/provider/b<batch>), values in repetition order: the summary's interval",
} as const;

/**
 * The states the decision after `round` needs: each configuration of that round, its trials so far and the
 * precision of its median on the rule's metric (energy per inference falls back to latency when any of the
 * configuration's ok trials lacks energy; the reason is recorded).
 */
export function configurationStates(plan: RunPlan, done: ReadonlyMap<string, TrialResult>, round: number): ConfigurationState[] {
  const rule = plan.adaptive;
  if (!rule) return [];
  const byConfiguration = new Map<string, TrialResult[]>();
  const planned = new Map<string, number>();
  for (const t of plan.trials) {
    const c = configurationOf(t.id);
    planned.set(c, (planned.get(c) ?? 0) + 1);
    const r = done.get(t.id);
    if (r) byConfiguration.set(c, [...(byConfiguration.get(c) ?? []), r]);
  }
  return configurationsInRound(plan, round).map((configuration) => {
    const results = (byConfiguration.get(configuration) ?? []).sort((a, b) => a.config.repetition - b.config.repetition);
    const ok = results.filter((r) => r.status === 'ok');
    const metrics = ok.map(trialMetrics);
    let metric = rule.precision.metric;
    let fallbackReason: string | null = null;
    let values: number[];
    if (metric === 'energyPerInference') {
      const missing = metrics.filter((m) => !m.energyPerInference.available);
      if (missing.length === 0) values = metrics.map((m) => (m.energyPerInference.available ? m.energyPerInference.valueJ : 0));
      else {
        const first = missing[0]!.energyPerInference;
        metric = 'latency';
        fallbackReason = `${missing.length} of ${ok.length} ok trials have no energy (${first.available ? '' : first.reason}): precision of latency instead`;
        values = [];
      }
    } else values = [];
    if (metric === 'latency') values = metrics.flatMap((m) => (m.latencyMs === null ? [] : [m.latencyMs]));
    const seed = ok[0] ? deriveSeed(plan.seed, configurationId(configurationKeyOf(ok[0]))) : 0;
    const precision = medianPrecision(values, { seed, resamples: adaptiveInterval.resamples, confidence: adaptiveInterval.confidence });
    return {
      configuration,
      trials: planned.get(configuration) ?? 0,
      okTrials: values.length,
      metric,
      fallbackReason,
      median: precision?.median ?? null,
      relativeHalfWidth: precision?.relativeHalfWidth ?? null,
    };
  });
}

/** The last round of the plan and whether all its trials have a result. */
function lastRound(plan: RunPlan, done: ReadonlyMap<string, TrialResult>): { round: number; complete: boolean } {
  const r = plan.rounds[plan.rounds.length - 1]!;
  const complete = plan.trials.slice(r.firstIndex, r.firstIndex + r.count).every((t) => done.has(t.id));
  return { round: r.round, complete };
}

/**
 * Decides after the plan's last round if every trial of it has a result: the decision and the plan with the
 * next round appended (unchanged when every configuration stopped). Null when the round is not finished.
 */
export function decideAfterLastRound(plan: RunPlan, done: ReadonlyMap<string, TrialResult>): { decision: RoundDecision; plan: RunPlan } | null {
  if (!plan.adaptive) return null;
  const last = lastRound(plan, done);
  if (!last.complete) return null;
  return decideNextRound(plan, last.round, configurationStates(plan, done, last.round));
}

/**
 * Replays the decisions of a resumed run from its recorded results: from round 1, decide after every complete
 * round and append the next, until a round is unfinished or every configuration stopped. Deterministic, so the
 * replayed plan continues exactly the sequence an uninterrupted run would have run.
 */
export function replayRounds(plan: RunPlan, done: ReadonlyMap<string, TrialResult>): { plan: RunPlan; decisions: RoundDecision[] } {
  const decisions: RoundDecision[] = [];
  let current = plan;
  for (;;) {
    const step = decideAfterLastRound(current, done);
    if (!step) return { plan: current, decisions };
    decisions.push(step.decision);
    current = step.plan;
    if (!step.decision.next) return { plan: current, decisions };
  }
}

/** The manifest's record of the adaptive rounds (schema: run-manifest `adaptive`). */
export function adaptiveRecord(plan: RunPlan, decisions: readonly RoundDecision[]): NonNullable<RunManifest['adaptive']> {
  if (!plan.adaptive) throw new Error('adaptiveRecord needs an adaptive plan');
  return {
    rule: plan.adaptive,
    interval: { ...adaptiveInterval },
    rounds: plan.rounds.map((r) => ({ ...r })),
    decisions: decisions.map((d) => ({
      afterRound: d.afterRound,
      nextRound: d.next?.round ?? null,
      configurations: d.configurations.map((c) => ({ ...c })),
    })),
  };
}
