import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import { EnvironmentError, ExitCode, InputError, exitCodeFor } from '../core/index.js';
import { claimHostForShard } from './host-shards.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();

let dir: string;
const living = new Set<number>();
const isAlive = (pid: number) => living.has(pid);
beforeEach(() => {
  dir = tempDir('greenrt-host-shards-');
  living.clear();
});

async function start(pid: number, sharedHost: boolean) {
  living.add(pid);
  return claimHostForShard({ pid, runId: `shard-${pid}`, sharedHost }, contracts, dir, isAlive);
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
});
