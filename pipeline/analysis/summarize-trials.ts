/**
 * TrialResult[] -> RunSummary: descriptives per configuration over its ok trials, failed/invalid
 * counts with reasons, energy with provenance (never 0 for missing), and a Kruskal-Wallis test across
 * the configurations that share a model and batch size.
 */

import type { ConfigurationSummary, EnergySummary, RunSummary, TrialResult } from '../contracts/index.js';
import { deriveSeed } from './bootstrap.js';
import { describe } from './describe.js';
import { groupTests } from './group-tests.js';
import { shapiroWilk } from './shapiro-wilk.js';
import { configurationId, configurationKeyOf, numbers, trialMetrics, grossEnergyValuesJ, type MeasuredProvenance, type TrialEnergy } from './trial-metrics.js';

/**
 * The run summary (summary.json's `summary`) and its parts are the types generated from
 * schemas/run-summary.schema.json: EnergySummary (descriptives over ok trials, or why unavailable),
 * ConfigurationSummary (one configuration), RunSummary (all of them, group tests, method).
 */
export type { ConfigurationSummary, EnergySummary, RunSummary };

export interface SummaryOptions {
  /** Base seed of the bootstrap (each configuration derives its own from its id). Default 0. */
  seed?: number;
  /** Bootstrap resamples (count). Default 2000. */
  resamples?: number;
  /** Interval confidence level. Default 0.95. */
  confidence?: number;
}

const PROVENANCE_STRENGTH: Record<MeasuredProvenance, number> = { counter: 2, integrated: 1, estimated: 0 };

export function summarizeTrials(results: readonly TrialResult[], options: SummaryOptions = {}): RunSummary {
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const groups = new Map<string, TrialResult[]>();
  for (const t of results) {
    const id = configurationId(configurationKeyOf(t));
    groups.set(id, [...(groups.get(id) ?? []), t]);
  }
  const configurations = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    // Bootstrap resamples by position: order trials by repetition so the input order does not matter.
    .map(([id, trials]) => summarizeConfiguration(id, trials.sort(byRepetition), { seed: deriveSeed(seed, id), resamples, confidence }));
  const count = (s: TrialResult['status']) => results.filter((t) => t.status === s).length;
  return {
    trials: { total: results.length, ok: count('ok'), failed: count('failed'), invalid: count('invalid'), unsupported: count('unsupported') },
    configurations,
    groupTests: groupTests(configurations, results),
    method: {
      trialValue: 'each ok trial contributes one value: its median per-inference latency, its energy per inference',
      quantiles: "numpy 'linear' (Hyndman-Fan type 7)",
      sd: 'sample standard deviation (n - 1)',
      intervals: { method: 'percentile bootstrap', confidence, resamples, seed },
    },
  };
}

function summarizeConfiguration(id: string, trials: TrialResult[], boot: { seed: number; resamples: number; confidence: number }): ConfigurationSummary {
  const ok = trials.filter((t) => t.status === 'ok');
  const metrics = ok.map(trialMetrics);
  const latencies = numbers(metrics.map((m) => m.latencyMs));
  const pooled = ok.flatMap((t) => t.timing.latenciesMs);
  const throughput = numbers(metrics.map((m) => m.throughputSamplesPerS));
  const key = configurationKeyOf(trials[0]!);
  const energy = summarizeEnergy(
    metrics.map((m) => m.energyPerInference),
    key.batchSize,
    boot,
  );
  return {
    id,
    key,
    trials: {
      total: trials.length,
      ok: ok.length,
      failed: trials.filter((t) => t.status === 'failed').length,
      invalid: trials.filter((t) => t.status === 'invalid').length,
      unsupported: trials.filter((t) => t.status === 'unsupported').length,
    },
    excluded: excludedReasons(trials),
    latencyMs: {
      perTrialMedian: latencies.length > 0 ? describe(latencies, boot) : null,
      pooled: pooled.length > 0 ? describe(pooled, { intervals: false }) : null,
    },
    throughputSamplesPerS: throughput.length > 0 ? describe(throughput, boot) : null,
    energy,
    netEnergy: summarizeEnergy(
      metrics.map((m) => m.netEnergyPerInference),
      key.batchSize,
      boot,
    ),
    normality: {
      latencyMs: latencies.length >= 3 ? shapiroWilk(latencies) : null,
      energyPerInferenceJ: energy.available && energy.perInferenceJ.n >= 3 ? shapiroWilk(grossEnergyValuesJ(metrics)) : null,
    },
  };
}

function summarizeEnergy(energies: TrialEnergy[], batchSize: number, boot: { seed: number; resamples: number; confidence: number }): EnergySummary {
  if (energies.length === 0) return { available: false, provenance: 'unavailable', reason: 'no ok trials' };
  const missing = energies.filter((e): e is Extract<TrialEnergy, { available: false }> => !e.available);
  if (missing.length > 0) {
    const reasons = [...new Set(missing.map((e) => e.reason))].join('; ');
    return {
      available: false,
      provenance: 'unavailable',
      reason: `${missing.length} of ${energies.length} ok trials have no energy: ${reasons}`,
    };
  }
  const measured = energies as Extract<TrialEnergy, { available: true }>[];
  const provenance = measured.map((e) => e.provenance).reduce((a, b) => (PROVENANCE_STRENGTH[a] <= PROVENANCE_STRENGTH[b] ? a : b));
  const values = measured.map((e) => e.valueJ);
  return {
    available: true,
    provenance,
    perInferenceJ: describe(values, boot),
    perSampleJ: describe(
      values.map((v) => v / batchSize),
      boot,
    ),
    partialReasons: [...new Set(measured.flatMap((e) => (e.partialReason ? [e.partialReason] : [])))],
  };
}

function excludedReasons(trials: TrialResult[]): ConfigurationSummary['excluded'] {
  const counts = new Map<string, ConfigurationSummary['excluded'][number]>();
  for (const t of trials) {
    if (t.status === 'ok') continue;
    for (const reason of t.reasons.length > 0 ? t.reasons : ['(no reason recorded)']) {
      const k = `${t.status}\u0000${reason}`;
      const entry = counts.get(k) ?? { status: t.status, reason, count: 0 };
      entry.count++;
      counts.set(k, entry);
    }
  }
  return [...counts.values()];
}

function byRepetition(a: TrialResult, b: TrialResult): number {
  return a.config.repetition - b.config.repetition || (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0);
}
