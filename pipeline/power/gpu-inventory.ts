import type { NvmlLoader } from './nvml-api.js';
import { koffiNvmlLoader } from './nvml-binding.js';
import { parseSmiNumber, parseSmiText, smiFailureText, splitSmiLine } from './nvidia-smi-parse.js';
import { execaNvidiaSmi, type NvidiaSmiPort } from './ports.js';

/** One GPU of the host, as NVML (or nvidia-smi) numbers it: PCI bus order. */
export interface GpuDevice {
  index: number;
  uuid: string | null;
  name: string | null;
  /** CUDA compute capability, e.g. '9.0'; null when the driver does not say. */
  computeCapability: string | null;
  /** MIG mode on (greenrt refuses such a GPU: NVML energy covers the whole GPU); null when the driver does not say. */
  migEnabled?: boolean | null;
}

export interface GpuInventory {
  gpus: GpuDevice[];
  /** Which tool listed them; null when none works. */
  via: 'nvml' | 'nvidia-smi' | null;
  driverVersion: string | null;
  /** Why no GPU is listed (no driver, no nvidia-smi...); null when the list came back. */
  reason: string | null;
}

/** Lists the host's GPUs through NVML, else nvidia-smi. Never throws: a host without GPUs says why. */
export async function listGpus(deps: { nvml?: NvmlLoader; smi?: NvidiaSmiPort } = {}): Promise<GpuInventory> {
  const reasons: string[] = [];
  try {
    const nvml = await (deps.nvml ?? koffiNvmlLoader())();
    nvml.init();
    try {
      const gpus: GpuDevice[] = [];
      for (let index = 0; index < nvml.deviceCount(); index++) {
        const d = nvml.device(index);
        const cc = attempt(() => d.cudaComputeCapability());
        gpus.push({
          index,
          uuid: attempt(() => d.uuid()),
          name: attempt(() => d.name()),
          computeCapability: cc ? cc.join('.') : null,
          migEnabled: attempt(() => d.migEnabled()),
        });
      }
      return { gpus, via: 'nvml', driverVersion: attempt(() => nvml.driverVersion()), reason: gpus.length ? null : 'NVML sees no GPU' };
    } finally {
      attempt(() => nvml.shutdown());
    }
  } catch (e) {
    reasons.push(`NVML: ${(e as Error).message}`);
  }
  const smi = deps.smi ?? execaNvidiaSmi();
  // Older nvidia-smi lacks compute_cap (R510) and mig.mode.current: each try drops one.
  for (const fields of [
    'index,uuid,name,driver_version,compute_cap,mig.mode.current',
    'index,uuid,name,driver_version,compute_cap',
    'index,uuid,name,driver_version',
  ]) {
    const r = await smi.run([`--query-gpu=${fields}`, '--format=csv,noheader,nounits'], 15_000);
    if (r.spawnError === 'ENOENT') {
      reasons.push('nvidia-smi: not found on PATH');
      break;
    }
    if (r.exitCode !== 0) {
      reasons.push(`nvidia-smi: ${smiFailureText(r.stdout, r.stderr)}`);
      continue;
    }
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map(splitSmiLine);
    const mig = (f: string[]): boolean | null => {
      const v = fields.includes('mig.mode') ? parseSmiText(f[5]) : null;
      return v === 'Enabled' ? true : v === 'Disabled' ? false : null;
    };
    const gpus = rows
      .map((f) => ({
        index: parseSmiNumber(f[0]),
        uuid: parseSmiText(f[1]),
        name: parseSmiText(f[2]),
        computeCapability: fields.includes('compute_cap') ? parseSmiText(f[4]) : null,
        migEnabled: mig(f),
      }))
      .filter((g): g is typeof g & { index: number } => g.index !== null);
    const driverVersion = parseSmiText(rows[0]?.[3]);
    return { gpus, via: 'nvidia-smi', driverVersion, reason: gpus.length ? null : 'nvidia-smi lists no GPU' };
  }
  return { gpus: [], via: null, driverVersion: null, reason: reasons.join('; ') };
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
