import { describe, expect, it } from 'vitest';
import type { TrialConfig, TrialResult } from '../contracts/index.js';
import { fakeTrialResult } from '../testing/trial-results.js';
import { claimFrameworks, claimsByMode, evaluateClaims, parseClaimsYaml, summarizeTrials } from './index.js';

const claims = parseClaimsYaml(
  `schemaVersion: 1
study: modes test
defaults: { alpha: 0.05, minEffect: small, minTrials: 3, quantifier: all }
claims:
  - id: pytorch-beats-tensorflow
    finding: 3
    text: PyTorch is faster than TensorFlow at batch 1.
    source: test
    scope: reproduction
    test: less
    a: { runtime: [pytorch] }
    b: { runtime: [tensorflow] }
    where: { provider: [cpu], model: [resnet50], batchSize: [1] }
    match: [model, batchSize]
    metrics: [latencyMs]
  - id: ort-beats-onnx-free
    text: ONNX Runtime is faster than ONNX Runtime.
    source: test
    scope: extension
    test: less
    a: { runtime: [onnxruntime], source: [pytorch] }
    b: { runtime: [onnxruntime], source: [tensorflow] }
    where: { provider: [cpu], model: [resnet50], batchSize: [1] }
    match: [model, batchSize]
    metrics: [latencyMs]
`,
  'modes.claims.yaml',
);

/** Five trials of one configuration around `latencyMs`. */
function trials(runtime: TrialConfig['runtime'], mode: TrialConfig['mode'] | undefined, latencyMs: number, seed: number): TrialResult[] {
  return Array.from({ length: 5 }, (_, i) =>
    fakeTrialResult({
      seed: seed + i,
      latencyMs,
      energy: 'unavailable',
      config: { runtime, model: 'resnet50', provider: 'cpu', batchSize: 1, repetition: i + 1, ...(mode ? { mode } : {}) },
    }),
  );
}

// TensorFlow as a graph function (default) is faster than PyTorch; through Keras predict() it is 5x slower.
const results = [
  ...trials('pytorch', undefined, 20, 1),
  ...trials('tensorflow', undefined, 15, 10),
  ...trials('tensorflow', 'keras-predict', 100, 20),
  ...trials('tensorflow', 'keras-call', 40, 30),
];

describe('claimsByMode', () => {
  it('names the frameworks a pairwise claim compares, none for ONNX-only claims', () => {
    expect(claimFrameworks(claims.claims[0]!)).toEqual(['pytorch', 'tensorflow']);
    expect(claimFrameworks(claims.claims[1]!)).toEqual([]);
  });

  it('gives one verdict per mode combination the run has, with the default combination equal to the claims table', () => {
    const byMode = claimsByMode(claims, results, { seed: 1, resamples: 200 });
    expect(byMode).toHaveLength(1); // the ONNX-only claim has no mode to vary
    const c = byMode[0]!;
    expect(c.id).toBe('pytorch-beats-tensorflow');
    expect(c.frameworks).toEqual(['pytorch', 'tensorflow']);
    expect(c.rows.map((r) => r.modes)).toEqual([
      { pytorch: 'eager', tensorflow: 'keras-predict' },
      { pytorch: 'eager', tensorflow: 'keras-call' },
      { pytorch: 'eager', tensorflow: 'function' },
    ]);
    expect(c.rows.map((r) => r.verdict)).toEqual(['reproduced', 'reproduced', 'not reproduced']);
    expect(c.rows.map((r) => r.defaults)).toEqual([false, false, true]);
    // The default row is what evaluateClaims gives on the whole run (non-default modes have their own ids there).
    const main = evaluateClaims(claims, summarizeTrials(results, { seed: 1, resamples: 200 }), results)[0]!;
    expect(main.verdict).toBe(c.rows.find((r) => r.defaults)!.verdict);
  });

  it('has nothing to explain when every framework ran in its default mode only; one non-default mode is enough', () => {
    expect(claimsByMode(claims, [...trials('pytorch', undefined, 20, 1), ...trials('tensorflow', undefined, 15, 10)])).toEqual([]);
    const only = claimsByMode(claims, [...trials('pytorch', undefined, 20, 1), ...trials('tensorflow', 'keras-predict', 100, 20)], { resamples: 200 });
    expect(only.map((c) => c.rows.map((r) => [r.modes, r.verdict]))).toEqual([[[{ pytorch: 'eager', tensorflow: 'keras-predict' }, 'reproduced']]]);
  });
});
