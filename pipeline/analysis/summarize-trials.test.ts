import { describe as suite, expect, it } from 'vitest';
import { Contracts, SchemaId } from '../contracts/index.js';
import { summarizeTrials } from './summarize-trials.js';
import { median } from './descriptive.js';
import { syntheticTrial, syntheticTrials, type SyntheticConfig } from './fixtures/synthetic-trials.js';

const pytorch: SyntheticConfig = {
  runtime: 'pytorch',
  model: 'resnet50',
  provider: 'cuda',
  batchSize: 64,
  latencyMs: 100,
  energyPerInferenceJ: 20,
};
const mxnet: SyntheticConfig = { ...pytorch, runtime: 'mxnet', latencyMs: 90, energyPerInferenceJ: 18 };

suite('summarizeTrials', () => {
  it('uses schema-valid synthetic trials', () => {
    const contracts = new Contracts();
    const trials = [
      ...syntheticTrials(pytorch, 2, 1),
      syntheticTrial({ ...pytorch, energyPerInferenceJ: null }, { repetition: 3, seed: 9, status: 'failed', reasons: ['CUDA out of memory'] }),
    ];
    for (const t of trials) expect(contracts.check(SchemaId.trialResult, structuredClone(t))).toEqual([]);
  });

  it('groups by configuration and describes the ok trials', () => {
    const trials = [...syntheticTrials(pytorch, 10, 1), ...syntheticTrials(mxnet, 10, 2)];
    const s = summarizeTrials(trials, { seed: 3 });
    expect(s.trials).toEqual({ total: 20, ok: 20, failed: 0, invalid: 0, unsupported: 0 });
    expect(s.configurations.map((c) => c.id)).toEqual(['mxnet/mxnet/resnet50/cuda/b64', 'pytorch/pytorch/resnet50/cuda/b64']);
    const c = s.configurations[1]!;
    const perTrial = trials.slice(0, 10).map((t) => median(t.timing.latenciesMs));
    expect(c.latencyMs.perTrialMedian!.n).toBe(10);
    expect(c.latencyMs.perTrialMedian!.median).toBeCloseTo(median(perTrial), 12);
    expect(c.latencyMs.pooled!.n).toBe(200);
    expect(c.latencyMs.pooled!.ciMedian).toBeNull();
    expect(c.latencyMs.perTrialMedian!.ciMedian!.lower).toBeLessThanOrEqual(c.latencyMs.perTrialMedian!.median);
    expect(c.throughputSamplesPerS!.median).toBeCloseTo(64_000 / 100, -1);
    if (!c.energy.available) throw new Error('energy should be available');
    expect(c.energy.provenance).toBe('counter');
    expect(c.energy.perInferenceJ.median).toBeCloseTo(20, 0);
    expect(c.energy.perSampleJ.median).toBeCloseTo(c.energy.perInferenceJ.median / 64, 12);
    expect(c.netEnergy.available && c.netEnergy.perInferenceJ.median).toBeCloseTo(16, 0);
    expect(c.normality.latencyMs?.n).toBe(10);
    expect(s.groupTests).toHaveLength(2);
    expect(s.groupTests[0]).toMatchObject({ model: 'resnet50', batchSize: 64, metric: 'latencyMs', note: null });
    expect(s.groupTests[0]!.result!.p).toBeLessThan(0.001);
  });

  it('is deterministic for a seed, whatever the trial order', () => {
    const trials = [...syntheticTrials(pytorch, 6, 1), ...syntheticTrials(mxnet, 6, 2)];
    expect(summarizeTrials([...trials].reverse(), { seed: 7 })).toEqual(summarizeTrials(trials, { seed: 7 }));
  });

  it('counts failed, invalid and unsupported trials with reasons and leaves them out of the statistics', () => {
    const trials = [
      ...syntheticTrials(pytorch, 4, 1),
      syntheticTrial(pytorch, { repetition: 5, seed: 50, status: 'failed', reasons: ['CUDA out of memory'] }),
      syntheticTrial(pytorch, { repetition: 6, seed: 60, status: 'failed', reasons: ['CUDA out of memory'] }),
      syntheticTrial({ ...pytorch, latencyMs: 1000 }, { repetition: 7, seed: 70, status: 'invalid', reasons: ['cool-down gate not met'] }),
      syntheticTrial({ ...pytorch, latencyMs: 2000 }, { repetition: 8, seed: 80, status: 'unsupported', reasons: ['no kernels for cc 9.0'] }),
    ];
    const c = summarizeTrials(trials).configurations[0]!;
    expect(c.trials).toEqual({ total: 8, ok: 4, failed: 2, invalid: 1, unsupported: 1 });
    expect(c.excluded).toEqual([
      { status: 'failed', reason: 'CUDA out of memory', count: 2 },
      { status: 'invalid', reason: 'cool-down gate not met', count: 1 },
      { status: 'unsupported', reason: 'no kernels for cc 9.0', count: 1 },
    ]);
    expect(c.latencyMs.perTrialMedian!.max).toBeLessThan(200);
  });

  it('marks energy unavailable, with the reason, when any ok trial lacks it (never 0)', () => {
    const trials = [...syntheticTrials(pytorch, 3, 1), syntheticTrial({ ...pytorch, energyPerInferenceJ: null }, { repetition: 4, seed: 4 })];
    const c = summarizeTrials(trials).configurations[0]!;
    expect(c.energy).toEqual({
      available: false,
      provenance: 'unavailable',
      reason: '1 of 4 ok trials have no energy: no power source available',
    });
    expect(c.netEnergy.available).toBe(false);
    expect(c.latencyMs.perTrialMedian!.n).toBe(4);
    expect(summarizeTrials(trials).groupTests.find((g) => g.metric === 'energyPerInferenceJ')!.note).toMatch(/fewer than 2/);
  });

  it('reports the weakest provenance and partial totals', () => {
    const trials = [
      ...syntheticTrials(pytorch, 2, 1),
      syntheticTrial({ ...pytorch, provenance: 'integrated', partialReason: 'rapl unavailable: not root' }, { repetition: 3, seed: 3 }),
    ];
    const e = summarizeTrials(trials).configurations[0]!.energy;
    expect(e.available && e.provenance).toBe('integrated');
    expect(e.available && e.partialReasons).toEqual(['rapl unavailable: not root']);
  });

  it('says why energy is unavailable when no trial is ok', () => {
    const c = summarizeTrials([syntheticTrial(pytorch, { repetition: 1, seed: 1, status: 'failed', reasons: ['image missing'] })]).configurations[0]!;
    expect(c.energy).toMatchObject({ available: false, reason: 'no ok trials' });
    expect(c.latencyMs.perTrialMedian).toBeNull();
  });
});
