import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { systemClock } from '../../core/index.js';
import { connectDocker } from '../../docker/index.js';
import { dockerGpuSupport } from '../../orchestrate/index.js';
import { listGpus, probePowerSources, type GpuInventory, type SourceStatus } from '../../power/index.js';

/** One thing the GPU acceptance check needs, and whether this host has it. */
export interface CheckPart {
  name: string;
  ok: boolean;
  required: boolean;
  detail: string;
  fix: string | null;
}

export interface GpuCheckHost {
  parts: CheckPart[];
  inventory: GpuInventory;
  power: SourceStatus[];
  /** 'docker' when Docker can give containers a GPU, else 'process' (the host's own Python). */
  runner: 'docker' | 'process';
  python: string;
}

/** The side effects of the host checks, replaceable in tests. */
export interface HostProbes {
  listGpus: () => Promise<GpuInventory>;
  probePower: () => Promise<SourceStatus[]>;
  /** JSON line from the Python probe, or the error text. */
  pythonTorch: (
    python: string,
  ) => Promise<{ ok: true; torch: string; cuda: string | null; available: boolean; device: string | null } | { ok: false; error: string }>;
  dockerGpu: () => Promise<string | null>;
}

const TORCH_PROBE =
  'import json, torch; a = torch.cuda.is_available(); print(json.dumps({"torch": torch.__version__, "cuda": torch.version.cuda, "available": a, "device": torch.cuda.get_device_name(0) if a else None}))';

export const realProbes: HostProbes = {
  listGpus: () => listGpus(),
  probePower: () => probePowerSources({ clock: systemClock }, ['nvml', 'nvidia-smi']),
  async pythonTorch(python) {
    try {
      const { stdout } = await promisify(execFile)(python, ['-c', TORCH_PROBE], { timeout: 120_000 });
      return {
        ok: true,
        ...(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { torch: string; cuda: string | null; available: boolean; device: string | null }),
      };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      return { ok: false, error: e.code === 'ENOENT' ? `${python} not found` : ((e.stderr ?? e.message).trim().split('\n').slice(-1)[0] ?? 'failed') };
    }
  },
  async dockerGpu() {
    try {
      return await dockerGpuSupport(await connectDocker({ timeoutMs: 3000 }));
    } catch {
      return null;
    }
  },
};

/** Checks every part before anything runs; the caller stops with exit 3 when a required part is missing. */
export async function checkGpuHost(probes: HostProbes, python: string): Promise<GpuCheckHost> {
  const [inventory, power, torch, docker] = await Promise.all([probes.listGpus(), probes.probePower(), probes.pythonTorch(python), probes.dockerGpu()]);
  const gpu = inventory.gpus[0];
  const gpuPower = power.filter((s) => s.available && s.domains.length > 0);
  const parts: CheckPart[] = [
    {
      name: 'NVIDIA GPU and driver',
      ok: inventory.gpus.length > 0,
      required: true,
      detail: gpu
        ? `${inventory.gpus.length} GPU(s) via ${inventory.via}, driver ${inventory.driverVersion ?? '?'}; first: ${gpu.name ?? '?'} (cc ${gpu.computeCapability ?? '?'}, ${gpu.uuid ?? 'no uuid'})`
        : `missing: ${inventory.reason ?? 'no GPU found'}`,
      fix: gpu ? null : 'Run on a Linux host with an NVIDIA GPU and its driver loaded (`nvidia-smi` must list the GPU).',
    },
    {
      name: 'GPU power source (NVML or nvidia-smi)',
      ok: gpuPower.length > 0,
      required: true,
      detail: gpuPower.length
        ? gpuPower.map((s) => `${s.source}: ${s.domains.map((d) => d.label).join('; ')}`).join(' | ')
        : `missing: ${power.map((s) => `${s.source}: ${s.reason ?? 'unavailable'}`).join('; ')}`,
      fix: gpuPower.length ? null : (power.find((s) => s.fix)?.fix ?? 'Install the NVIDIA driver (it ships libnvidia-ml.so.1 and nvidia-smi).'),
    },
    {
      name: `Python with torch on CUDA (${python})`,
      ok: torch.ok && torch.available,
      required: !docker,
      detail: torch.ok
        ? `torch ${torch.torch}, CUDA ${torch.cuda ?? 'none (CPU build)'}, ${torch.available ? `device ${torch.device}` : 'torch.cuda.is_available() is False'}`
        : `missing: ${torch.error}`,
      fix:
        torch.ok && torch.available
          ? null
          : 'Install a CUDA build of torch for this Python (pip install torch), or set GREENRT_PYTHON to a Python that has one.',
    },
    {
      name: 'Docker with GPU access (optional: without it the process runner is used)',
      ok: docker !== null,
      required: false,
      detail: docker ?? 'not available: the check runs the PyTorch entrypoint as a local process',
      fix: null,
    },
  ];
  return { parts, inventory, power, runner: docker ? 'docker' : 'process', python };
}

export function formatParts(parts: CheckPart[]): string {
  return parts.map((p) => `  [${p.ok ? ' ok ' : p.required ? 'MISS' : ' -- '}] ${p.name}: ${p.detail}${p.fix ? `\n         fix: ${p.fix}` : ''}`).join('\n');
}
