import { describe as suite, expect, it } from 'vitest';
import { parseClaimsYaml } from '../analysis/index.js';
import { syntheticTrials, type SyntheticConfig } from '../analysis/fixtures/synthetic-trials.js';
import { Contracts, SchemaId, type RunManifest, type TrialResult } from '../contracts/index.js';
import { evaluateRuns, kendallTau, type RunEvidence } from './evaluate-runs.js';
import { renderEvaluationMarkdown } from './evaluation-markdown.js';

const claims = parseClaimsYaml(
  `schemaVersion: 1
study: test
claims:
  - id: mxnet-faster
    text: MXNet beats PyTorch
    source: test
    scope: reproduction
    test: less
    a: { runtime: [mxnet] }
    b: { runtime: [pytorch] }
    where: { provider: [cuda], model: [resnet50], batchSize: [1] }
    match: [model, batchSize]
    metrics: [netEnergyPerInferenceJ, latencyMs]
  - id: tensorflow-slower
    text: PyTorch beats TensorFlow
    source: test
    scope: reproduction
    test: ratio
    ratioRange: [0, 1]
    a: { runtime: [pytorch] }
    b: { runtime: [tensorflow] }
    where: { provider: [cuda], model: [resnet50], batchSize: [1] }
    match: [model, batchSize]
    metrics: [latencyMs]
  - id: bert-claim
    text: not run
    source: test
    scope: extension
    test: less
    a: { runtime: [pytorch] }
    b: { runtime: [tensorflow] }
    where: { provider: [cuda], model: [bert_base_uncased], batchSize: [1] }
    match: [model, batchSize]
    metrics: [latencyMs]
`,
  'test.claims.yaml',
).claims;

const cfg = (runtime: SyntheticConfig['runtime'], latencyMs: number, noCpuEnergy = false): SyntheticConfig => ({
  runtime,
  model: 'resnet50',
  provider: 'cuda',
  batchSize: 1,
  latencyMs,
  energyPerInferenceJ: latencyMs * 0.15,
  noCpuEnergy,
});

/** A manifest with just the facts the evaluation reads (a recorded run's host, another GPU model for the other side). */
function manifest(runId: string, gpu: string, driver: string, rapl: boolean): RunManifest {
  return {
    runId,
    plan: { seed: 1 },
    host: {
      hostname: 'h',
      platform: 'linux-x64',
      kernel: '6.1',
      cpuModel: 'EPYC',
      cpuCount: 16,
      memoryMiB: 1,
      node: 'v20',
      gpus: [{ name: gpu, driverVersion: driver }],
    },
    power: {
      sources: [
        { source: 'nvml', available: true },
        { source: 'rapl', available: rapl },
      ],
    },
  } as unknown as RunManifest;
}

function evidence(runId: string, gpu: string, driver: string, latencies: Record<string, number>, rapl = true): RunEvidence {
  let seed = 1;
  const results: TrialResult[] = Object.entries(latencies).flatMap(([rt, ms]) =>
    syntheticTrials(cfg(rt as SyntheticConfig['runtime'], ms, !rapl), 10, seed++ * 100),
  );
  return { folder: `artifacts/${runId}`, manifest: manifest(runId, gpu, driver, rapl), manifestSha256: 'a'.repeat(64), results };
}

suite('evaluateRuns', () => {
  const reference = evidence('ref', 'NVIDIA GeForce RTX 3070', '550.54', { mxnet: 5, pytorch: 6, tensorflow: 8 });

  it('on another GPU with the same findings: hosts differ first, every claim agrees, ranks agree, absolute numbers not judged', () => {
    const run = evidence('mine', 'NVIDIA H100 80GB HBM3', '560.35', { mxnet: 2, pytorch: 2.5, tensorflow: 4 }, false);
    const e = evaluateRuns(run, reference, claims, 'test.claims.yaml', new Date('2026-12-07T00:00:00Z'));
    expect(new Contracts().check(SchemaId.aeEvaluation, e)).toEqual([]);
    expect(e.hosts.differences.map((d) => d.what)).toEqual(['GPU', 'GPU driver', 'power sources that worked']);
    expect(e.hosts.sameGpuAndDriver).toBe(false);
    expect(e.claims.map((c) => [c.id, c.outcome])).toEqual([
      ['mxnet-faster', 'agrees'],
      ['tensorflow-slower', 'agrees'],
      ['bert-claim', 'not testable here'],
    ]);
    // No RAPL on the evaluator's host: its energy verdict is GPU energy only, and the agreement says so.
    expect(e.claims[0]!.run.energyScope).toBe('gpu-only');
    expect(e.claims[0]!.why).toMatch(/energy scopes differ .* GPU energy only/);
    expect(e.claims[1]!.ratios).toEqual([expect.objectContaining({ band: [0, 1], runWithinBand: true })]);
    expect(e.rankings).toEqual([expect.objectContaining({ model: 'resnet50', batchSize: 1, provider: 'cuda', kendallTau: 1 })]);
    expect(e.absolute.judged).toBe(false);
    expect(e.absolute.rows.every((r) => r.within === null)).toBe(true);
    expect(e.exitCode).toBe(0);
    expect(e.badge).toMatch(/^The evidence is consistent with "Results Reproduced" for the 2 claim\(s\) that agree and only for those/);
    const md = renderEvaluationMarkdown(e);
    expect(md.indexOf('## The two hosts')).toBeLessThan(md.indexOf('## Claims'));
    expect(md).toContain('| GPU | NVIDIA GeForce RTX 3070 | NVIDIA H100 80GB HBM3 |');
  });

  it('a flipped claim contradicts (exit 4), named with both verdicts; the ranking says how far the order moved', () => {
    const run = evidence('mine', 'NVIDIA H100 80GB HBM3', '560.35', { mxnet: 7, pytorch: 5, tensorflow: 8 });
    const e = evaluateRuns(run, reference, claims, 'test.claims.yaml', new Date());
    expect(e.claims[0]).toMatchObject({ id: 'mxnet-faster', outcome: 'contradicts', reference: { verdict: 'reproduced' }, run: { verdict: 'not reproduced' } });
    expect(e.exitCode).toBe(4);
    expect(e.rankings[0]!.kendallTau).toBeCloseTo(1 / 3);
    expect(e.badge).toMatch(/does not support "Results Reproduced" for the contradicted claims/);
  });

  it('the same GPU and driver: absolute medians judged within 10 %', () => {
    const run = evidence('mine', 'NVIDIA GeForce RTX 3070', '550.54', { mxnet: 5, pytorch: 6, tensorflow: 10 });
    const e = evaluateRuns(run, reference, claims, 'test.claims.yaml', new Date());
    expect(e.hosts).toEqual({ differences: [], sameGpuAndDriver: true });
    expect(Object.fromEntries(e.absolute.rows.map((r) => [r.configuration.split('/')[0], r.within]))).toEqual({
      mxnet: true,
      pytorch: true,
      tensorflow: false,
    });
  });

  it('nothing testable: exit 3', () => {
    const run = evidence('mine', 'x', 'y', { openvino: 5 });
    expect(evaluateRuns(run, reference, claims, 'test.claims.yaml', new Date()).exitCode).toBe(3);
  });

  it("Kendall's tau", () => {
    expect(kendallTau(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    expect(kendallTau(['a', 'b', 'c'], ['c', 'b', 'a'])).toBe(-1);
    expect(kendallTau(['a'], ['a'])).toBeNull();
  });
});
