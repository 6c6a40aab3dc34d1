/**
 * The job's GPU allocation through the real CLI on a FAKE two-GPU host: the C stand-in libnvidia-ml
 * (pipeline/testing/fake-libnvidia-ml.c, FAKE_NVML_GPU_COUNT=2) on LD_LIBRARY_PATH, no real GPU.
 * A --shared-host shard given CUDA_VISIBLE_DEVICES=1 (as Slurm's --gres sets it) measures GPU 1 only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { ensureCliBuilt, readJson, runCli, runDirIn, trialFiles, writeExperiment } from './e2e-support.js';

const cc = spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).stdout.trim();
const realNvidia = spawnSync('sh', ['-c', 'command -v nvidia-smi'], { encoding: 'utf8' }).stdout.trim();

describe.skipIf(!cc || realNvidia !== '')('GPU allocation on a fake two-GPU host', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir('greenrt-gpu-allocation-');
    const lib = join(dir, 'lib');
    execFileSync('mkdir', ['-p', lib]);
    execFileSync(cc, [
      '-shared',
      '-fPIC',
      '-O1',
      '-o',
      join(lib, 'libnvidia-ml.so.1'),
      fileURLToPath(new URL('../testing/fake-libnvidia-ml.c', import.meta.url)),
    ]);
    // Its own TMPDIR: the host-shard registry lives there, so shards of other runs on this machine do not count.
    execFileSync('mkdir', ['-p', join(dir, 'tmp')]);
    env = { LD_LIBRARY_PATH: lib, FAKE_NVML_GPU_COUNT: '2', FAKE_NVML_PROCESSES: '0', TMPDIR: join(dir, 'tmp') };
  });

  it('a --shared-host shard given CUDA_VISIBLE_DEVICES=1 measures GPU 1 only, and the manifest says why', async () => {
    const experiment = writeExperiment(join(dir, 'exp'), { name: 'alloc', repetitions: 2, powerSources: ['nvml'] });
    const artifacts = join(dir, 'artifacts');
    const r = await runCli(['run', experiment, '--shard', '0/2', '--shared-host', '--yes', '--artifacts', artifacts], {
      env: { ...env, CUDA_VISIBLE_DEVICES: '1' },
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const runDir = runDirIn(artifacts)!;
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(
      manifest.host.gpus?.map((g) => {
        const d = g as { index?: number; measured?: boolean };
        return [d.index, d.measured];
      }),
    ).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(manifest.gpu?.measured.map((g) => g.uuid)).toEqual(['GPU-fake-1']);
    expect(manifest.gpu?.selectedBy).toEqual({ from: 'CUDA_VISIBLE_DEVICES', cudaVisibleDevices: '1', allocatedUuids: ['GPU-fake-1'] });
    const files = trialFiles(runDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const t = readJson<TrialResult>(join(runDir, 'trials', `${f}.json`));
      const domains = t.energy.readings.map((x) => x.domain);
      expect(domains).toEqual(['gpu:1']);
    }
  }, 180_000);
});
