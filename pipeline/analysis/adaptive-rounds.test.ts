import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../contracts/index.js';
import { Contracts, SchemaId } from '../contracts/index.js';
import { summarizeTrials } from './index.js';
import { planRun, type RoundDecision, type RunPlan } from '../plan/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { fakeManifest, fakeTrialResult } from '../testing/trial-results.js';
import { adaptiveRecord, configurationStates, decideAfterLastRound, replayRounds } from './adaptive-rounds.js';

// FAKE trial results (pipeline/testing/trial-results.ts): invented numbers, seeded per trial id, so that the
// same trial always "measures" the same value, as a recorded result does on resume.
const spec = withSchemaDefaults({
  schemaVersion: 1,
  name: 'adaptive',
  seed: 7,
  runtimes: [
    { name: 'pytorch', providers: ['cuda'] },
    { name: 'onnxruntime', providers: ['cuda'], sources: ['pytorch'] },
  ],
  models: ['resnet50'],
  batchSizes: [1, 64],
  repetitions: { min: 3, max: 9, precision: { metric: 'energyPerInference', relativeHalfWidth: 0.02 } },
  warmupIterations: 10,
  measuredIterations: 50,
});

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** The result a trial "measures": noisier for onnxruntime (so it needs more rounds), no energy for pytorch b64. */
function measure(plan: RunPlan, id: string): TrialResult {
  const trial = plan.trials.find((t) => t.id === id)!;
  const seed = hash(id);
  const noisy = trial.config.runtime === 'onnxruntime';
  const drift = 1 + (noisy ? 0.08 : 0.005) * ((seed % 1000) / 1000 - 0.5);
  const r = fakeTrialResult({
    config: trial.config,
    latencyMs: (trial.config.batchSize === 64 ? 90 : 6) * drift,
    seed,
    jitter: 0.02,
    gpuPowerW: 180 * drift,
    energy: trial.config.runtime === 'pytorch' && trial.config.batchSize === 64 ? 'unavailable' : 'measured',
    orderIndex: trial.orderIndex,
  });
  return { ...r, trialId: id };
}

/** `onnxruntime/pytorch/resnet50/cuda/b1` -> `onnxruntime.pytorch.resnet50.cuda.b1`; `pytorch/pytorch/...` -> `pytorch.resnet50...`. */
function asTrialConfiguration(summaryId: string): string {
  const [runtime, source, ...rest] = summaryId.split('/');
  return [runtime, ...(source === runtime ? [] : [source]), ...rest].join('.');
}

/** An uninterrupted run: every pending trial, then the decision, until every configuration stopped. */
function runToEnd(
  start: RunPlan,
  done: Map<string, TrialResult>,
  decisions: RoundDecision[] = [],
): { plan: RunPlan; decisions: RoundDecision[]; sequence: string[] } {
  let plan = start;
  for (;;) {
    for (const t of plan.trials) if (!done.has(t.id)) done.set(t.id, measure(plan, t.id));
    const step = decideAfterLastRound(plan, done)!;
    decisions.push(step.decision);
    plan = step.plan;
    if (!step.decision.next) return { plan, decisions, sequence: plan.trials.map((t) => t.id) };
  }
}

describe('adaptive rounds in a run (fake results)', () => {
  const uninterrupted = runToEnd(planRun(spec), new Map());

  it('extends only the configurations short of the target, and records why each stopped', () => {
    const { decisions, plan } = uninterrupted;
    expect(decisions.length).toBeGreaterThan(1);
    expect(decisions[0]!.configurations).toHaveLength(4);
    const final = new Map(decisions.flatMap((d) => d.configurations.map((c) => [c.configuration, c] as const)));
    expect([...final.values()].every((c) => c.outcome === 'met' || c.outcome === 'max')).toBe(true);
    // The noisy configurations ran more trials than the quiet ones.
    const trials = (c: string) => plan.trials.filter((t) => t.id.startsWith(`${c}.r`)).length;
    expect(trials('onnxruntime.pytorch.resnet50.cuda.b1')).toBeGreaterThan(trials('pytorch.resnet50.cuda.b1'));
    // Energy unavailable: latency stands in, and the decision says so.
    const noEnergy = final.get('pytorch.resnet50.cuda.b64')!;
    expect(noEnergy.metric).toBe('latency');
    expect(noEnergy.fallbackReason).toContain('have no energy');
    expect(final.get('pytorch.resnet50.cuda.b1')!.metric).toBe('energyPerInference');
  });

  it('decides on exactly the interval the report shows', () => {
    const done = new Map<string, TrialResult>();
    for (const t of uninterrupted.plan.trials) done.set(t.id, measure(uninterrupted.plan, t.id));
    const summary = summarizeTrials([...done.values()], { seed: uninterrupted.plan.seed });
    const last = uninterrupted.decisions.at(-1)!;
    for (const c of last.configurations) {
      const s = summary.configurations.find((x) => asTrialConfiguration(x.id) === c.configuration);
      const d = c.metric === 'latency' ? s?.latencyMs.perTrialMedian : s?.energy.available ? s.energy.perInferenceJ : null;
      expect(d, c.configuration).toBeTruthy();
      expect(c.relativeHalfWidth).toBeCloseTo((d!.ciMedian!.upper - d!.ciMedian!.lower) / 2 / d!.median, 12);
    }
  });

  it.each([
    ['mid-round 2 (one trial of it done)', (p: RunPlan) => p.rounds[1]!.firstIndex + 1],
    ['between round 1 and its decision', (p: RunPlan) => p.rounds[0]!.count],
    ['mid-round 3', (p: RunPlan) => p.rounds[2]!.firstIndex + 1],
  ])('a run killed %s resumes into the same trial sequence as the uninterrupted run', (_, cut) => {
    const k = cut(uninterrupted.plan);
    const survived = new Map(uninterrupted.sequence.slice(0, k).map((id) => [id, measure(uninterrupted.plan, id)] as const));
    const replay = replayRounds(planRun(spec), survived);
    const replayedIds = replay.plan.trials.map((t) => t.id);
    expect(uninterrupted.sequence.slice(0, replayedIds.length)).toEqual(replayedIds);
    expect(replayedIds.length).toBeGreaterThanOrEqual(k);
    const resumed = runToEnd(replay.plan, survived, replay.decisions);
    expect(resumed.sequence).toEqual(uninterrupted.sequence);
    expect(resumed.decisions).toEqual(uninterrupted.decisions);
    expect(resumed.plan.rounds).toEqual(uninterrupted.plan.rounds);
  });

  it('records rounds and decisions in a manifest part that validates against the schema', () => {
    const record = adaptiveRecord(uninterrupted.plan, uninterrupted.decisions);
    expect(record.rounds.length).toBe(uninterrupted.decisions.length);
    expect(record.decisions.at(-1)!.nextRound).toBeNull();
    const results = uninterrupted.plan.trials.map((t) => measure(uninterrupted.plan, t.id));
    const manifest = fakeManifest(results, { adaptive: record });
    expect(new Contracts().check(SchemaId.runManifest, manifest)).toEqual([]);
    expect(new Contracts().check(SchemaId.runManifest, { ...manifest, adaptive: { ...record, decisions: [{ afterRound: 1 }] } })).not.toEqual([]);
    expect(configurationStates(uninterrupted.plan, new Map(), 1).every((s) => s.okTrials === 0 && s.relativeHalfWidth === null)).toBe(true);
  });
});
