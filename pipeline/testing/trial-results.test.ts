import { describe, expect, it } from 'vitest';
import { Contracts, SchemaId } from '../contracts/index.js';
import { fakeManifest, fakeStudyResults, fakeTrialResult } from './trial-results.js';

describe('fake trial results (testing only)', () => {
  const contracts = new Contracts();
  it('validate against trial-result and run-manifest schemas in every variant', () => {
    const config = { runtime: 'onnxruntime', source: 'mxnet', model: 'resnet50', provider: 'tensorrt', batchSize: 64 } as const;
    const all = [
      ...fakeStudyResults({ repetitions: 2 }),
      ...(['measured', 'unavailable', 'estimated', 'gpu-only'] as const).map((energy) => fakeTrialResult({ config, latencyMs: 88, energy })),
      fakeTrialResult({ config, latencyMs: 88, status: 'failed', reasons: ['boom'] }),
      fakeTrialResult({ config, latencyMs: 88, status: 'invalid', reasons: ['cool-down not met'], cooldownMet: false }),
    ];
    for (const t of all) expect(contracts.check(SchemaId.trialResult, t), t.trialId).toEqual([]);
    expect(contracts.check(SchemaId.runManifest, fakeManifest(all))).toEqual([]);
  });

  it('are seeded: same options, same numbers', () => {
    expect(fakeStudyResults({ repetitions: 2, seed: 3 })).toEqual(fakeStudyResults({ repetitions: 2, seed: 3 }));
    expect(fakeStudyResults({ repetitions: 2, seed: 3 })[0]!.timing.latenciesMs).not.toEqual(
      fakeStudyResults({ repetitions: 2, seed: 4 })[0]!.timing.latenciesMs,
    );
  });
});
