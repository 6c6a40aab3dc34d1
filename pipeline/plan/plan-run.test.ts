import { describe, expect, it } from 'vitest';
import type { Experiment, ExperimentSpec } from '../contracts/index.js';
import { withSchemaDefaults } from '../testing/experiment-spec.js';
import { readSchemaFiles } from '../contracts/index.js';
import { InputError } from '../core/index.js';
import { mulberry32, planRun, seededShuffle, trialIdPattern } from './index.js';

const sha = 'b92e60ba795611e2e05457aeb5eacffa5eb832a31f07aaf79c2e39aae6a25721';

function study(overrides: Partial<Experiment> = {}): ExperimentSpec {
  return withSchemaDefaults({
    schemaVersion: 1,
    name: 'study',
    seed: 42,
    runtimes: [
      { name: 'pytorch', providers: ['cpu', 'cuda'] },
      { name: 'onnxruntime', providers: ['cpu', 'tensorrt'], sources: ['pytorch', 'tensorflow'] },
      { name: 'embedded', providers: ['cpu'], sources: ['pytorch'] },
    ],
    models: ['resnet50', 'bert_base_uncased'],
    batchSizes: [1, 8],
    repetitions: 3,
    warmupIterations: 10,
    measuredIterations: 90,
    prebuiltModels: [{ model: 'resnet50', source: 'pytorch', path: 'models/r.onnx', sha256: sha }],
    ...overrides,
  });
}

describe('planRun: matrix expansion', () => {
  it('expands runtime × source × model × provider × batch × repetition', () => {
    const plan = planRun(study());
    // pytorch 2 providers + onnxruntime 2 sources × 2 providers + embedded 1 = 7 configurations per model/batch/rep
    expect(plan.trialCount).toBe(7 * 2 * 2 * 3);
    expect(plan.trials).toHaveLength(84);
    expect(plan.trials.filter((t) => t.config.runtime === 'onnxruntime' && t.config.source === 'tensorflow')).toHaveLength(24);
    expect(plan.trials.map((t) => t.orderIndex)).toEqual([...Array(84).keys()]);
    expect(planRun(study({ repetitions: 1, batchSizes: [4] })).trialCount).toBe(7 * 2);
  });

  it('gives unique, readable ids matching the trialId pattern', () => {
    const plan = planRun(study({ repetitions: 12 }));
    const ids = plan.trials.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(trialIdPattern);
    expect(ids).toContain('onnxruntime.pytorch.resnet50.tensorrt.b8.r03');
    expect(ids).toContain('pytorch.bert_base_uncased.cuda.b1.r12');
    expect(ids).toContain('embedded.pytorch.resnet50.cpu.b1.r01');
    expect(planRun(study({ repetitions: 3 })).trials.map((t) => t.id)).toContain('pytorch.resnet50.cpu.b1.r3');
  });

  it('fills each trial config, image and model', () => {
    const plan = planRun(study({ threads: 4, sequenceLength: 64 }));
    const trt = plan.trials.find((t) => t.id === 'onnxruntime.tensorflow.bert_base_uncased.tensorrt.b8.r2')!;
    expect(trt.config).toEqual({
      runtime: 'onnxruntime',
      source: 'tensorflow',
      model: 'bert_base_uncased',
      provider: 'tensorrt',
      batchSize: 8,
      repetition: 2,
      warmupIterations: 10,
      measuredIterations: 90,
      threads: 4,
      sequenceLength: 64,
    });
    expect(trt.image).toEqual({ runtime: 'onnxruntime', flavour: 'tensorrt' });
    expect(trt.model).toEqual({ model: 'bert_base_uncased', source: 'tensorflow', format: 'onnx' });
    const embedded = plan.trials.find((t) => t.config.runtime === 'embedded')!;
    expect(embedded.image).toBeNull();
    const native = plan.trials.find((t) => t.id === 'pytorch.resnet50.cpu.b1.r1')!;
    expect(native.model).toEqual({ model: 'resnet50', source: 'pytorch', format: 'native' });
    expect(native.image).toEqual({ runtime: 'pytorch', flavour: 'cpu' });
  });

  it('lists the images and models needed, marking prebuilt models', () => {
    const plan = planRun(study());
    expect(plan.images.map((i) => [`${i.runtime}:${i.flavour}`, i.usedFor])).toEqual([
      ['onnxruntime:cpu', ['trials']],
      ['onnxruntime:tensorrt', ['trials']],
      ['pytorch:cpu', ['trials', 'models']],
      ['pytorch:cuda', ['trials']],
      ['tensorflow:cpu', ['models']],
    ]);
    expect(plan.models.map((m) => [`${m.model}:${m.source}:${m.format}`, m.prebuilt?.path ?? null, m.preparedIn])).toEqual([
      ['bert_base_uncased:pytorch:native', null, { runtime: 'pytorch', flavour: 'cpu' }],
      ['bert_base_uncased:pytorch:onnx', null, { runtime: 'pytorch', flavour: 'cpu' }],
      ['bert_base_uncased:tensorflow:onnx', null, { runtime: 'tensorflow', flavour: 'cpu' }],
      ['resnet50:pytorch:native', null, { runtime: 'pytorch', flavour: 'cpu' }],
      ['resnet50:pytorch:onnx', 'models/r.onnx', null],
      ['resnet50:tensorflow:onnx', null, { runtime: 'tensorflow', flavour: 'cpu' }],
    ]);
    // Preparation never needs a GPU: a framework only needed on cuda still prepares its models in its
    // cpu image (issue 11: libmxnet.so in the cuda image links libcuda.so.1, absent without a GPU).
    const cudaOnly = planRun(study({ runtimes: [{ name: 'mxnet', providers: ['cuda'] }], prebuiltModels: [] }));
    expect(cudaOnly.images).toEqual([
      { runtime: 'mxnet', flavour: 'cpu', usedFor: ['models'] },
      { runtime: 'mxnet', flavour: 'cuda', usedFor: ['trials'] },
    ]);
    expect(cudaOnly.models.every((m) => m.preparedIn?.flavour === 'cpu')).toBe(true);
    // The same for ONNX exports that only cuda/tensorrt onnxruntime trials use.
    const ortGpu = planRun(study({ runtimes: [{ name: 'onnxruntime', providers: ['cuda', 'tensorrt'], sources: ['pytorch'] }], prebuiltModels: [] }));
    expect(ortGpu.models.map((m) => m.preparedIn)).toEqual([
      { runtime: 'pytorch', flavour: 'cpu' },
      { runtime: 'pytorch', flavour: 'cpu' },
    ]);
    expect(ortGpu.images.find((i) => i.runtime === 'pytorch')).toEqual({ runtime: 'pytorch', flavour: 'cpu', usedFor: ['models'] });
  });

  it('rejects impossible combinations with InputError', () => {
    const bad = study({ runtimes: [{ name: 'tensorflow', providers: ['tensorrt'] }] });
    expect(() => planRun(bad)).toThrow(InputError);
    expect(() => planRun(bad)).toThrow(/runtime "tensorflow" only supports providers "cpu", "cuda", not "tensorrt"/);
  });
});

describe('planRun: seeded order', () => {
  const small = (overrides: Partial<Experiment> = {}) =>
    study({
      runtimes: [{ name: 'pytorch', providers: ['cpu'] }],
      models: ['resnet50', 'mobilenet_v2'],
      batchSizes: [1, 8],
      repetitions: 2,
      prebuiltModels: [],
      ...overrides,
    });

  it('mulberry32 produces its fixed sequence', () => {
    const random = mulberry32(42);
    const firstThree = [random(), random(), random()].map((x) => Math.floor(x * 2 ** 32));
    expect(firstThree).toEqual([2581720956, 1925393290, 3661312704]);
    expect(seededShuffle([1, 2, 3, 4, 5], 1)).toEqual(seededShuffle([1, 2, 3, 4, 5], 1));
  });

  it('seed 42 gives the golden order', () => {
    const plan = planRun(small());
    expect(plan.seed).toBe(42);
    expect(plan.order).toBe('shuffled');
    expect(plan.trials.map((t) => t.id)).toEqual([
      // Checked against the reference mulberry32 (bryc) and a textbook Fisher-Yates over the id-sorted trials.
      'pytorch.mobilenet_v2.cpu.b8.r1',
      'pytorch.resnet50.cpu.b8.r2',
      'pytorch.mobilenet_v2.cpu.b1.r2',
      'pytorch.mobilenet_v2.cpu.b1.r1',
      'pytorch.resnet50.cpu.b8.r1',
      'pytorch.resnet50.cpu.b1.r2',
      'pytorch.mobilenet_v2.cpu.b8.r2',
      'pytorch.resnet50.cpu.b1.r1',
    ]);
  });

  it('is the same for the same seed, different for another, matrix order when sequential', () => {
    const ids = (e: ExperimentSpec) => planRun(e).trials.map((t) => t.id);
    expect(ids(small())).toEqual(ids(small()));
    expect(ids(small({ seed: 43 }))).not.toEqual(ids(small()));
    expect(ids(small({ order: 'sequential' }))).toEqual([
      'pytorch.resnet50.cpu.b1.r1',
      'pytorch.resnet50.cpu.b1.r2',
      'pytorch.resnet50.cpu.b8.r1',
      'pytorch.resnet50.cpu.b8.r2',
      'pytorch.mobilenet_v2.cpu.b1.r1',
      'pytorch.mobilenet_v2.cpu.b1.r2',
      'pytorch.mobilenet_v2.cpu.b8.r1',
      'pytorch.mobilenet_v2.cpu.b8.r2',
    ]);
    expect(planRun(small({ order: 'sequential' })).order).toBe('sequential');
  });

  it('does not depend on YAML key order, nor (when shuffled) on list order', () => {
    const a = study();
    // Same content, keys inserted in reverse order at every level.
    const reversed = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as ExperimentSpec;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(a)[0]);
    expect(planRun(reversed)).toEqual(planRun(a));
    const relisted = study({ models: ['bert_base_uncased', 'resnet50'], batchSizes: [8, 1], runtimes: [...a.runtimes].reverse() });
    expect(planRun(relisted).trials.map((t) => t.id)).toEqual(planRun(a).trials.map((t) => t.id));
    expect(planRun(relisted).planHash).toBe(planRun(a).planHash);
  });

  it('records the run id prefix and a plan hash that changes with the plan', () => {
    expect(planRun(small()).runIdPrefix).toBe('study');
    expect(planRun(small(), { runIdPrefix: 'lab-a' }).runIdPrefix).toBe('lab-a');
    expect(planRun(small()).planHash).toMatch(/^[0-9a-f]{12}$/);
    expect(planRun(small({ seed: 1 })).planHash).not.toBe(planRun(small()).planHash);
  });
});

describe('planRun: schema defaults', () => {
  it('plans with the defaults of schemas/experiment.schema.json when the experiment leaves them out', () => {
    const schema = readSchemaFiles().find((f) => f.file === 'experiment.schema.json')!.schema as {
      properties: Record<string, { default?: unknown }>;
      $defs: { power: { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }> } };
    };
    const p = schema.properties;
    const power = schema.$defs.power.properties;
    const bare: Experiment = {
      schemaVersion: 1,
      name: 'bare',
      runtimes: [{ name: 'pytorch', providers: ['cpu'] }],
      models: ['resnet50'],
      batchSizes: [1],
      repetitions: 2,
      warmupIterations: 1,
      measuredIterations: 1,
    };
    const plan = planRun(withSchemaDefaults(bare));
    expect([plan.seed, plan.order, plan.timing.trialTimeoutS]).toEqual([p.seed?.default, p.order?.default, p.trialTimeoutS?.default]);
    expect(plan.timing.baselineS).toBe(power.baselineS?.default);
    expect(plan.timing.cooldownMinS).toBe(power.cooldown?.properties?.minS?.default);
    for (const t of plan.trials) expect([t.config.threads, t.config.sequenceLength]).toEqual([p.threads?.default, p.sequenceLength?.default]);
  });
});
