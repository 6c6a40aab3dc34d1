/**
 * RECORDED trial values (not invented): bench/fixtures/campaign-cpu-recorded.json, a real greenrt run of the
 * embedded runtime (4 configurations x 20 repetitions, latency per trial; no energy on that host). Tests replay
 * them through the adaptive rule: repetition r of a configuration "measures" that configuration's recorded
 * repetition r, whatever path (one node, or shards round by round) asks for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Contracts, SchemaId, packageRoot, type ExperimentSpec, type TrialResult } from '../contracts/index.js';
import type { PlannedTrial } from '../plan/index.js';
import { fakeTrialResult } from './trial-results.js';

interface RecordedTrial {
  config: { runtime: string; source: string; model: string; provider: string; batchSize: number };
  repetition: number;
  status: string;
  latencyMs: number | null;
  wallS: number;
}
interface RecordedStudy {
  experiment: Record<string, unknown>;
  trials: RecordedTrial[];
}

export const recordedStudy: RecordedStudy = JSON.parse(readFileSync(join(packageRoot, 'bench', 'fixtures', 'campaign-cpu-recorded.json'), 'utf8'));

/** The recorded experiment with adaptive repetitions (precision of the median latency), validated with the schema's defaults. */
export function recordedAdaptiveSpec(repetitions: { min: number; max: number; relativeHalfWidth: number }): ExperimentSpec {
  return new Contracts().assert<ExperimentSpec>(
    SchemaId.experiment,
    {
      schemaVersion: 1,
      ...structuredClone(recordedStudy.experiment),
      power: { sources: ['none'], baselineS: 0 },
      repetitions: { min: repetitions.min, max: repetitions.max, precision: { metric: 'latency', relativeHalfWidth: repetitions.relativeHalfWidth } },
    },
    'bench/fixtures/campaign-cpu-recorded.json experiment',
  );
}

const key = (c: RecordedTrial['config'], repetition: number) => `${c.runtime}/${c.source}/${c.model}/${c.provider}/b${c.batchSize}#${repetition}`;
const byKey = new Map(recordedStudy.trials.map((t) => [key(t.config, t.repetition), t] as const));

/** The recorded trial for a planned one, as a TrialResult of `runId` (latencies all at the recorded median: jitter 0). */
export function recordedResult(trial: PlannedTrial, runId: string): TrialResult {
  const c = trial.config;
  const t = byKey.get(key({ runtime: c.runtime, source: c.source, model: c.model, provider: c.provider, batchSize: c.batchSize }, c.repetition));
  if (!t) throw new Error(`the recorded study has no repetition ${c.repetition} of ${trial.id}`);
  const r = fakeTrialResult({
    runId,
    config: c,
    orderIndex: trial.orderIndex,
    latencyMs: t.latencyMs ?? 1,
    jitter: 0,
    seed: 1,
    energy: 'unavailable',
    ...(t.status === 'ok' ? {} : { status: 'failed' as const, reasons: ['recorded as failed'] }),
  });
  return { ...r, trialId: trial.id };
}

/** Recorded wall time of a planned trial, s. */
export function recordedWallS(trial: PlannedTrial): number {
  const c = trial.config;
  return byKey.get(key({ runtime: c.runtime, source: c.source, model: c.model, provider: c.provider, batchSize: c.batchSize }, c.repetition))?.wallS ?? 0;
}
