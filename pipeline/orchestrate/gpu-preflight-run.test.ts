/**
 * The run loop's GPU pre-flight on FAKES (no GPU here): a fake host with one H200 (cc 9.0), a fake
 * executor whose images carry issue 10's recorded arch lists, a measurement port that measures nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, type TrialResult } from '../contracts/index.js';
import { systemClock } from '../core/index.js';
import type { PlannedTrial } from '../plan/index.js';
import type { TrialCaches } from '../runners/index.js';
import { fakeImageRecord } from '../testing/trial-results.js';
import type { FrameworkExecutor } from './ports.js';
import { noPowerMeasurement } from '../testing/fake-measurement.js';
import { runExperiment } from './run-experiment.js';
import { tempDir } from '../testing/temp-dir.js';

const archs: Record<string, string[]> = {
  pytorch: ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90'],
  tensorflow: ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'compute_80'],
  mxnet: ['sm_50', 'sm_60', 'sm_70', 'sm_80', 'sm_86'],
};
const measurement = noPowerMeasurement;
const progress = { info: () => undefined, status: () => undefined, step: () => undefined, done: () => undefined };

function fakeExecutor(calls: { trial: PlannedTrial; caches?: TrialCaches }[]): FrameworkExecutor {
  return {
    kind: 'docker',
    attach: () => undefined,
    describeEngine: async () => null,
    removeOrphans: async () => 0,
    ensureImages: async (images) =>
      images.map((i) =>
        fakeImageRecord({
          runtime: i.runtime,
          flavour: i.flavour,
          tag: `greenrt/${i.runtime}:${i.flavour}-fake`,
          description: {
            harness: null,
            harnessError: 'fake image: not described',
            dpkg: null,
            cuda:
              i.flavour === 'cuda'
                ? {
                    runtime: i.runtime,
                    flavour: i.flavour,
                    cuda: '12.4',
                    cudnn: null,
                    archs: archs[i.runtime]!,
                    archSource: 'fake',
                    minDriver: '550',
                    knownUnavailable: {},
                    librariesChecked: 0,
                    problems: [],
                    ok: true,
                  }
                : null,
          },
        }),
      ),
    prepareModel: async (need) => ({
      model: need.model,
      source: need.source,
      dir: '/fake/model',
      onnxFile: null,
      sha256: 'a'.repeat(64),
      prebuilt: false,
      cacheHit: true,
      conversion: null,
      conversionNote: null,
      prepared: null,
    }),
    runTrial: async (trial, spec, _model, _workDir, _onStart, _signal, extra) => {
      calls.push({ trial, ...(extra?.caches ? { caches: extra.caches } : {}) });
      const t = process.hrtime.bigint();
      const w = (a: bigint, b: bigint) => ({ startNs: String(a), endNs: String(b) });
      return {
        output: {
          schemaVersion: 1,
          trialId: spec.trialId,
          status: 'ok',
          error: null,
          phases: { load: w(t, t + 1n), warmup: w(t + 1n, t + 2n), measure: w(t + 2n, t + 1000n) },
          latenciesMs: [0.001],
          outputChecksum: 1,
          environment: { python: '3.11', framework: spec.runtime, frameworkVersion: 'fake', device: 'fake H200', providers: ['cuda'] },
        },
        failure: null,
        startedNs: t,
        endedNs: t + 2000n,
        wallMs: 0.002,
      };
    },
  };
}

describe('runExperiment GPU pre-flight (fakes)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('greenrt-preflight-');
    writeFileSync(
      join(dir, 'gpu.yaml'),
      [
        'schemaVersion: 1',
        'name: gpu-preflight',
        'order: sequential',
        'runtimes:',
        '  - { name: pytorch, providers: [cuda] }',
        '  - { name: tensorflow, providers: [cuda] }',
        '  - { name: mxnet, providers: [cuda] }',
        'models: [resnet50]',
        'batchSizes: [1]',
        'repetitions: 2',
        'warmupIterations: 1',
        'measuredIterations: 1',
        'power: { sources: [none], baselineS: 0 }',
        '',
      ].join('\n'),
    );
  });

  it('refuses MXNet up front as unsupported trials, runs TensorFlow with a run-scoped compute cache and a warning', async () => {
    const calls: { trial: PlannedTrial; caches?: TrialCaches }[] = [];
    const contracts = new Contracts();
    const outcome = await runExperiment(
      {
        contracts,
        clock: systemClock,
        progress,
        listGpus: async () => ({
          gpus: [
            { index: 0, uuid: 'GPU-fake-h200', name: 'NVIDIA H200 (fake)', computeCapability: '9.0' },
            { index: 1, uuid: 'GPU-fake-2', name: 'NVIDIA H200 (fake)', computeCapability: '9.0' },
          ],
          via: 'nvml',
          driverVersion: '550.fake',
          reason: null,
        }),
        createMeasurement: async () => measurement,
        createFrameworkExecutor: async () => fakeExecutor(calls),
      },
      { experimentFile: join(dir, 'gpu.yaml'), artifactsDir: join(dir, 'artifacts'), confirmed: true, signal: new AbortController().signal },
    );
    expect(outcome.progress).toMatchObject({ total: 6, ok: 4, unsupported: 2, failed: 0 });
    expect(outcome.exitCode).toBe(0);
    expect(calls.map((c) => c.trial.config.runtime)).not.toContain('mxnet');
    const tf = calls.filter((c) => c.trial.config.runtime === 'tensorflow');
    expect(tf.map((c) => c.caches?.cudaComputeDir)).toEqual([join(outcome.runDir, 'cache/cuda-compute'), join(outcome.runDir, 'cache/cuda-compute')]);
    expect(calls.find((c) => c.trial.config.runtime === 'pytorch')!.caches).toBeUndefined();

    const manifest = JSON.parse(readFileSync(join(outcome.runDir, 'manifest.json'), 'utf8'));
    expect(contracts.check('https://greenrt.dev/schemas/run-manifest.schema.json', manifest)).toEqual([]);
    expect(manifest.gpu.measured.map((g: { index: number }) => g.index)).toEqual([0]);
    expect(manifest.gpu.context.map((g: { index: number }) => g.index)).toEqual([1]);
    expect(manifest.gpu.images.map((i: { runtime: string; support: string }) => `${i.runtime}:${i.support}`)).toEqual([
      'mxnet:unsupported',
      'pytorch:native',
      'tensorflow:ptx-jit',
    ]);

    const mx = JSON.parse(readFileSync(join(outcome.runDir, 'trials', 'mxnet.resnet50.cuda.b1.r1.json'), 'utf8')) as TrialResult;
    expect(mx.status).toBe('unsupported');
    expect(mx.reasons[0]).toContain('no kernels for cc 9.0');
    const tfResult = JSON.parse(readFileSync(join(outcome.runDir, 'trials', 'tensorflow.resnet50.cuda.b1.r1.json'), 'utf8')) as TrialResult;
    expect(tfResult.status).toBe('ok');
    expect(tfResult.reasons.join(' ')).toContain('PTX JIT');
    const report = readFileSync(join(outcome.runDir, 'report.md'), 'utf8');
    expect(report).toContain('refused before running');
    expect(report).toMatch(/PTX JIT/);
  });
});
