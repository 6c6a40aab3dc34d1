import { SchemaId, type Contracts, type TrialResult, type ValidatedManifest } from '../contracts/index.js';
import { escapeText, nestsDeeperThan } from '../core/index.js';
import { maxRepetitions, trialId } from '../plan/index.js';
import { imageDigestProblems } from './verify-images.js';

/** Deepest nesting a run folder's JSON may have (a real manifest or trial result nests about 6 levels). */
export const maxJsonDepth = 64;

/**
 * What is wrong with one trial result file's contents (empty: nothing), given the run's manifest:
 * JSON, schema, its name, run id, plan membership and order, the configuration its id names,
 * claims no measurement can make (`ok` without latencies, zero or negative counter energy), and an image other than
 * the one the manifest records for its runtime (config digests, verify-images.ts).
 */
export function trialFileProblems(
  name: string,
  bytes: Buffer,
  manifest: ValidatedManifest,
  contracts: Contracts,
): { result: TrialResult | null; claimedId?: string; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { result: null, problems: [`not valid JSON (${escapeText((error as Error).message, 120)})`] };
  }
  if (nestsDeeperThan(data, maxJsonDepth)) return { result: null, problems: [`nests deeper than ${maxJsonDepth} levels`] };
  const schema = contracts.check(SchemaId.trialResult, data);
  if (schema.length > 0) {
    const shown = schema.slice(0, 3).map((p) => `${escapeText(p.path || '/', 80)} ${p.message}`);
    return {
      result: null,
      problems: [`does not match the trial result schema: ${shown.join('; ')}${schema.length > 3 ? `; and ${schema.length - 3} more` : ''}`],
    };
  }
  const r = data as TrialResult;
  const problems: string[] = [];
  const stem = name.slice(0, -'.json'.length);
  if (r.trialId !== stem) problems.push(`holds trial "${r.trialId}", not "${escapeText(stem, 80)}" as its name says`);
  if (r.runId !== manifest.runId) problems.push(`belongs to run "${escapeText(r.runId, 80)}", not this run (${manifest.runId})`);
  const index = manifest.plan.trialIds.indexOf(r.trialId);
  if (index < 0) problems.push(`trial "${r.trialId}" is not in this run's plan`);
  else if (r.orderIndex !== index) problems.push(`orderIndex ${r.orderIndex} differs from the plan's position ${index}`);
  const spec = manifest.experiment.spec;
  const named = trialId(r.config, maxRepetitions(spec.repetitions));
  if (named !== r.trialId) problems.push(`its configuration is that of trial "${named}", not of "${r.trialId}"`);
  const expected = {
    warmupIterations: spec.warmupIterations,
    measuredIterations: spec.measuredIterations,
    threads: spec.threads,
    sequenceLength: spec.sequenceLength,
  };
  for (const [key, value] of Object.entries(expected)) {
    const actual = (r.config as unknown as Record<string, unknown>)[key];
    if (actual !== value) problems.push(`config.${key} is ${JSON.stringify(actual)}, but the experiment sets ${JSON.stringify(value)}`);
  }
  if (r.status === 'ok' && r.timing.latenciesMs.length === 0) problems.push('status "ok" with no latencies (an ok trial has measured inferences)');
  for (const [i, reading] of r.energy.readings.entries()) {
    if (reading.provenance === 'counter' && (reading.energyJ === null || reading.energyJ <= 0)) {
      problems.push(
        `energy.readings[${i}] (${reading.source} ${escapeText(reading.domain, 40)}) is a counter reading of ${String(reading.energyJ)} J (an energy counter only grows over a window)`,
      );
    }
  }
  if (r.energy.totalProvenance === 'counter' && (r.energy.totalEnergyJ === null || r.energy.totalEnergyJ <= 0)) {
    problems.push(`energy.totalEnergyJ is ${String(r.energy.totalEnergyJ)} J with counter provenance`);
  }
  if (r.tracePath != null && r.tracePath !== `traces/${r.trialId}.json`) {
    problems.push(`tracePath "${escapeText(r.tracePath, 80)}" is not this trial's trace file (traces/${r.trialId}.json)`);
  }
  problems.push(...imageDigestProblems(r, manifest));
  return { result: problems.length === 0 ? r : null, claimedId: r.trialId, problems };
}
