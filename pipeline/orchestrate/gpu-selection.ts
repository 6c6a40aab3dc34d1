import type { ExperimentSpec } from '../contracts/index.js';
import { EnvironmentError } from '../core/index.js';
import type { GpuDevice, GpuInventory } from '../power/index.js';

/** The GPUs a run measures, and the host's other GPUs (recorded as context only). */
export interface GpuSelection {
  measured: GpuDevice[];
  context: GpuDevice[];
}

/**
 * Resolves experiment `gpu.devices` (indices or UUIDs; the schema's default is the first GPU) against the
 * host's GPUs. Pure. A device the host does not have is an EnvironmentError (exit 3) when the run
 * needs a GPU; otherwise the selection is empty and nothing GPU-related is measured from it.
 */
export function selectGpus(devices: ExperimentSpec['gpu']['devices'], inventory: GpuInventory, needsGpu: boolean): GpuSelection {
  const measured: GpuDevice[] = [];
  const missing: string[] = [];
  for (const want of devices) {
    const gpu = inventory.gpus.find((g) => (typeof want === 'number' ? g.index === want : g.uuid?.toLowerCase() === want.toLowerCase()));
    if (gpu) {
      if (!measured.includes(gpu)) measured.push(gpu);
    } else missing.push(String(want));
  }
  if (missing.length && needsGpu) {
    const seen = inventory.gpus.length
      ? inventory.gpus.map((g) => `${g.index} ${g.uuid ?? '?'} ${g.name ?? ''}`.trim()).join('; ')
      : `none (${inventory.reason ?? 'no GPU found'})`;
    throw new EnvironmentError('E_GPU_NOT_FOUND', `GPU ${missing.join(', ')} (experiment gpu.devices) is not on this host: it has ${seen}.`, {
      hint: 'Set gpu.devices to an index or UUID listed by `nvidia-smi -L`, or run on the host that has it.',
    });
  }
  return { measured, context: inventory.gpus.filter((g) => !measured.includes(g)) };
}

/** Device ids for Docker DeviceIDs and CUDA_VISIBLE_DEVICES: the UUID (stable across reboots) where known. */
export function gpuDeviceIds(selection: GpuSelection | null): string[] | undefined {
  if (!selection || selection.measured.length === 0) return undefined;
  return selection.measured.map((g) => g.uuid ?? String(g.index));
}
