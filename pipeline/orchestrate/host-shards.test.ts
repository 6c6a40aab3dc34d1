import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import { EnvironmentError, ExitCode, InputError, exitCodeFor } from '../core/index.js';
import { claimHostForShard, type HostShard, shardGpu } from './host-shards.js';
import { selectGpus } from './gpu-selection.js';
import type { GpuInventory } from '../power/index.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();

let dir: string;
const living = new Set<number>();
const isAlive = (pid: number) => living.has(pid);
beforeEach(() => {
  dir = tempDir('greenrt-host-shards-');
  living.clear();
});

async function start(pid: number, sharedHost: boolean, gpu?: HostShard['gpu']) {
  living.add(pid);
  return claimHostForShard({ pid, runId: `shard-${pid}`, sharedHost, ...(gpu !== undefined ? { gpu } : {}) }, contracts, dir, isAlive);
}

/** A FAKE two-GPU host's inventory (the shape NVML's listing gives; no GPU here). */
const twoGpus: GpuInventory = {
  via: 'nvml',
  driverVersion: '999.99-fake',
  reason: null,
  gpus: [0, 1].map((index) => ({ index, uuid: `GPU-feed000${index}`, name: `FAKE GPU ${index}`, computeCapability: '9.0', migEnabled: false })),
};
/** What a shard on that host records, given the job's CUDA_VISIBLE_DEVICES (undefined: unset). */
const gpuOf = (cvd: string | undefined, devices?: (number | string)[]) => shardGpu(selectGpus(devices, twoGpus, true, cvd));
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as EnvironmentError,
  );

describe('claimHostForShard', () => {
  it('refuses a second shard on the host unless both say --shared-host, and names the running one', async () => {
    await start(100, false);
    const error = await start(200, false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toMatch(/Shard run shard-200 cannot start: shard run shard-100 \(pid 100\) is running on this host/);
    expect((error as EnvironmentError).hint).toMatch(/--shared-host/);
    expect(await readdir(dir)).toEqual(['100.json']); // the refused one left nothing
  });

  it('lets --shared-host shards share the host, but not with a shard that measures alone', async () => {
    await start(100, true);
    await start(200, true);
    expect((await readdir(dir)).sort()).toEqual(['100.json', '200.json']);
    await expect(start(300, false)).rejects.toThrow(/with greenrt run --shared-host/);
  });

  it('forgets shards whose process is gone, and release removes the entry', async () => {
    await writeFile(join(dir, '999.json'), JSON.stringify({ pid: 999, runId: 'crashed', sharedHost: false }));
    const release = await start(100, false);
    expect(await readdir(dir)).toEqual(['100.json']);
    await release();
    expect(await readdir(dir)).toEqual([]);
    await start(200, false);
  });

  it("writes its entry as schemas/host-shard.schema.json says, and refuses a living shard's damaged entry naming file, path and fix", async () => {
    const release = await start(100, true);
    expect(JSON.parse(await readFile(join(dir, '100.json'), 'utf8'))).toEqual({ pid: 100, runId: 'shard-100', sharedHost: true });
    await release();
    living.add(300);
    await writeFile(join(dir, '300.json'), JSON.stringify({ pid: 300, runId: 'x', sharedHost: 'yes', extra: 1 }));
    const error = await start(200, true).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(ExitCode.badInput);
    const message = (error as InputError).message;
    expect(message).toContain('Shard run shard-200 cannot start: a host-shard entry');
    expect(message).toContain(`${join(dir, '300.json')} /sharedHost: must be boolean (schemas/host-shard.schema.json).`);
    expect(message).toContain('/extra: unknown key');
    expect(message).toContain(`If no greenrt shard run with pid 300 is running on this host, remove ${join(dir, '300.json')}`);
    expect((await readdir(dir)).sort()).toEqual(['300.json']); // the refused shard left nothing; the damaged entry is kept for the user
  });

  it('refuses an entry that is not JSON or names another pid than its file, and forgets a dead one whatever it holds', async () => {
    living.add(300);
    await writeFile(join(dir, '300.json'), '{"pid": 3');
    await expect(start(200, false)).rejects.toThrow(/300\.json \/: is not valid JSON/);
    await writeFile(join(dir, '300.json'), JSON.stringify({ pid: 1, runId: 'other', sharedHost: false }));
    await expect(start(200, false)).rejects.toThrow(/300\.json \/pid: is 1, not the pid of its file name \(300\)/);
    // A run id is shown in another shard's refusal: no terminal control characters get there.
    await writeFile(join(dir, '300.json'), JSON.stringify({ pid: 300, runId: '\u001b[2Jowned', sharedHost: false }));
    await expect(start(200, false)).rejects.toThrow(/300\.json \/runId: must match pattern/);
    living.delete(300);
    await writeFile(join(dir, '301.json'), 'garbage');
    await start(200, false);
    expect(await readdir(dir)).toEqual(['200.json']);
  });

  it('records the GPU each shard measures: from CUDA_VISIBLE_DEVICES (index or UUID), gpu.devices or the first GPU', async () => {
    expect(gpuOf('1')).toEqual({ index: 1, uuid: 'GPU-feed0001', selectedBy: 'CUDA_VISIBLE_DEVICES=1' });
    expect(gpuOf('GPU-feed0000,GPU-feed0001')).toEqual({ index: 0, uuid: 'GPU-feed0000', selectedBy: 'CUDA_VISIBLE_DEVICES=GPU-feed0000,GPU-feed0001' });
    expect(gpuOf(undefined, [1])).toEqual({ index: 1, uuid: 'GPU-feed0001', selectedBy: 'gpu.devices' });
    expect(gpuOf(undefined)).toEqual({ index: 0, uuid: 'GPU-feed0000', selectedBy: 'first GPU' });
    expect(shardGpu(null)).toBeNull();
    const release = await start(100, true, gpuOf('1'));
    expect(JSON.parse(await readFile(join(dir, '100.json'), 'utf8'))).toEqual({
      pid: 100,
      runId: 'shard-100',
      sharedHost: true,
      gpu: { index: 1, uuid: 'GPU-feed0001', selectedBy: 'CUDA_VISIBLE_DEVICES=1' },
    });
    await release();
  });

  it('refuses a --shared-host shard on a GPU another running shard measures (exit 3), naming both shards, the GPU and the fix', async () => {
    await start(100, true, gpuOf('0'));
    const error = await refusal(start(200, true, gpuOf('0')));
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error?.code).toBe('E_GPU_SHARED');
    expect(exitCodeFor(error)).toBe(ExitCode.missingEnvironment);
    expect(error?.message).toBe(
      "Shard run shard-200 cannot start: it would measure GPU 0 (GPU-feed0000), selected by CUDA_VISIBLE_DEVICES=0, which shard run shard-100 (pid 100) on this host already measures (GPU 0 (GPU-feed0000), selected by CUDA_VISIBLE_DEVICES=0); each would count the other's work in its energy.",
    );
    expect(error?.hint).toContain('--gres=gpu:1');
    expect(error?.hint).toContain('leave gpu.devices out');
    expect(await readdir(dir)).toEqual(['100.json']); // the refused one left nothing
  });

  it('sees the same GPU behind its UUID and its index, and behind a GPU named by gpu.devices', async () => {
    await start(100, true, gpuOf('GPU-feed0000'));
    const byIndex = await refusal(start(200, true, gpuOf('0')));
    expect(byIndex?.message).toMatch(
      /GPU 0 \(GPU-feed0000\), selected by CUDA_VISIBLE_DEVICES=0, which shard run shard-100 .*selected by CUDA_VISIBLE_DEVICES=GPU-feed0000\)/,
    );
    const byDevices = await refusal(start(300, true, gpuOf(undefined, ['GPU-FEED0000'])));
    expect(byDevices?.code).toBe('E_GPU_SHARED');
    // Without UUIDs (an inventory that had none) the NVML index decides.
    await refusal(start(400, true, { index: 3, uuid: null, selectedBy: 'first GPU' }));
    const noUuid = await refusal(start(500, true, { index: 3, uuid: null, selectedBy: 'gpu.devices' }));
    expect(noUuid?.message).toContain('it would measure GPU 3, selected by gpu.devices, which shard run shard-400');
  });

  it('lets --shared-host shards on different GPUs, or measuring none, share the host; an entry without a recorded GPU is not compared', async () => {
    await start(100, true, gpuOf('0'));
    await start(200, true, gpuOf('1'));
    await start(300, true, null);
    await writeFile(join(dir, '400.json'), JSON.stringify({ pid: 400, runId: 'older-greenrt', sharedHost: true }));
    living.add(400);
    await start(500, true, null);
    expect((await readdir(dir)).sort()).toEqual(['100.json', '200.json', '300.json', '400.json', '500.json']);
    await expect(start(600, true, gpuOf('1'))).rejects.toThrow(/shard run shard-200 \(pid 200\) on this host already measures \(GPU 1 \(GPU-feed0001\)/);
  });

  it('refuses a living shard entry whose GPU record breaks the schema, naming file, path and fix', async () => {
    living.add(300);
    await writeFile(
      join(dir, '300.json'),
      JSON.stringify({ pid: 300, runId: 'x', sharedHost: true, gpu: { index: 0, uuid: 'GPU-x', selectedBy: '\u001b[2J' } }),
    );
    await expect(start(200, true, gpuOf('1'))).rejects.toThrow(/300\.json \/gpu\/selectedBy: must match pattern/);
  });
});
