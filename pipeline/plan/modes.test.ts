import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentSpec } from '../contracts/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { InputError } from '../core/index.js';
import { combinationIssues, planRun, trialId, trialMode } from './index.js';

function study(runtimes: Experiment['runtimes']): ExperimentSpec {
  return withSchemaDefaults({
    schemaVersion: 1,
    name: 'modes',
    seed: 15,
    runtimes,
    models: ['resnet50', 'bert_base_uncased'],
    batchSizes: [1],
    repetitions: 2,
    warmupIterations: 1,
    measuredIterations: 3,
  });
}

describe('execution modes in the plan', () => {
  it('expands modes like providers: one configuration per mode, the default unnamed in config and id', () => {
    const plan = planRun(study([{ name: 'tensorflow', providers: ['cpu'], modes: ['keras-predict', 'keras-call', 'function'] }]));
    expect(plan.trialCount).toBe(3 * 2 * 2);
    const ids = plan.trials.map((t) => t.id).sort();
    expect(ids).toContain('tensorflow.resnet50.cpu.keras-predict.b1.r1');
    expect(ids).toContain('tensorflow.bert_base_uncased.cpu.keras-call.b1.r2');
    expect(ids).toContain('tensorflow.resnet50.cpu.b1.r1'); // the default mode (function): as before modes existed
    expect(new Set(ids).size).toBe(ids.length);
    const fn = plan.trials.find((t) => t.id === 'tensorflow.resnet50.cpu.b1.r1')!;
    expect('mode' in fn.config).toBe(false);
    expect(trialMode(fn.config)).toBe('function');
    expect(trialMode(plan.trials.find((t) => t.id === 'tensorflow.resnet50.cpu.keras-predict.b1.r1')!.config)).toBe('keras-predict');
    // Every mode shares the image and the prepared model: modes are how the adapter calls the same model.
    expect(plan.images.map((i) => `${i.runtime}:${i.flavour}`)).toEqual(['tensorflow:cpu']);
    expect(plan.models).toHaveLength(2);
  });

  it('keeps the plan of an experiment without modes byte-identical, so old runs resume and old shards merge', () => {
    const without = planRun(
      study([
        { name: 'pytorch', providers: ['cpu'] },
        { name: 'mxnet', providers: ['cpu'] },
      ]),
    );
    const explicitDefault = planRun(
      study([
        { name: 'pytorch', providers: ['cpu'], modes: ['eager'] },
        { name: 'mxnet', providers: ['cpu'], modes: ['hybridized'] },
      ]),
    );
    expect(explicitDefault.trials.map((t) => t.id)).toEqual(without.trials.map((t) => t.id));
    expect(explicitDefault.planHash).toBe(without.planHash);
    expect(without.trials.every((t) => !('mode' in t.config))).toBe(true);
  });

  it('names the mode between provider and batch, only when it is not the default', () => {
    const base = {
      runtime: 'pytorch',
      source: 'pytorch',
      model: 'resnet50',
      provider: 'cpu',
      batchSize: 1,
      repetition: 3,
      warmupIterations: 1,
      measuredIterations: 1,
      threads: null,
      sequenceLength: 128,
    } as const;
    expect(trialId(base, 10)).toBe('pytorch.resnet50.cpu.b1.r03');
    expect(trialId({ ...base, mode: 'torchscript' }, 10)).toBe('pytorch.resnet50.cpu.torchscript.b1.r03');
    expect(trialMode({ runtime: 'onnxruntime' })).toBeNull();
  });

  it('refuses a mode the image cannot run, a mode of another runtime, and modes on an ONNX runtime, with the fix', () => {
    const issues = combinationIssues(
      study([
        { name: 'pytorch', providers: ['cpu', 'cuda'], modes: ['eager', 'compile', 'keras-call'] },
        { name: 'onnxruntime', providers: ['cpu'], sources: ['pytorch'], modes: ['eager'] },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual(['/runtimes/0/modes/1', '/runtimes/0/modes/1', '/runtimes/0/modes/2', '/runtimes/1/modes']);
    expect(issues[0]!.message).toMatch(/mode "compile" of runtime "pytorch" cannot run with provider "cpu": torch.compile's inductor .*C\+\+ compiler/);
    expect(issues[0]!.message).not.toMatch(/\.\.$/);
    expect(issues[1]!.message).toMatch(/provider "cuda".*Triton/);
    expect(issues[2]!.message).toBe('runtime "pytorch" has no mode "keras-call" (that is a mode of "tensorflow")');
    expect(issues[2]!.hint).toContain('"eager", "torchscript", "compile" (default "eager")');
    expect(issues[3]!.message).toMatch(/"onnxruntime" has no execution modes/);
    expect(() => planRun(study([{ name: 'pytorch', providers: ['cpu'], modes: ['compile'] }]))).toThrow(InputError);
  });
});
