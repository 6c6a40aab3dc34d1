import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentSpec } from '../contracts/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { ExitCode, InputError } from '../core/index.js';
import { checkPlanSize, estimateDurationS, formatDuration, planRun } from './index.js';

function one(overrides: Partial<Experiment> = {}): ExperimentSpec {
  return withSchemaDefaults({
    schemaVersion: 1,
    name: 'size',
    runtimes: [{ name: 'pytorch', providers: ['cpu'] }],
    models: ['resnet50'],
    batchSizes: [1],
    repetitions: 1,
    warmupIterations: 10,
    measuredIterations: 90,
    ...overrides,
  });
}

describe('estimateDurationS', () => {
  it('adds baseline, per-trial start-up, inferences and model preparation', () => {
    // 10 s baseline + (15 s start-up + 100 inferences × 50 ms) + 60 s preparing the native model
    expect(estimateDurationS(planRun(one()))).toBe(10 + 15 + 5 + 60);
    // batch 8 on cuda: 100 × 50 ms × 8 / 10
    expect(estimateDurationS(planRun(one({ batchSizes: [8], runtimes: [{ name: 'pytorch', providers: ['cuda'] }] })))).toBe(10 + 15 + 4 + 60);
    expect(estimateDurationS(planRun(one()), 100)).toBe(10 + 15 + 10 + 60);
  });

  it('caps a trial at its timeout and counts the cool-down minimum', () => {
    const plan = planRun(one({ measuredIterations: 1_000_000, trialTimeoutS: 600, power: { cooldown: { minS: 30 } } }));
    expect(estimateDurationS(plan)).toBe(10 + 30 + 600 + 60);
  });
});

describe('checkPlanSize', () => {
  it('lets a small plan through and returns its size', () => {
    expect(checkPlanSize(planRun(one()))).toEqual({ trialCount: 1, estimatedDurationS: 90 });
  });

  it('refuses more than 500 trials unless confirmed with --yes', () => {
    const plan = planRun(one({ repetitions: 501, measuredIterations: 1, warmupIterations: 0 }));
    let error: unknown;
    try {
      checkPlanSize(plan, { file: 'experiments/big.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.exitCode).toBe(ExitCode.badInput);
    expect(input.message).toContain('501 trials');
    expect(input.message).toContain('more than 500 trials');
    expect(input.message).toContain('--yes');
    expect(input.problems[0]).toMatchObject({ file: 'experiments/big.yaml', path: '' });
    expect(checkPlanSize(plan, { confirmed: true }).trialCount).toBe(501);
  });

  it('refuses a plan estimated over 24 h even with few trials', () => {
    const plan = planRun(one({ batchSizes: [64], measuredIterations: 100_000, trialTimeoutS: 86400, repetitions: 20 }));
    expect(plan.trialCount).toBe(20);
    expect(() => checkPlanSize(plan)).toThrow(/estimated \d+\.\d h.*longer than 24\.0 h.*--yes/s);
    expect(() => checkPlanSize(plan, { maxDurationS: 1e9 })).not.toThrow();
  });

  it('formats durations', () => {
    expect([formatDuration(90), formatDuration(600), formatDuration(7200)]).toEqual(['90 s', '10.0 min', '2.0 h']);
  });
});
