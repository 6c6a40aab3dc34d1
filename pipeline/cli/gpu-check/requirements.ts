import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, systemClock } from '../../core/index.js';
import { connectDocker } from '../../docker/index.js';
import { dockerGpuSupport } from '../../orchestrate/index.js';
import { listGpus, probePowerSources, type GpuInventory, type SourceStatus } from '../../power/index.js';
import { packageRoot } from '../../contracts/index.js';

/** One thing the GPU acceptance check needs, and whether this host has it. */
export interface CheckPart {
  name: string;
  ok: boolean;
  required: boolean;
  detail: string;
  fix: string | null;
}

export type GpuCheckRunner = 'docker' | 'process';

export interface GpuCheckHost {
  parts: CheckPart[];
  inventory: GpuInventory;
  power: SourceStatus[];
  /** The runner the check uses: the one asked for, else docker only where it can build its images, else process. */
  runner: GpuCheckRunner;
  python: string;
}

/** One Python module the process runner imports: its version, or why it does not import. */
export interface PythonModule {
  version: string | null;
  error: string | null;
}

/** What the host's Python has for the harness and the PyTorch adapter (process runner). */
export type PythonParts =
  | { ok: true; modules: Record<string, PythonModule>; cuda: string | null; available: boolean; device: string | null }
  | { ok: false; error: string };

/** What building greenrt's images with Docker needs (the docker runner builds them when missing). */
export interface DockerBuildFacts {
  /** images/pytorch/Dockerfile under greenrt's package root: the portable bundle has none. */
  buildContext: boolean;
  /** The base image greenrt/debian:trixie is already on the engine (then debootstrap is not needed). */
  baseImage: boolean;
  /** This process runs as root (build-base.sh's debootstrap needs it). */
  root: boolean;
  /** The engine runs rootless (docker info SecurityOptions name=rootless). */
  rootlessEngine: boolean;
  debootstrap: string | null;
  /** Null when the Debian mirror answered, else why not. */
  mirrorError: string | null;
  mirror: string;
  /** --images DIR: a folder written by `greenrt images save`, loaded instead of building (null: none given). */
  imagesDir?: string | null;
}

/** The side effects of the host checks, replaceable in tests. */
export interface HostProbes {
  listGpus: () => Promise<GpuInventory>;
  probePower: () => Promise<SourceStatus[]>;
  /** The process runner's imports through `python`, with versions. */
  pythonParts: (python: string) => Promise<PythonParts>;
  dockerGpu: () => Promise<string | null>;
  dockerBuild: () => Promise<DockerBuildFacts>;
}

/** Every module the harness and the PyTorch adapter import (onnx is optional: its checker is a sanity check). */
export const PYTHON_MODULES = ['torch', 'torchvision', 'numpy', 'jsonschema', 'onnx'] as const;
/** torch.onnx.export(..., dynamo=False), which preparation always calls, exists since PyTorch 2.5. */
export const MIN_TORCH = [2, 5] as const;

const PYTHON_PROBE = `
import importlib, json
from importlib import metadata
out = {"modules": {}, "cuda": None, "available": False, "device": None}
for name in ${JSON.stringify(PYTHON_MODULES)}:
    try:
        m = importlib.import_module(name)
    except Exception as e:
        out["modules"][name] = {"version": None, "error": f"{type(e).__name__}: {e}"[:300]}
        continue
    try:
        v = metadata.version(name)
    except Exception:
        v = str(getattr(m, "__version__", "")) or None
    out["modules"][name] = {"version": v, "error": None}
    if name == "torch":
        out["cuda"] = m.version.cuda
        out["available"] = bool(m.cuda.is_available())
        out["device"] = m.cuda.get_device_name(0) if out["available"] else None
print(json.dumps(out))
`;

export const GREENRT_BASE_IMAGE = 'greenrt/debian:trixie';

export const realProbes: HostProbes = {
  listGpus: () => listGpus(),
  probePower: () => probePowerSources({ clock: systemClock }, ['nvml', 'nvidia-smi']),
  async pythonParts(python) {
    try {
      const { stdout } = await promisify(execFile)(python, ['-c', PYTHON_PROBE], { timeout: 120_000 });
      return { ok: true, ...(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<Extract<PythonParts, { ok: true }>, 'ok'>) };
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      return { ok: false, error: e.code === 'ENOENT' ? `${python} not found` : ((e.stderr?.trim() || e.message).trim().split('\n').slice(-1)[0] ?? 'failed') };
    }
  },
  async dockerGpu() {
    try {
      return await dockerGpuSupport(await connectDocker({ timeoutMs: 3000 }));
    } catch {
      return null;
    }
  },
  async dockerBuild() {
    const mirror = process.env.GREENRT_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
    const facts: DockerBuildFacts = {
      buildContext: existsSync(join(packageRoot, 'images', 'pytorch', 'Dockerfile')),
      baseImage: false,
      root: process.getuid?.() === 0,
      rootlessEngine: false,
      debootstrap: (await findOnPath('debootstrap', `${process.env.PATH ?? ''}:/usr/sbin:/sbin`)) ?? null,
      mirrorError: null,
      mirror,
    };
    try {
      const engine = await connectDocker({ timeoutMs: 3000 });
      const info = (await engine.docker.info()) as { SecurityOptions?: string[] };
      facts.rootlessEngine = (info.SecurityOptions ?? []).some((o) => o.includes('name=rootless'));
      facts.baseImage = await engine.docker
        .getImage(GREENRT_BASE_IMAGE)
        .inspect()
        .then(
          () => true,
          () => false,
        );
    } catch {
      // no engine: the Docker GPU part already says so
    }
    if (!facts.baseImage) facts.mirrorError = await reachable(`${mirror.replace(/\/$/, '')}/dists/trixie/Release`);
    return facts;
  },
};

/** Null when `url` answers an HTTP HEAD within 10 s, else why not. */
async function reachable(url: string): Promise<string | null> {
  try {
    const r = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return r.ok ? null : `HTTP ${r.status} from ${url}`;
  } catch (error) {
    return `${url}: ${(error as Error).message}`;
  }
}

const torchTooOld = (version: string): boolean => {
  const [major = 0, minor = 0] = version.split(/[.+]/).map((n) => Number.parseInt(n, 10));
  return major < MIN_TORCH[0] || (major === MIN_TORCH[0] && minor < MIN_TORCH[1]);
};

/** The process runner's parts: one per module the harness imports, each missing one with the pip line that fixes it. */
export function pythonRequirements(py: PythonParts, python: string, required: boolean): CheckPart[] {
  const pip = (what: string) => `${python} -m pip install ${what} (or set GREENRT_PYTHON to a Python that has it)`;
  if (!py.ok)
    return [
      {
        name: `Python for the process runner (${python})`,
        ok: false,
        required,
        detail: `missing: ${py.error}`,
        fix: `Install Python 3, then ${python} -m pip install 'torch>=2.5' torchvision numpy jsonschema; or set GREENRT_PYTHON to a Python that has them.`,
      },
    ];
  const m = (name: string): PythonModule => py.modules[name] ?? { version: null, error: 'not probed' };
  const torch = m('torch');
  const torchOk = torch.version !== null && !torchTooOld(torch.version) && py.available;
  const parts: CheckPart[] = [
    {
      name: `Python torch >= ${MIN_TORCH.join('.')} on CUDA (${python})`,
      ok: torchOk,
      required,
      detail: torch.version
        ? `torch ${torch.version}, CUDA ${py.cuda ?? 'none (CPU build)'}, ${py.available ? `device ${py.device}` : 'torch.cuda.is_available() is False'}${torchTooOld(torch.version) ? `; older than ${MIN_TORCH.join('.')} (preparation calls torch.onnx.export(dynamo=False))` : ''}`
        : `missing: ${torch.error}`,
      fix: torchOk ? null : pip("'torch>=2.5' (a CUDA build: the default Linux wheel)"),
    },
  ];
  for (const name of ['torchvision', 'numpy', 'jsonschema'] as const) {
    const mod = m(name);
    parts.push({
      name: `Python ${name} (${python})`,
      ok: mod.version !== null,
      required,
      detail: mod.version ? `${name} ${mod.version}` : `missing: ${mod.error}`,
      fix: mod.version ? null : pip(name),
    });
  }
  const onnx = m('onnx');
  parts.push({
    name: `Python onnx (optional: checks the exported model)`,
    ok: onnx.version !== null,
    required: false,
    detail: onnx.version ? `onnx ${onnx.version}` : `not installed: the exported model is not checked (${onnx.error})`,
    fix: null,
  });
  return parts;
}

/** Whether the docker runner can get its images here: a build context, and a base image or what building it needs. */
export function dockerCanBuild(b: DockerBuildFacts): boolean {
  return b.buildContext && (Boolean(b.imagesDir) || b.baseImage || (b.root && b.debootstrap !== null && b.mirrorError === null));
}

/** The docker runner's build parts (the images are built on first use). */
export function dockerRequirements(b: DockerBuildFacts, required: boolean): CheckPart[] {
  if (b.imagesDir) {
    const found = existsSync(b.imagesDir);
    return [
      {
        name: 'Image build context (images/pytorch/Dockerfile)',
        ok: b.buildContext,
        required,
        detail: b.buildContext ? `present under ${packageRoot}` : 'missing: this greenrt has no images/ folder (the portable bundle has none)',
        fix: b.buildContext ? null : 'Use --runner process (the bundle always does), or run from a greenrt checkout.',
      },
      {
        name: `Saved images (--images ${b.imagesDir}), loaded instead of building`,
        ok: found,
        required,
        detail: found ? 'folder present: the run loads the images the engine lacks (each checked against its record)' : 'missing: no such folder',
        fix: found ? null : 'Give the folder `greenrt images save ... --out DIR` wrote (or `greenrt slurm submit` saved into <study>/images).',
      },
    ];
  }
  const baseOk = b.baseImage || (b.root && b.debootstrap !== null && b.mirrorError === null);
  const missing = [
    ...(b.root ? [] : ['root (debootstrap needs it)']),
    ...(b.debootstrap ? [] : ['debootstrap']),
    ...(b.mirrorError ? [`reachable Debian mirror (${b.mirrorError})`] : []),
  ];
  return [
    {
      name: 'Image build context (images/pytorch/Dockerfile)',
      ok: b.buildContext,
      required,
      detail: b.buildContext ? `present under ${packageRoot}` : 'missing: this greenrt has no images/ folder (the portable bundle has none)',
      fix: b.buildContext ? null : 'Use --runner process (the bundle always does), or run from a greenrt checkout.',
    },
    {
      name: `Base image ${GREENRT_BASE_IMAGE} (present, or root + debootstrap + Debian mirror to build it)`,
      ok: baseOk,
      required,
      detail: b.baseImage
        ? `present on the engine (${b.rootlessEngine ? 'rootless' : 'rootful'} engine)`
        : baseOk
          ? `buildable: root, ${b.debootstrap}, ${b.mirror} reachable (${b.rootlessEngine ? 'rootless' : 'rootful'} engine)`
          : `missing, and cannot be built: no ${missing.join(', no ')}`,
      fix: baseOk
        ? null
        : `As root: apt-get install debootstrap, make sure ${b.mirror} is reachable (or set GREENRT_DEBIAN_MIRROR), then \`make images\`; or use --runner process.`,
    },
  ];
}

/**
 * Checks every part before anything runs; the caller stops with exit 3 when a required part is missing.
 * `requested` is --runner; without it docker is used only where Docker gives containers a GPU and can build the images.
 */
export async function checkGpuHost(probes: HostProbes, python: string, requested?: GpuCheckRunner, imagesDir?: string): Promise<GpuCheckHost> {
  const [inventory, power, py, docker, probed] = await Promise.all([
    probes.listGpus(),
    probes.probePower(),
    probes.pythonParts(python),
    requested === 'process' ? Promise.resolve(null) : probes.dockerGpu(),
    requested === 'process' ? Promise.resolve(null) : probes.dockerBuild(),
  ]);
  const build = probed && imagesDir ? { ...probed, imagesDir } : probed;
  const runner: GpuCheckRunner = requested ?? (docker && build && dockerCanBuild(build) ? 'docker' : 'process');
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
    ...pythonRequirements(py, python, runner === 'process'),
  ];
  if (requested !== 'process') {
    parts.push({
      name: `Docker with GPU access${runner === 'docker' ? '' : ' (optional: without it the process runner is used)'}`,
      ok: docker !== null,
      required: runner === 'docker',
      detail: docker ?? 'not available: the check runs the PyTorch entrypoint as a local process',
      fix:
        docker || runner !== 'docker'
          ? null
          : 'Install the NVIDIA Container Toolkit (`nvidia-ctk runtime configure --runtime=docker`), or use --runner process.',
    });
    if (build) parts.push(...dockerRequirements(build, runner === 'docker'));
  }
  return { parts, inventory, power, runner, python };
}

export function formatParts(parts: CheckPart[]): string {
  return parts.map((p) => `  [${p.ok ? ' ok ' : p.required ? 'MISS' : ' -- '}] ${p.name}: ${p.detail}${p.fix ? `\n         fix: ${p.fix}` : ''}`).join('\n');
}
