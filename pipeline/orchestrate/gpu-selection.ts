import type { ExperimentSpec, RunManifest } from '../contracts/index.js';
import { EnvironmentError } from '../core/index.js';
import type { GpuDevice, GpuInventory } from '../power/index.js';

export type GpuSelectedBy = NonNullable<NonNullable<RunManifest['gpu']>['selectedBy']>;

/** The GPU a run measures, the host's other GPUs (recorded as context only), and how it was chosen. */
export interface GpuSelection {
  measured: GpuDevice[];
  context: GpuDevice[];
  selectedBy?: GpuSelectedBy;
}

/**
 * CUDA_VISIBLE_DEVICES as a list of entries; null when unset. Empty (or Slurm's "NoDevFiles"): no GPU.
 * CUDA stops at the first entry it cannot parse ("-1" hides every GPU): so does this.
 */
export function parseCudaVisibleDevices(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const entries: string[] = [];
  for (const raw of value.split(',')) {
    const e = raw.trim();
    if (!/^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-zA-Z/-]+)$/.test(e)) break;
    entries.push(e);
  }
  return entries;
}

const describeGpu = (g: GpuDevice) => `${g.index} ${g.uuid ?? '?'} ${g.name ?? ''}`.trim();
const listed = (inventory: GpuInventory) =>
  inventory.gpus.length ? inventory.gpus.map(describeGpu).join('; ') : `none (${inventory.reason ?? 'no GPU found'})`;

/** One CUDA_VISIBLE_DEVICES entry against NVML's list: an index in NVML (PCI-bus) order, or a UUID or its prefix, as CUDA accepts. */
function allocatedGpu(entry: string, inventory: GpuInventory): GpuDevice | undefined {
  if (/^\d+$/.test(entry)) return inventory.gpus.find((g) => g.index === Number(entry));
  const matches = inventory.gpus.filter((g) => g.uuid?.toLowerCase().startsWith(entry.toLowerCase()));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Resolves the GPU trials run on, against the host's GPUs. Pure. In order: the experiment's `gpu.devices`
 * (an index or UUID), else the first GPU of an inherited CUDA_VISIBLE_DEVICES (Slurm's --gres allocation),
 * else the first GPU. When the run needs a GPU, each of these is an EnvironmentError (exit 3): a device the
 * host does not have, an allocation that names a GPU NVML does not list or a MIG device, a gpu.devices outside
 * the allocation (both named), and a GPU in MIG mode. Without GPU trials nothing is refused; the selection
 * then only says which GPU's power is recorded.
 */
export function selectGpus(devices: ExperimentSpec['gpu']['devices'], inventory: GpuInventory, needsGpu: boolean, cudaVisibleDevices?: string): GpuSelection {
  const refuse = (code: string, message: string, hint: string): GpuSelection => {
    if (needsGpu) throw new EnvironmentError(code, message, { hint });
    return { measured: [], context: inventory.gpus };
  };
  const allocation = parseCudaVisibleDevices(cudaVisibleDevices);
  let allocated: GpuDevice[] | null = null;
  if (allocation) {
    const mig = allocation.filter((e) => e.startsWith('MIG-'));
    if (mig.length)
      return refuse(
        'E_GPU_MIG',
        `CUDA_VISIBLE_DEVICES=${cudaVisibleDevices} names MIG device ${mig.join(', ')}: greenrt cannot measure a MIG slice (NVML's energy counter covers the whole GPU, every tenant included).`,
        'Run on a whole GPU: allocate one without MIG (Slurm: `sbatch --gres` with a type that is a full GPU), or disable MIG on it (`nvidia-smi -i N -mig 0`, as root).',
      );
    const resolved = allocation.map((e) => [e, allocatedGpu(e, inventory)] as const);
    const unknown = resolved.filter(([, g]) => !g).map(([e]) => e);
    if (unknown.length)
      return refuse(
        'E_GPU_ALLOCATION',
        `CUDA_VISIBLE_DEVICES=${cudaVisibleDevices} names ${unknown.join(', ')}, which NVML does not list on this host: it has ${listed(inventory)}.`,
        "Check the job's GPU allocation (`nvidia-smi -L` inside the job); unset CUDA_VISIBLE_DEVICES to use gpu.devices or the first GPU.",
      );
    allocated = resolved.map(([, g]) => g!);
  }
  let measured: GpuDevice | undefined;
  let from: GpuSelectedBy['from'];
  if (devices?.length) {
    from = 'gpu.devices';
    const want = devices[0]!;
    measured = inventory.gpus.find((g) => (typeof want === 'number' ? g.index === want : g.uuid?.toLowerCase() === want.toLowerCase()));
    if (!measured)
      return refuse(
        'E_GPU_NOT_FOUND',
        `GPU ${String(want)} (experiment gpu.devices) is not on this host: it has ${listed(inventory)}.`,
        'Set gpu.devices to an index or UUID listed by `nvidia-smi -L`, or run on the host that has it.',
      );
    if (allocated && !allocated.includes(measured))
      return refuse(
        'E_GPU_ALLOCATION_CONFLICT',
        `The experiment's gpu.devices selects GPU ${describeGpu(measured)}, but this job is allocated CUDA_VISIBLE_DEVICES=${cudaVisibleDevices} (${allocated.map(describeGpu).join('; ') || 'no GPU'}).`,
        'Leave gpu.devices out of the experiment so the allocation decides (shards on a shared host each get their own GPU), or run where that GPU is allocated.',
      );
  } else if (allocated) {
    from = 'CUDA_VISIBLE_DEVICES';
    measured = allocated[0];
    if (!measured)
      return refuse(
        'E_GPU_ALLOCATION',
        `CUDA_VISIBLE_DEVICES=${cudaVisibleDevices} allocates no GPU to this job.`,
        'Request a GPU (Slurm: `sbatch --gres=gpu:1`), or unset CUDA_VISIBLE_DEVICES.',
      );
  } else {
    from = 'first GPU';
    measured = inventory.gpus[0];
    if (!measured)
      return refuse(
        'E_GPU_NOT_FOUND',
        `This host has no GPU: ${listed(inventory)}.`,
        'Run GPU trials on a host with an NVIDIA GPU and its driver, or keep only cpu providers.',
      );
  }
  if (measured.migEnabled)
    return refuse(
      'E_GPU_MIG',
      `GPU ${describeGpu(measured)} is in MIG mode: greenrt cannot measure it (NVML's energy counter covers the whole GPU, every MIG tenant included, and a container given the whole GPU sees no usable CUDA device).`,
      `Disable MIG on it (\`nvidia-smi -i ${measured.index} -mig 0\` as root, then reset the GPU), or select a GPU without MIG.`,
    );
  return {
    measured: [measured],
    context: inventory.gpus.filter((g) => g !== measured),
    selectedBy: {
      from,
      cudaVisibleDevices: cudaVisibleDevices ?? null,
      allocatedUuids: allocated ? allocated.map((g) => g.uuid ?? `index ${g.index}`) : null,
    },
  };
}

/** Device ids for Docker DeviceIDs and CUDA_VISIBLE_DEVICES: the UUID (stable across reboots) where known. */
export function gpuDeviceIds(selection: GpuSelection | null): string[] | undefined {
  if (!selection || selection.measured.length === 0) return undefined;
  return selection.measured.map((g) => g.uuid ?? String(g.index));
}
