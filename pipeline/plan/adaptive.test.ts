import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentSpec } from '../contracts/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { Contracts } from '../contracts/index.js';
import { InputError } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import {
  checkPlanSize,
  configurationOf,
  configurationsInRound,
  decideConfiguration,
  decideNextRound,
  estimateDurationRangeS,
  estimateDurationS,
  planRun,
  roundSeed,
  shardPlan,
  type ConfigurationState,
} from './index.js';
import { tempDir } from '../testing/temp-dir.js';

function study(repetitions: Experiment['repetitions']): ExperimentSpec {
  return withSchemaDefaults({
    schemaVersion: 1,
    name: 'study',
    seed: 42,
    runtimes: [
      { name: 'pytorch', providers: ['cpu'] },
      { name: 'embedded', providers: ['cpu'], sources: ['pytorch'] },
    ],
    models: ['resnet50'],
    batchSizes: [1, 8],
    repetitions,
    warmupIterations: 10,
    measuredIterations: 90,
  });
}
const rule = { min: 4, max: 12, precision: { metric: 'energyPerInference' as const, relativeHalfWidth: 0.02 } };
const state = (configuration: string, trials: number, hw: number | null, okTrials = trials): ConfigurationState => ({
  configuration,
  trials,
  okTrials,
  metric: 'energyPerInference',
  fallbackReason: null,
  median: 1,
  relativeHalfWidth: hw,
});
const unpadded = (id: string) => id.replace(/\.r0*(\d+)$/, '.r$1');

describe('adaptive repetitions: round 1', () => {
  it('is exactly the fixed plan with min repetitions (same trials, same seeded order; ids padded to max)', () => {
    const fixed = planRun(study(4));
    const adaptive = planRun(study(rule));
    expect(adaptive.trials.map((t) => unpadded(t.id))).toEqual(fixed.trials.map((t) => unpadded(t.id)));
    expect(adaptive.trials.map((t) => t.config)).toEqual(fixed.trials.map((t) => t.config));
    expect(adaptive.trials[0]!.id).toMatch(/\.r\d\d$/); // max 12: two digits
    expect(adaptive.rounds).toEqual([{ round: 1, seed: 42, firstIndex: 0, count: 16 }]);
    expect(adaptive.adaptive).toEqual(rule);
    expect(fixed.adaptive).toBeNull();
    expect(adaptive.planHash).not.toBe(fixed.planHash);
  });
});

describe('adaptive repetitions: decisions', () => {
  it('decides on precision and the trial count only: met, max, unmeasurable, extend', () => {
    expect(decideConfiguration(rule, state('a', 4, 0.019)).outcome).toBe('met');
    expect(decideConfiguration(rule, state('a', 4, 0.02)).outcome).toBe('met');
    expect(decideConfiguration(rule, state('a', 4, 0.03)).outcome).toBe('extend');
    expect(decideConfiguration(rule, state('a', 12, 0.03)).outcome).toBe('max');
    expect(decideConfiguration(rule, state('a', 12, 0.01)).outcome).toBe('met');
    const failing = decideConfiguration(rule, state('a', 4, null, 1));
    expect(failing.outcome).toBe('unmeasurable');
    expect(failing.reason).toContain('1 ok trial(s) of 4');
  });

  it('appends one trial per configuration short of the target, shuffled with the round seed', () => {
    const plan = planRun(study(rule));
    const configs = configurationsInRound(plan, 1);
    expect(configs).toHaveLength(4);
    const states = configs.map((c, i) => state(c, 4, i < 3 ? 0.05 : 0.01));
    const { decision, plan: next } = decideNextRound(plan, 1, states);
    expect(decision.next).toEqual({ round: 2, seed: roundSeed(42, 2), trialIds: next.trials.slice(16).map((t) => t.id) });
    expect(next.trialCount).toBe(19);
    expect(next.trials.slice(0, 16)).toEqual(plan.trials); // earlier rounds never change
    expect(
      next.trials
        .slice(16)
        .map((t) => configurationOf(t.id))
        .sort(),
    ).toEqual(configs.slice(0, 3));
    expect(next.trials.slice(16).every((t) => t.config.repetition === 5 && t.id.endsWith('.r05'))).toBe(true);
    expect(next.trials.map((t) => t.orderIndex)).toEqual([...Array(19).keys()]);
    expect(next.rounds[1]).toEqual({ round: 2, seed: roundSeed(42, 2), firstIndex: 16, count: 3 });
    expect(configurationsInRound(next, 2)).toEqual(configs.slice(0, 3));
    // Deterministic, and the order inside a round depends on the round number.
    expect(decideNextRound(plan, 1, [...states].reverse()).plan.trials.map((t) => t.id)).toEqual(next.trials.map((t) => t.id));
    expect(new Set([roundSeed(42, 2), roundSeed(42, 3), roundSeed(43, 2), 42]).size).toBe(4);
  });

  it('starts no round when every configuration stopped', () => {
    const plan = planRun(study(rule));
    const { decision, plan: same } = decideNextRound(
      plan,
      1,
      configurationsInRound(plan, 1).map((c) => state(c, 4, 0.001)),
    );
    expect(decision.next).toBeNull();
    expect(same).toBe(plan);
  });
});

describe('adaptive repetitions: size, estimate and shards', () => {
  it('estimates the range all-at-min ... all-at-max, and judges the plan size by its worst case', () => {
    const plan = planRun(study(rule));
    const range = estimateDurationRangeS(plan);
    const atMin = estimateDurationS(planRun(study(4)));
    const atMax = estimateDurationS(planRun(study(12)));
    expect(range.minTrials).toBe(16);
    expect(range.maxTrials).toBe(48);
    expect(range.minS).toBe(atMin);
    expect(Math.abs(range.maxS - atMax)).toBeLessThanOrEqual(1);
    expect(() => checkPlanSize(plan, { maxTrials: 40 })).toThrow(/up to 48 trials/);
    expect(checkPlanSize(plan, { maxTrials: 48 }).trialCount).toBe(48);
  });

  it('refuses to shard an adaptive plan, naming why and the way out', () => {
    const plan = planRun(study(rule));
    try {
      shardPlan(plan, { index: 0, count: 2, partition: 'repetition' }, '--shard');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const p = (error as InputError).problems[0]!;
      expect(p.message).toContain('adaptive repetitions, which cannot be sharded');
      expect(p.hint).toContain('fixed number of repetitions');
    }
  });

  it('rejects max below min and a min under 3, with the line and the fix', async () => {
    const dir = tempDir('greenrt-adaptive-');
    const lines = [
      'schemaVersion: 1',
      'name: bad',
      'runtimes:',
      '  - name: embedded',
      '    providers: [cpu]',
      '    sources: [pytorch]',
      'models: [resnet50]',
      'batchSizes: [1]',
      'repetitions:',
      '  min: 6',
      '  max: 4',
      '  precision: { metric: energyPerInference, relativeHalfWidth: 0.02 }',
      'warmupIterations: 1',
      'measuredIterations: 1',
    ];
    await writeFile(join(dir, 'bad.yaml'), `${lines.join('\n')}\n`);
    const error = await loadExperiment(join(dir, 'bad.yaml'), new Contracts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const problem = (error as InputError).problems.find((p) => p.path === '/repetitions/max');
    expect(problem?.message).toContain('repetitions.max (4) is below repetitions.min (6)');
    expect(problem?.line).toBe(11);
    expect(problem?.hint).toContain('Make max at least 6');

    await writeFile(join(dir, 'low.yaml'), `${lines.join('\n').replace('min: 6', 'min: 2')}\n`);
    const low = await loadExperiment(join(dir, 'low.yaml'), new Contracts()).catch((e: unknown) => e);
    expect(low).toBeInstanceOf(InputError);
    const lowProblems = (low as InputError).problems;
    expect(
      lowProblems.some((p) => p.path.startsWith('/repetitions') && p.line !== undefined && p.line >= 9),
      JSON.stringify(lowProblems),
    ).toBe(true);
  });
});
