/**
 * Per-trial values the summary and the claims share, and the configuration a trial belongs to.
 * A trial is the unit of replication: its latency is the median of its per-inference latencies.
 */

import type { FrameworkName, ModeName, ModelName, ProviderName, RuntimeName, TrialResult } from '../contracts/index.js';
import { median } from './descriptive.js';

/** What makes two trials the same configuration (repetitions differ only in `repetition`). */
export interface ConfigurationKey {
  runtime: RuntimeName;
  source: FrameworkName;
  model: ModelName;
  provider: ProviderName;
  /** Samples per inference. */
  batchSize: number;
  /** Execution mode, only when not the runtime's default (absent: the default, or a runtime without modes). */
  mode?: ModeName;
}

export const CONFIGURATION_DIMENSIONS = ['runtime', 'source', 'model', 'provider', 'batchSize'] as const;
export type ConfigurationDimension = (typeof CONFIGURATION_DIMENSIONS)[number];

/**
 * Stable id: `runtime/source/model/provider/b<batch>[/mode]`, e.g. `onnxruntime/pytorch/resnet50/cuda/b64` or
 * `tensorflow/tensorflow/resnet50/cpu/b1/keras-predict` (a default mode is not named, as in trial ids).
 */
export function configurationId(k: ConfigurationKey): string {
  return `${k.runtime}/${k.source}/${k.model}/${k.provider}/b${k.batchSize}${k.mode === undefined ? '' : `/${k.mode}`}`;
}

export function configurationKeyOf(trial: TrialResult): ConfigurationKey {
  const c = trial.config;
  return {
    runtime: c.runtime,
    source: c.source,
    model: c.model,
    provider: c.provider,
    batchSize: c.batchSize,
    ...(c.mode === undefined ? {} : { mode: c.mode }),
  };
}

export type MeasuredProvenance = 'counter' | 'integrated' | 'estimated';

/** Energy of one trial: a value with its provenance, or why there is none. */
export type TrialEnergy =
  | { available: true; valueJ: number; provenance: MeasuredProvenance; partialReason: string | null }
  | { available: false; reason: string };

export interface TrialMetrics {
  /** Median per-inference latency of the trial, ms; null when it has no latencies. */
  latencyMs: number | null;
  /** Samples per second over the measure window; null when not reported. */
  throughputSamplesPerS: number | null;
  /** Gross energy per inference (GPU + CPU + DRAM as measured), J. */
  energyPerInference: TrialEnergy;
  /** Energy per inference net of the idle baseline, J. */
  netEnergyPerInference: TrialEnergy;
}

export function trialMetrics(trial: TrialResult): TrialMetrics {
  const lat = trial.timing.latenciesMs;
  return {
    latencyMs: lat.length > 0 ? median(lat) : null,
    throughputSamplesPerS: trial.timing.throughputSamplesPerS ?? null,
    energyPerInference: grossEnergy(trial),
    netEnergyPerInference: netEnergy(trial),
  };
}

function grossEnergy(trial: TrialResult): TrialEnergy {
  const e = trial.energy;
  if (e.totalProvenance === 'unavailable' || e.energyPerInferenceJ === null) {
    return { available: false, reason: e.reason ?? 'energy not measured (no reason recorded)' };
  }
  return { available: true, valueJ: e.energyPerInferenceJ, provenance: e.totalProvenance, partialReason: e.reason };
}

function netEnergy(trial: TrialResult): TrialEnergy {
  const e = trial.energy;
  const gross = grossEnergy(trial);
  if (!gross.available) return gross;
  if (e.totalNetEnergyJ === null || e.totalNetEnergyJ === undefined) {
    return { available: false, reason: 'no idle baseline, so no net energy (power.baselineS was 0 or the baseline failed)' };
  }
  return { ...gross, valueJ: e.totalNetEnergyJ / trial.config.measuredIterations };
}

/** Gross energy per inference (J) of the trials that have one. */
export function grossEnergyValuesJ(metrics: TrialMetrics[]): number[] {
  return metrics.flatMap((m) => (m.energyPerInference.available ? [m.energyPerInference.valueJ] : []));
}

/** The non-null values. */
export function numbers(values: (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}
