import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../config/index.js';
import { Contracts } from '../../contracts/index.js';
import { ContractError } from '../../core/index.js';
import { gpuCheckExperiment, writeGpuCheckExperiment } from './gpu-check-command.js';
import { tempDir } from '../../testing/temp-dir.js';
import { fakeTrialResult } from '../../testing/trial-results.js';
import { evaluateRules } from './gpu-check-summary.js';
import { checkGpuHost, type HostProbes } from './requirements.js';

// FAKE host probes: no hardware is touched.
const h200 = {
  gpus: [{ index: 0, uuid: 'GPU-fake', name: 'NVIDIA H200 (fake)', computeCapability: '9.0' }],
  via: 'nvml' as const,
  driverVersion: '550.fake',
  reason: null,
};
const nvml = [
  {
    source: 'nvml' as const,
    available: true,
    domains: [{ source: 'nvml' as const, domain: 'gpu:0', hardware: 'gpu:0', counter: null, power: null, temperature: true, label: 'gpu:0 H200' }],
    reason: null,
    fix: null,
    detail: null,
  },
];
const probes = (o: Partial<HostProbes>): HostProbes => ({
  listGpus: async () => h200,
  probePower: async () => nvml,
  pythonTorch: async () => ({ ok: true, torch: '2.6.0', cuda: '12.4', available: true, device: 'NVIDIA H200' }),
  dockerGpu: async () => null,
  ...o,
});

describe('checkGpuHost', () => {
  it('a GPU host without Docker runs the process runner against its own torch', async () => {
    const host = await checkGpuHost(probes({}), 'python3');
    expect(host.runner).toBe('process');
    expect(host.parts.filter((p) => p.required && !p.ok)).toEqual([]);
  });

  it('names each missing part: no GPU, no power source, torch without CUDA', async () => {
    const host = await checkGpuHost(
      probes({
        listGpus: async () => ({ gpus: [], via: null, driverVersion: null, reason: 'nvidia-smi: not found on PATH' }),
        probePower: async () => [
          { source: 'nvml', available: false, domains: [], reason: 'libnvidia-ml.so.1 not found', fix: 'Install the NVIDIA driver.', detail: null },
        ],
        pythonTorch: async () => ({ ok: true, torch: '2.6.0+cpu', cuda: null, available: false, device: null }),
      }),
      'python3',
    );
    const missing = host.parts.filter((p) => p.required && !p.ok);
    expect(missing.map((p) => p.name)).toEqual(['NVIDIA GPU and driver', 'GPU power source (NVML or nvidia-smi)', 'Python with torch on CUDA (python3)']);
    expect(missing[2]!.detail).toContain('CUDA none (CPU build)');
  });

  it('with Docker GPU access the host torch is optional and the docker runner is used', async () => {
    const host = await checkGpuHost(
      probes({ dockerGpu: async () => 'nvidia runtime registered', pythonTorch: async () => ({ ok: false, error: 'python3 not found' }) }),
      'python3',
    );
    expect(host.runner).toBe('docker');
    expect(host.parts.filter((p) => p.required && !p.ok)).toEqual([]);
  });
});

describe('evaluateRules', () => {
  it('shows every validity rule with its value and limit, failing the ones a trial breaks', () => {
    const t = fakeTrialResult({ config: { runtime: 'pytorch', model: 'resnet50', provider: 'cuda', batchSize: 1 }, latencyMs: 3, cooldownMet: false });
    t.gpuState = [
      { index: 0, measured: true, atNs: '1', throttleReasons: ['HwThermalSlowdown'], otherProcesses: [{ pid: 7 }] },
      { index: 1, measured: false, atNs: '1', otherProcesses: [{ pid: 8 }] },
    ];
    const rules = evaluateRules(t, 10);
    const failed = rules.filter((r) => !r.pass).map((r) => r.rule);
    expect(failed).toEqual(['gpu:0 throttling at 1', 'gpu:0 other compute processes at 1', 'cool-down gate']);
    expect(rules.map((r) => r.rule)).toContain('measure window inside the power recording');
    expect(rules.some((r) => r.rule.includes('gpu:1'))).toBe(false); // context GPU: a warning, not a rule
  });
});

describe('the gpu-check experiment file (schemas/experiment.schema.json)', () => {
  it('is a valid experiment for both runners, written atomically; a broken one is refused before anything is written', async () => {
    const dir = tempDir('greenrt-gpu-check-yaml-');
    const contracts = new Contracts();
    for (const runner of ['docker', 'process'] as const) {
      const file = join(dir, `${runner}.yaml`);
      await writeGpuCheckExperiment(contracts, file, gpuCheckExperiment(runner, 60));
      expect(readFileSync(file, 'utf8')).toBe(gpuCheckExperiment(runner, 60));
      // What the run does with it: the experiment loader, schema defaults and combination rules included.
      expect((await loadExperiment(file, contracts)).spec.runner).toBe(runner);
    }
    const broken = join(dir, 'broken.yaml');
    const error = await writeGpuCheckExperiment(contracts, broken, gpuCheckExperiment('docker', -1)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toContain(`${broken} does not match schema https://greenrt.dev/schemas/experiment.schema.json`);
    expect((error as ContractError).errors.join('\n')).toContain('/power/baselineS');
    expect(readdirSync(dir).sort()).toEqual(['docker.yaml', 'process.yaml']);
  });
});
