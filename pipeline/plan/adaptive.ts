import type { AdaptiveRepetitions, Experiment } from '../contracts/index.js';
import { seededShuffle } from './prng.js';
import { configurationOf } from './shard-plan.js';
import type { PlannedTrial, RunPlan } from './types.js';

/**
 * Adaptive repetitions (docs/METHODOLOGY.md, "Adaptive repetitions"). Pure: no I/O, no clock.
 *
 * Round 1 is the fixed plan with `min` repetitions (same trials, same seeded order). After each round every
 * configuration still active is decided on its results: its median's precision (relative half-width of the
 * 95 % percentile-bootstrap interval, computed by the caller) met the target, or it has run `max` trials, or
 * it cannot be measured (fewer than 2 ok trials): then it stops; otherwise it gets one more trial in the next
 * round. A round's trials are shuffled with `roundSeed(plan seed, round)`. The rule looks at one
 * configuration's own precision only, never at a comparison between configurations.
 */
export type AdaptiveRule = AdaptiveRepetitions;
export type PrecisionMetric = AdaptiveRule['precision']['metric'];

/** The trials of one configuration after a round, as the decision sees them. */
export interface ConfigurationState {
  /** Configuration as in trial ids: the id without `.rNN` (e.g. `embedded.pytorch.mobilenet_v2.cpu.b1`). */
  configuration: string;
  /** Trials run so far, any status (count). */
  trials: number;
  /** Ok trials with a value of `metric` (count). */
  okTrials: number;
  /** Metric actually used (energy falls back to latency when a configuration's ok trials lack energy). */
  metric: PrecisionMetric;
  /** Why the metric is not the one asked for; null when it is. */
  fallbackReason: string | null;
  /** Median of the ok trials' values, in the metric's unit (J or ms); null when there are none. */
  median: number | null;
  /** Relative half-width of the 95 % bootstrap interval of the median (ratio); null when it cannot be computed. */
  relativeHalfWidth: number | null;
}

export type DecisionOutcome = 'extend' | 'met' | 'max' | 'unmeasurable';

export interface ConfigurationDecision extends ConfigurationState {
  outcome: DecisionOutcome;
  /** Why, in words. */
  reason: string;
}

/** What was decided after a round: every configuration that was still active, and the next round (if any). */
export interface RoundDecision {
  afterRound: number;
  configurations: ConfigurationDecision[];
  /** The round this decision starts, or null when every configuration stopped. */
  next: { round: number; seed: number; trialIds: string[] } | null;
}

/** Number of repetitions that bounds a configuration (the fixed count, or `max`): trial ids are padded to its width. */
export function maxRepetitions(repetitions: Experiment['repetitions']): number {
  return typeof repetitions === 'number' ? repetitions : repetitions.max;
}

/** Repetitions every configuration runs in round 1 (the fixed count, or `min`). */
export function minRepetitions(repetitions: Experiment['repetitions']): number {
  return typeof repetitions === 'number' ? repetitions : repetitions.min;
}

/** The adaptive rule of an experiment, or null for a fixed number of repetitions. */
export function adaptiveRule(spec: Experiment): AdaptiveRule | null {
  return typeof spec.repetitions === 'number' ? null : spec.repetitions;
}

/** Seed of round `round` (>= 2): FNV-1a of the plan seed and the round number, so no round repeats another's permutation. */
export function roundSeed(seed: number, round: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const ch of `round ${round}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Decides one configuration (pure): met, max, unmeasurable, or extend. */
export function decideConfiguration(rule: AdaptiveRule, s: ConfigurationState): ConfigurationDecision {
  const target = rule.precision.relativeHalfWidth;
  if (s.okTrials < 2 || s.relativeHalfWidth === null) {
    return {
      ...s,
      outcome: 'unmeasurable',
      reason: `${s.okTrials} ok trial(s) of ${s.trials}: no precision can be computed, and more trials of a failing configuration would not give one`,
    };
  }
  const hw = `half-width ${(s.relativeHalfWidth * 100).toFixed(2)} %`;
  if (s.relativeHalfWidth <= target) return { ...s, outcome: 'met', reason: `${hw} <= target ${(target * 100).toFixed(2)} % after ${s.trials} trials` };
  if (s.trials >= rule.max) return { ...s, outcome: 'max', reason: `${hw} > target ${(target * 100).toFixed(2)} % after ${s.trials} trials = max` };
  return { ...s, outcome: 'extend', reason: `${hw} > target ${(target * 100).toFixed(2)} %: one more trial` };
}

/**
 * The decision after `round` on the states of the configurations still active (those in the round just run),
 * and the next round's trials appended to `plan` (a new plan; `plan` is not changed). `plan` must be adaptive.
 */
export function decideNextRound(plan: RunPlan, round: number, states: readonly ConfigurationState[]): { decision: RoundDecision; plan: RunPlan } {
  const rule = plan.adaptive;
  if (!rule) throw new Error('decideNextRound needs an adaptive plan');
  const configurations = [...states].sort((a, b) => compare(a.configuration, b.configuration)).map((s) => decideConfiguration(rule, s));
  const extend = configurations.filter((d) => d.outcome === 'extend').map((d) => d.configuration);
  if (extend.length === 0) return { decision: { afterRound: round, configurations, next: null }, plan };
  const next = appendRound(plan, round + 1, extend);
  return {
    decision: {
      afterRound: round,
      configurations,
      next: { round: round + 1, seed: roundSeed(plan.seed, round + 1), trialIds: next.trials.slice(plan.trialCount).map((t) => t.id) },
    },
    plan: next,
  };
}

/** Configurations run in round `round` of an adaptive plan (round 1: every configuration). */
export function configurationsInRound(plan: RunPlan, round: number): string[] {
  const r = plan.rounds.find((x) => x.round === round);
  if (!r) return [];
  return [...new Set(plan.trials.slice(r.firstIndex, r.firstIndex + r.count).map((t) => configurationOf(t.id)))].sort(compare);
}

/** Appends round `round`: one more trial for each configuration, sorted by id and shuffled with the round's seed. */
function appendRound(plan: RunPlan, round: number, configurations: readonly string[]): RunPlan {
  const rule = plan.adaptive!;
  const latest = new Map<string, PlannedTrial>();
  for (const t of plan.trials) {
    const c = configurationOf(t.id);
    const seen = latest.get(c);
    if (!seen || t.config.repetition > seen.config.repetition) latest.set(c, t);
  }
  const added = configurations.map((c) => {
    const last = latest.get(c);
    if (!last) throw new Error(`configuration ${c} is not in the plan`);
    const config = { ...last.config, repetition: last.config.repetition + 1 };
    return { ...last, config, id: `${c}.r${String(config.repetition).padStart(String(rule.max).length, '0')}` };
  });
  const ordered =
    plan.order === 'sequential'
      ? added
      : seededShuffle(
          [...added].sort((a, b) => compare(a.id, b.id)),
          roundSeed(plan.seed, round),
        );
  const trials = [...plan.trials, ...ordered.map((t, i) => ({ ...t, orderIndex: plan.trialCount + i }))];
  return {
    ...plan,
    trials,
    trialCount: trials.length,
    rounds: [...plan.rounds, { round, seed: roundSeed(plan.seed, round), firstIndex: plan.trialCount, count: ordered.length }],
  };
}

/**
 * Cross-field problems of `repetitions` (tolerant of data that failed the schema): max below min.
 * Returned as CombinationIssue-shaped records so `config` reports them with lines.
 */
export function adaptiveIssues(data: unknown): { path: string; message: string; hint?: string }[] {
  if (!data || typeof data !== 'object') return [];
  const r = (data as { repetitions?: unknown }).repetitions;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return [];
  const { min, max } = r as { min?: unknown; max?: unknown };
  if (typeof min === 'number' && typeof max === 'number' && max < min) {
    return [
      {
        path: '/repetitions/max',
        message: `repetitions.max (${max}) is below repetitions.min (${min})`,
        hint: `Make max at least ${min} (max = min runs exactly min trials per configuration, like a fixed count).`,
      },
    ];
  }
  return [];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
