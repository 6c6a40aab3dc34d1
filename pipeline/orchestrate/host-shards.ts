import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../core/index.js';

/** A shard run that is running on this host. */
export interface HostShard {
  pid: number;
  runId: string;
  /** Started with --shared-host: may share the host with other --shared-host shards. */
  sharedHost: boolean;
}

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

/**
 * Registers this shard run on the host and refuses (EnvironmentError E_HOST_BUSY, exit 3) when another
 * shard is running here, unless both were started with --shared-host. Entries of dead processes are
 * removed. The entry is written before the others are read, so two shards starting at once both see each
 * other (and both refuse) rather than both starting. Returns the function that removes the entry.
 */
export async function claimHostForShard(me: HostShard, dir = defaultHostShardsDir, isAlive: (pid: number) => boolean = alive): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const mine = join(dir, `${me.pid}.json`);
  await writeFile(mine, JSON.stringify(me));
  const release = () => unlink(mine).catch(() => undefined);
  const others: HostShard[] = [];
  for (const name of await readdir(dir)) {
    if (!/^\d+\.json$/.test(name) || name === `${me.pid}.json`) continue;
    const entry = await readFile(join(dir, name), 'utf8').then(
      (t) => JSON.parse(t) as HostShard,
      () => null,
    );
    if (!entry || typeof entry.pid !== 'number' || !isAlive(entry.pid)) {
      await unlink(join(dir, name)).catch(() => undefined);
      continue;
    }
    others.push(entry);
  }
  const conflict = others.find((o) => !me.sharedHost || !o.sharedHost);
  if (conflict) {
    await release();
    throw new EnvironmentError(
      'E_HOST_BUSY',
      `Shard run ${me.runId} cannot start: shard run ${conflict.runId} (pid ${conflict.pid}) is running on this host${conflict.sharedHost ? ' with --shared-host' : ''}, and shards measure alone unless every one sharing a host says --shared-host.`,
      {
        hint: 'Run one shard per host (Slurm --exclusive, the default of greenrt slurm submit), or start every shard on this host with --shared-host on different GPUs (CPU energy is then left out of per-trial energy).',
      },
    );
  }
  return release;
}
