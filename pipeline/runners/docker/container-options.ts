import type Docker from 'dockerode';
import { bindMounts, type BindMount } from '../../docker/index.js';

/** uid:gid of the `greenrt` user inside every runtime image. */
export const CONTAINER_USER = '10001:10001';
export const CONTAINER_UID = 10001;

/** Paths inside the container (see docs/ARCHITECTURE.md ("Build contexts")). */
export const ContainerPaths = {
  trialSpec: '/greenrt/in/trial.json',
  prepareSpec: '/greenrt/in/prepare.json',
  modelDir: '/greenrt/model',
  outDir: '/greenrt/out',
  trialOutput: '/greenrt/out/trial-output.json',
} as const;

export interface ContainerOptionsInput {
  image: string;
  cmd: string[];
  /** Host path -> container path binds, read-only or read-write. */
  binds: BindMount[];
  labels: Record<string, string>;
  memoryLimitMiB: number | null;
  /** 'none' for trials; 'bridge' only for pretrained weight downloads while preparing. */
  network: 'none' | 'bridge';
  /** Request NVIDIA GPUs (provider cuda/tensorrt). */
  gpu: boolean;
  /** GPUs by index ('0') or UUID ('GPU-...'); undefined: the first ('0'). Never all. */
  gpuDevices?: string[];
  /** Default 4096: frameworks start many threads, each one counts. */
  pidsLimit?: number;
  /** Size of the /tmp tmpfs, MiB (counts against the memory limit). Default 1024. */
  tmpfsMiB?: number;
  env?: string[];
}

/**
 * The hardened container for one entrypoint run: no network, non-root, read-only root with a
 * tmpfs /tmp (HOME=/tmp for frameworks that write caches), all capabilities dropped,
 * no-new-privileges, memory without swap (so going over is an OOM kill, not a slow trial), pids limit.
 */
export function containerOptions(input: ContainerOptionsInput): Docker.ContainerCreateOptions {
  const memoryBytes = input.memoryLimitMiB === null ? undefined : input.memoryLimitMiB * 1024 * 1024;
  const hostConfig: Docker.HostConfig = {
    Mounts: bindMounts(input.binds),
    NetworkMode: input.network,
    ReadonlyRootfs: true,
    Tmpfs: { '/tmp': `rw,exec,nosuid,nodev,size=${input.tmpfsMiB ?? 1024}m` },
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: input.pidsLimit ?? 4096,
    AutoRemove: false,
    ...(memoryBytes === undefined ? {} : { Memory: memoryBytes, MemorySwap: memoryBytes }),
  };
  if (input.gpu) {
    // DeviceIDs, never Count -1: a trial sees exactly the GPUs it is measured on.
    const ids = input.gpuDevices?.length ? input.gpuDevices : ['0'];
    hostConfig.DeviceRequests = [{ Driver: 'nvidia', DeviceIDs: ids, Capabilities: [['gpu', 'compute', 'utility']] }];
  }
  return {
    Image: input.image,
    Cmd: input.cmd,
    User: CONTAINER_USER,
    WorkingDir: '/tmp',
    Env: ['HOME=/tmp', 'PYTHONDONTWRITEBYTECODE=1', 'PYTHONUNBUFFERED=1', ...(input.env ?? [])],
    Labels: input.labels,
    NetworkDisabled: input.network === 'none',
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    HostConfig: hostConfig,
  };
}
