import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { expandSelector, configurationId, parseClaimsYaml } from '../analysis/index.js';
import { claimCoverage } from './claim-coverage.js';
import { forecastClaims, type HostFacts } from './forecast.js';

const paper = parseClaimsYaml(readFileSync(new URL('../../experiments/paper.claims.yaml', import.meta.url), 'utf8'), 'paper.claims.yaml').claims;

/** Every configuration of the paper's matrix (what paper.yaml plans). */
const paperPlan = new Set(
  expandSelector({
    runtime: ['pytorch', 'tensorflow', 'mxnet', 'onnxruntime'],
    source: ['pytorch', 'tensorflow', 'mxnet'],
    provider: ['cuda', 'tensorrt'],
    model: ['resnet50', 'mobilenet_v2', 'bert_base_uncased'],
    batchSize: [1, 64],
  }).map(configurationId),
);
const coverage = claimCoverage(paper, paperPlan);
const present = { present: true, archs: ['sm_80', 'sm_90'] };
const images = { 'pytorch:cuda': present, 'tensorflow:cuda': present, 'mxnet:cuda': present, 'onnxruntime:cuda': present, 'onnxruntime:tensorrt': present };
const h100: HostFacts = { gpus: [{ name: 'NVIDIA H100', computeCapability: '9.0' }], cpuEnergy: true, gpuEnergy: true, docker: true, images };
const byId = (f: ReturnType<typeof forecastClaims>) => Object.fromEntries(f.map((x) => [x.id, x]));

suite('forecastClaims', () => {
  it('every paper claim is testable on a GPU host with RAPL, NVML and every image', () => {
    expect(forecastClaims(paper, coverage, h100).map((f) => [f.id, f.testability, f.reasons])).toEqual(paper.map((c) => [c.id, 'testable', []]));
  });

  it('names the missing GPU for every claim on a host without one (exit 3 material)', () => {
    const f = forecastClaims(paper, coverage, { ...h100, gpus: [], gpuEnergy: false, cpuEnergy: false });
    expect(f.every((x) => x.testability === 'not testable here' && x.hostMissing)).toBe(true);
    expect(f[0]!.reasons[0]).toMatch(/^no NVIDIA GPU on this host: the claim compares cuda configurations \(fix: /);
  });

  it('decides energy claims on GPU energy only without RAPL, and says so', () => {
    const f = byId(forecastClaims(paper, coverage, { ...h100, cpuEnergy: false }));
    expect(f['tensorflow-outperformed']).toMatchObject({ testability: 'gpu-energy-only', hostMissing: false });
    expect(f['tensorflow-outperformed']!.reasons[0]).toMatch(/no RAPL here: its energy verdict rests on GPU energy only/);
  });

  it('an image without kernels for the GPU (MXNet on Hopper) blocks the claims that need it, and only those', () => {
    const f = byId(
      forecastClaims(paper, coverage, { ...h100, images: { ...images, 'mxnet:cuda': { present: true, archs: ['sm_50', 'sm_60', 'sm_70', 'sm_80'] } } }),
    );
    expect(f['mxnet-beats-pytorch-tensorflow-cv-b1']).toMatchObject({
      testability: 'not testable here',
      reasons: [expect.stringMatching(/^mxnet:cuda has no kernels for NVIDIA H100: /)],
    });
    expect(f['pytorch-best-for-bert']!.testability).toBe('not testable here');
    expect(f['onnx-resnet50-b64-ten-percent-more']!.testability).toBe('testable');
  });

  it('a missing TensorRT image blocks the TensorRT claims with the fix; a missing cuda image is built on the first run', () => {
    const f = byId(
      forecastClaims(paper, coverage, {
        ...h100,
        images: { ...images, 'onnxruntime:tensorrt': { present: false, archs: null }, 'pytorch:cuda': { present: false, archs: null } },
      }),
    );
    expect(f['tensorrt-beats-cuda']!.reasons).toEqual([
      expect.stringMatching(/^the TensorRT image onnxruntime:tensorrt is not on this engine and needs NVIDIA's package index/),
    ]);
    expect(f['tensorflow-outperformed']!.testability).toBe('testable');
  });

  it("a claim the experiment does not run is not the host's fault", () => {
    const small = claimCoverage(paper, new Set(['pytorch/pytorch/resnet50/cuda/b64', 'onnxruntime/pytorch/resnet50/cuda/b64']));
    const f = byId(forecastClaims(paper, small, h100));
    expect(f['onnx-resnet50-b64-ten-percent-more']!.testability).toBe('testable');
    expect(f['tensorflow-outperformed']).toMatchObject({ testability: 'not in this experiment', hostMissing: false });
    expect(f['energy-time-correlation']!.reasons[0]).toMatch(/^too few configurations: the experiment runs 2 of the 46/);
  });
});
