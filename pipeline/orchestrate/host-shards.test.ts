import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../core/index.js';
import { claimHostForShard } from './host-shards.js';
import { tempDir } from '../testing/temp-dir.js';

let dir: string;
const living = new Set<number>();
const isAlive = (pid: number) => living.has(pid);
beforeEach(() => {
  dir = tempDir('greenrt-host-shards-');
  living.clear();
});

async function start(pid: number, sharedHost: boolean) {
  living.add(pid);
  return claimHostForShard({ pid, runId: `shard-${pid}`, sharedHost }, dir, isAlive);
}

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
    await expect(start(300, false)).rejects.toThrow(/with --shared-host/);
  });

  it('forgets shards whose process is gone, and release removes the entry', async () => {
    await writeFile(join(dir, '999.json'), JSON.stringify({ pid: 999, runId: 'crashed', sharedHost: false }));
    const release = await start(100, false);
    expect(await readdir(dir)).toEqual(['100.json']);
    await release();
    expect(await readdir(dir)).toEqual([]);
    await start(200, false);
  });
});
