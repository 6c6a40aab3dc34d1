import { describe, expect, it } from 'vitest';
import type { TrialConfig, TrialOutput, TrialResult } from '../contracts/index.js';
import { buildTrialResult, type ExecutionRecord } from './trial-result.js';

const config = { runtime: 'onnxruntime', source: 'pytorch', model: 'resnet50', provider: 'cpu', batchSize: 1, repetition: 1 } as unknown as TrialConfig;

const reasonsOf = (execution: Partial<ExecutionRecord>): { status: TrialResult['status']; reasons: string[] } => {
  const r = buildTrialResult({
    runId: 'run',
    trialId: 't',
    orderIndex: 0,
    config,
    runner: { kind: 'docker' },
    execution: { output: null, failure: null, startedNs: 0n, endedNs: 1n, wallMs: 0, ...execution },
    model: null,
    energy: {} as TrialResult['energy'],
    invalidReasons: [],
    startedAt: '',
    finishedAt: '',
  });
  return { status: r.status, reasons: r.reasons };
};

describe('buildTrialResult: failure reasons say each thing once', () => {
  it("does not repeat the entrypoint's error when the runner's reason quotes it", () => {
    const output = { status: 'failed', phases: {}, latenciesMs: [], error: { type: 'ValueError', message: 'boom' } } as unknown as TrialOutput;
    expect(reasonsOf({ output, failure: 'trial failed (exit 3): ValueError: boom' })).toEqual({
      status: 'failed',
      reasons: ['trial failed (exit 3): ValueError: boom'],
    });
  });

  it('keeps an entrypoint error the runner did not mention', () => {
    const output = { status: 'failed', phases: {}, latenciesMs: [], error: { type: 'Error', message: 'session failed' } } as unknown as TrialOutput;
    expect(reasonsOf({ output, failure: 'embedded runtime failed: session failed' }).reasons).toEqual([
      'embedded runtime failed: session failed',
      'Error: session failed',
    ]);
  });

  it('"no output" only when nothing else explains the failure', () => {
    expect(reasonsOf({ failure: 'timed out after 8 s' }).reasons).toEqual(['timed out after 8 s']);
    expect(reasonsOf({}).reasons).toEqual(['no output from the entrypoint']);
  });
});

describe('buildTrialResult: engine build', () => {
  it('reports the TensorRT engine build (inside warm-up) separately from load and the measure window', () => {
    const w = (a: number, b: number) => ({ startNs: String(a), endNs: String(b) });
    const output = {
      status: 'ok',
      phases: { load: w(1e6, 2e6), warmup: w(2e6, 9e9), engineBuild: w(2e6, 8e9), measure: w(9e9, 10e9) },
      latenciesMs: [1],
      environment: {},
    } as unknown as TrialOutput;
    const r = buildTrialResult({
      runId: 'run',
      trialId: 't',
      orderIndex: 0,
      config,
      runner: { kind: 'docker' },
      execution: { output, failure: null, startedNs: 0n, endedNs: 11_000_000_000n, wallMs: 11_000 },
      model: null,
      energy: {} as TrialResult['energy'],
      invalidReasons: [],
      startedAt: '',
      finishedAt: '',
    });
    expect(r.timing).toMatchObject({ engineBuildMs: 7998, loadMs: 1, measureWindowMs: 1000 });
  });

  it('a refused trial is unsupported with its reason, whatever the execution says', () => {
    const r = buildTrialResult({
      runId: 'run',
      trialId: 't',
      orderIndex: 0,
      config,
      runner: { kind: 'docker' },
      execution: { output: null, failure: null, startedNs: 0n, endedNs: 0n, wallMs: 0 },
      model: null,
      energy: {} as TrialResult['energy'],
      invalidReasons: [],
      unsupportedReason: 'no kernels for cc 9.0',
      startedAt: '',
      finishedAt: '',
    });
    expect([r.status, r.reasons]).toEqual(['unsupported', ['no kernels for cc 9.0']]);
  });
});
