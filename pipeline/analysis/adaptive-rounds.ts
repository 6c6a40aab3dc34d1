import type { ExperimentSpec, RunManifest, TrialResult } from '../contracts/index.js';
import { configurationId, configurationKeyOf, deriveSeed, medianPrecision, trialMetrics } from './index.js';
import { configurationOf, configurationsInRound, decideNextRound, planRun, type ConfigurationState, type RoundDecision, type RunPlan } from '../plan/index.js';

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

/**
 * What differs between a run's recorded adaptive rounds and the decisions re-computed from its stored trials and
 * its experiment (pure): the rounds (number, seed, trials), each decision's next round, and each configuration's
 * outcome. Empty when the record is what the rule decides; `greenrt verify` lists each line as a problem. Checked
 * only on a run whose recorded rounds all have their results (a stopped run's last decision is not yet made).
 */
export function checkAdaptiveRecord(spec: ExperimentSpec, manifest: Pick<RunManifest, 'adaptive' | 'plan'>, results: readonly TrialResult[]): string[] {
  const record = manifest.adaptive;
  if (!record) return [];
  const { plan, decisions } = replayRounds(planRun(spec), new Map(results.map((r) => [r.trialId, r] as const)));
  const problems: string[] = [];
  const key = (r: { round: number; seed: number; firstIndex: number; count: number }) => `round ${r.round} (seed ${r.seed}, trials ${r.firstIndex}+${r.count})`;
  const recorded = record.rounds.map(key).join(', ');
  const replayed = plan.rounds.map(key).join(', ');
  if (recorded !== replayed) problems.push(`adaptive.rounds records ${recorded}; the stored trials decide ${replayed}`);
  const ids = plan.trials.map((t) => t.id);
  const firstOff = manifest.plan.trialIds.findIndex((id, i) => ids[i] !== id);
  if (firstOff >= 0 || manifest.plan.trialIds.length > ids.length) {
    problems.push(
      `plan.trialIds differ from the replayed rounds at position ${firstOff >= 0 ? firstOff : ids.length} (${manifest.plan.trialIds[firstOff >= 0 ? firstOff : ids.length]} vs ${ids[firstOff] ?? 'none'})`,
    );
  }
  for (const d of decisions) {
    const r = record.decisions.find((x) => x.afterRound === d.afterRound);
    if (!r) {
      problems.push(`adaptive.decisions has no decision after round ${d.afterRound}; the stored trials decide one`);
      continue;
    }
    if ((d.next?.round ?? null) !== r.nextRound)
      problems.push(`the decision after round ${d.afterRound} records next round ${r.nextRound}; the stored trials decide ${d.next?.round ?? null}`);
    const outcome = (cs: readonly { configuration: string; outcome: string; trials: number }[]) =>
      cs
        .map((c) => `${c.configuration}:${c.outcome}@${c.trials}`)
        .sort()
        .join(' ');
    if (outcome(r.configurations) !== outcome(d.configurations)) {
      problems.push(`the decision after round ${d.afterRound} records ${outcome(r.configurations)}; the stored trials decide ${outcome(d.configurations)}`);
    }
  }
  for (const r of record.decisions) {
    if (!decisions.some((d) => d.afterRound === r.afterRound))
      problems.push(`adaptive.decisions records a decision after round ${r.afterRound} that the stored trials do not reach`);
  }
  return problems;
}
