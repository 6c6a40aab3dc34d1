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
import { checkGpuHost, type DockerBuildFacts, type HostProbes, type PythonModule, type PythonParts } from './requirements.js';

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
const mods = (o: Record<string, string | null> = {}): Record<string, PythonModule> =>
  Object.fromEntries(
    Object.entries({ torch: '2.6.0+cu124', torchvision: '0.21.0', numpy: '2.2.4', jsonschema: '4.19.2', onnx: '1.18.0', ...o }).map(([k, v]) => [
      k,
      v ? { version: v, error: null } : { version: null, error: `ModuleNotFoundError: No module named '${k}'` },
    ]),
  );
const python = (o: Record<string, string | null> = {}, available = true): PythonParts => ({
  ok: true,
  modules: mods(o),
  cuda: available ? '12.4' : null,
  available,
  device: available ? 'NVIDIA H200' : null,
});
// A checkout on a root host with debootstrap and the base image: everything the docker runner needs to build.
const buildable: DockerBuildFacts = {
  buildContext: true,
  baseImage: true,
  root: true,
  rootlessEngine: false,
  debootstrap: '/usr/sbin/debootstrap',
  mirrorError: null,
  mirror: 'http://deb.debian.org/debian',
};
const probes = (o: Partial<HostProbes>): HostProbes => ({
  listGpus: async () => h200,
  probePower: async () => nvml,
  pythonParts: async () => python(),
  dockerGpu: async () => null,
  dockerBuild: async () => buildable,
  ...o,
});
const missingNames = (parts: { name: string; ok: boolean; required: boolean }[]) => parts.filter((p) => p.required && !p.ok).map((p) => p.name);

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
        pythonParts: async () => python({ torch: '2.6.0+cpu' }, false),
      }),
      'python3',
    );
    const missing = host.parts.filter((p) => p.required && !p.ok);
    expect(missing.map((p) => p.name)).toEqual(['NVIDIA GPU and driver', 'GPU power source (NVML or nvidia-smi)', 'Python torch >= 2.5 on CUDA (python3)']);
    expect(missing[2]!.detail).toContain('CUDA none (CPU build)');
  });

  it('with Docker GPU access and what building the images needs, the host torch is optional and the docker runner is used', async () => {
    const host = await checkGpuHost(
      probes({ dockerGpu: async () => 'nvidia runtime registered', pythonParts: async () => ({ ok: false, error: 'python3 not found' }) }),
      'python3',
    );
    expect(host.runner).toBe('docker');
    expect(missingNames(host.parts)).toEqual([]);
  });

  it('probes every import of the harness and the PyTorch adapter, naming each missing one with its pip line', async () => {
    const host = await checkGpuHost(
      probes({ pythonParts: async () => python({ torch: '2.4.1+cu121', torchvision: null, jsonschema: null, onnx: null }) }),
      '/opt/py/bin/python3',
    );
    expect(missingNames(host.parts)).toEqual([
      'Python torch >= 2.5 on CUDA (/opt/py/bin/python3)',
      'Python torchvision (/opt/py/bin/python3)',
      'Python jsonschema (/opt/py/bin/python3)',
    ]);
    const byName = new Map(host.parts.map((p) => [p.name, p]));
    expect(byName.get('Python torch >= 2.5 on CUDA (/opt/py/bin/python3)')!.detail).toContain(
      'torch 2.4.1+cu121, CUDA 12.4, device NVIDIA H200; older than 2.5',
    );
    expect(byName.get('Python torch >= 2.5 on CUDA (/opt/py/bin/python3)')!.fix).toContain("/opt/py/bin/python3 -m pip install 'torch>=2.5'");
    expect(byName.get('Python torchvision (/opt/py/bin/python3)')!.fix).toContain('/opt/py/bin/python3 -m pip install torchvision');
    expect(byName.get('Python jsonschema (/opt/py/bin/python3)')!.detail).toContain("No module named 'jsonschema'");
    expect(byName.get('Python numpy (/opt/py/bin/python3)')).toMatchObject({ ok: true, detail: 'numpy 2.2.4' });
    // onnx only checks the exported model: reported, never required
    expect(byName.get('Python onnx (optional: checks the exported model)')).toMatchObject({ ok: false, required: false });
  });

  it('the portable bundle (no images/ folder) takes the process runner even where Docker gives containers a GPU', async () => {
    const host = await checkGpuHost(
      probes({ dockerGpu: async () => 'nvidia runtime registered', dockerBuild: async () => ({ ...buildable, buildContext: false }) }),
      'python3',
    );
    expect(host.runner).toBe('process');
    expect(missingNames(host.parts)).toEqual([]);
  });

  it('a checkout that cannot build the base image (no root, no debootstrap, no mirror) takes the process runner', async () => {
    const noBuild = { ...buildable, baseImage: false, root: false, debootstrap: null, mirrorError: 'fetch failed' };
    const host = await checkGpuHost(probes({ dockerGpu: async () => 'nvidia runtime registered', dockerBuild: async () => noBuild }), 'python3');
    expect(host.runner).toBe('process');
    // --runner docker there: each missing build prerequisite is named, with its fix
    const forced = await checkGpuHost(probes({ dockerGpu: async () => 'nvidia runtime registered', dockerBuild: async () => noBuild }), 'python3', 'docker');
    expect(forced.runner).toBe('docker');
    const base = forced.parts.find((p) => p.name.startsWith('Base image greenrt/debian:trixie'))!;
    expect(base).toMatchObject({ ok: false, required: true });
    expect(base.detail).toBe('missing, and cannot be built: no root (debootstrap needs it), no debootstrap, no reachable Debian mirror (fetch failed)');
    expect(base.fix).toContain('apt-get install debootstrap');
    // the host's Python is not needed by the docker runner
    expect(forced.parts.filter((p) => p.name.startsWith('Python')).every((p) => !p.required)).toBe(true);
  });

  it('--images DIR lets a checkout that cannot build the base image take the docker runner, loading the saved images', async () => {
    const noBuild = { ...buildable, baseImage: false, root: false, debootstrap: null, mirrorError: 'fetch failed' };
    const saved = tempDir('greenrt-gpu-check-images-');
    const host = await checkGpuHost(
      probes({ dockerGpu: async () => 'nvidia runtime registered', dockerBuild: async () => noBuild }),
      'python3',
      undefined,
      saved,
    );
    expect(host.runner).toBe('docker');
    expect(missingNames(host.parts)).toEqual([]);
    expect(host.parts.map((p) => p.name)).toContain(`Saved images (--images ${saved}), loaded instead of building`);
    const absent = await checkGpuHost(
      probes({ dockerGpu: async () => 'nvidia runtime registered', dockerBuild: async () => noBuild }),
      'python3',
      'docker',
      `${saved}/none`,
    );
    expect(missingNames(absent.parts)).toEqual([`Saved images (--images ${saved}/none), loaded instead of building`]);
  });

  it('--runner process never asks Docker, and requires the Python parts', async () => {
    let asked = 0;
    const host = await checkGpuHost(
      probes({
        dockerGpu: async () => {
          asked++;
          return 'nvidia runtime registered';
        },
        dockerBuild: async () => {
          asked++;
          return buildable;
        },
        pythonParts: async () => python({ numpy: null }),
      }),
      'python3',
      'process',
    );
    expect(host.runner).toBe('process');
    expect(asked).toBe(0);
    expect(missingNames(host.parts)).toEqual(['Python numpy (python3)']);
    expect(host.parts.some((p) => p.name.startsWith('Docker'))).toBe(false);
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
