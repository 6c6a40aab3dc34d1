import { readdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contracts, type HostShard, SchemaId } from '../contracts/index.js';
import { EnvironmentError, InputError, type InputProblem } from '../core/index.js';
import { ensureFolder, readJsonFile, writeJsonFile } from '../results/index.js';
import { parseCudaVisibleDevices, type GpuSelection } from './gpu-selection.js';

/** A shard run that is running on this host (schemas/host-shard.schema.json). */
export type { HostShard };

/** Where running shards register themselves: one `<pid>.json` per shard process. */
export const defaultHostShardsDir = join(tmpdir(), 'greenrt-shards');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The GPU a shard measures, as its host-shard entry records it; null when it measures none. */
export function shardGpu(selection: GpuSelection | null): HostShard['gpu'] {
  const gpu = selection?.measured[0];
  if (!gpu) return null;
  const by = selection.selectedBy;
  const selectedBy =
    by?.from === 'CUDA_VISIBLE_DEVICES'
      ? `CUDA_VISIBLE_DEVICES=${(parseCudaVisibleDevices(by.cudaVisibleDevices ?? '') ?? []).join(',')}`
      : (by?.from ?? 'first GPU');
  return { index: gpu.index, uuid: gpu.uuid ?? null, selectedBy };
}

/** Same physical GPU: by UUID where both have one, else by NVML index (one host, one NVML order). */
function sameGpu(a: NonNullable<HostShard['gpu']>, b: NonNullable<HostShard['gpu']>): boolean {
  return a.uuid && b.uuid ? a.uuid.toLowerCase() === b.uuid.toLowerCase() : a.index === b.index;
}

const describeShardGpu = (g: NonNullable<HostShard['gpu']>) => `GPU ${g.index}${g.uuid ? ` (${g.uuid})` : ''}, selected by ${g.selectedBy}`;

/**
 * Registers this shard run on the host and refuses (EnvironmentError E_HOST_BUSY, exit 3) when another
 * shard is running here, unless both were started with --shared-host; and refuses (E_GPU_SHARED, exit 3) a
 * --shared-host shard whose GPU another running shard measures, naming both shards and the GPU (two shards
 * on one GPU would each count the other's work in its energy). Entries of dead processes are
 * removed. The entry is written before the others are read, so two shards starting at once both see each
 * other (and both refuse) rather than both starting. Entries are written atomically and checked against
 * schemas/host-shard.schema.json when read: an entry of a living process that fails it (or names another pid
 * than its file) is refused (InputError, exit 2, naming the file, the JSON path and the fix), never guessed at.
 * Returns the function that removes the entry.
 */
export async function claimHostForShard(
  me: HostShard,
  contracts: Contracts,
  dir = defaultHostShardsDir,
  isAlive: (pid: number) => boolean = alive,
): Promise<() => Promise<void>> {
  await ensureFolder(dir);
  const mine = join(dir, `${me.pid}.json`);
  await writeJsonFile(contracts, SchemaId.hostShard, mine, me);
  const release = () => unlink(mine).catch(() => undefined);
  const others: HostShard[] = [];
  const damaged: InputProblem[] = [];
  for (const name of await readdir(dir)) {
    if (!/^\d+\.json$/.test(name) || name === `${me.pid}.json`) continue;
    const file = join(dir, name);
    const pid = Number(name.slice(0, -'.json'.length));
    // A dead process's entry is stale whatever it holds.
    if (!isAlive(pid)) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    const hint = `If no greenrt shard run with pid ${pid} is running on this host, remove ${file}; otherwise wait for it to end.`;
    const read = await readJsonFile<HostShard>(contracts, SchemaId.hostShard, file, { shown: file, hint, noFollow: true, maxBytes: 64 * 1024 });
    if (read.ok && read.data.pid === pid) others.push(read.data);
    else if (read.ok) damaged.push({ file, path: '/pid', message: `is ${read.data.pid}, not the pid of its file name (${pid})`, hint });
    else if (!read.absent) damaged.push(...read.problems); // absent: the shard ended while we looked
  }
  if (damaged.length > 0) {
    await release();
    throw new InputError(`Shard run ${me.runId} cannot start: a host-shard entry in ${dir} is damaged, so greenrt cannot tell which shards run here`, damaged);
  }
  const conflict = others.find((o) => !me.sharedHost || !o.sharedHost);
  if (conflict) {
    await release();
    throw new EnvironmentError(
      'E_HOST_BUSY',
      `Shard run ${me.runId} cannot start: shard run ${conflict.runId} (pid ${conflict.pid}) is running on this host${conflict.sharedHost ? ' with greenrt run --shared-host' : ''}, and shards measure alone unless every one sharing a host runs with greenrt run --shared-host.`,
      {
        hint: 'Run one shard per host (Slurm --exclusive, the default of greenrt slurm submit), or start every shard on this host with `greenrt run --shard K/N --shared-host` on different GPUs (CPU energy is then left out of per-trial energy).',
      },
    );
  }
  const myGpu = me.gpu;
  const sharing = myGpu ? others.find((o) => o.gpu && sameGpu(o.gpu, myGpu)) : undefined;
  if (myGpu && sharing?.gpu) {
    await release();
    throw new EnvironmentError(
      'E_GPU_SHARED',
      `Shard run ${me.runId} cannot start: it would measure ${describeShardGpu(myGpu)}, which shard run ${sharing.runId} (pid ${sharing.pid}) on this host already measures (${describeShardGpu(sharing.gpu)}); each would count the other's work in its energy.`,
      {
        hint: 'Give every shard started with greenrt run --shared-host its own GPU: one GPU per Slurm job (sbatch --gres=gpu:1, so CUDA_VISIBLE_DEVICES differs), and leave gpu.devices out of the experiment so the allocation decides; `nvidia-smi -L` inside each job shows which GPU it has. Or run the shards one after the other.',
      },
    );
  }
  return release;
}
