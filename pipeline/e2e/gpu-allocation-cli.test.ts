/**
 * The job's GPU allocation through the real CLI on a FAKE two-GPU host: the C stand-in libnvidia-ml
 * (pipeline/testing/fake-libnvidia-ml.c, FAKE_NVML_GPU_COUNT=2) on LD_LIBRARY_PATH, no real GPU.
 * A --shared-host shard given CUDA_VISIBLE_DEVICES=1 (as Slurm's --gres sets it) measures GPU 1 only; two
 * --shared-host shards given the same GPU (by index, or one by UUID and one by index) do not both measure it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ensureCliBuilt, readJson, runCli, runDirIn, startCli, trialFiles, waitFor, writeExperiment } from './e2e-support.js';

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

  it('a second --shared-host shard on a GPU a running shard measures is refused (exit 3, naming both shards and the GPU); one on the other GPU runs', async () => {
    // FAKE_NVML_HEX_UUIDS: the stand-in's UUIDs in the form CUDA_VISIBLE_DEVICES accepts.
    const hexEnv = { ...env, FAKE_NVML_HEX_UUIDS: '1' };
    const uuid0 = 'GPU-00000000-fa4e-4000-8000-000000000000';
    const registry = join(dir, 'tmp', 'greenrt-shards');
    // Shard A: running while the others start and end, on a fast host too (about 1 s per trial, minutes in all: it is
    // interrupted at the end); named by UUID, as a job allocated by UUID is.
    const long = writeExperiment(join(dir, 'exp-a'), { name: 'alloc-a', repetitions: 400, measuredIterations: 100, powerSources: ['nvml'] });
    const a = startCli(['run', long, '--shard', '0/2', '--shared-host', '--yes', '--artifacts', join(dir, 'artifacts-a')], {
      env: { ...hexEnv, CUDA_VISIBLE_DEVICES: uuid0 },
    });
    try {
      const entry = await waitFor('shard A in the host-shard registry', () => {
        const names = existsSync(registry) ? readdirSync(registry).filter((n) => n.endsWith('.json')) : [];
        return names.length === 1 ? (JSON.parse(readFileSync(join(registry, names[0]!), 'utf8')) as { runId: string; gpu: unknown }) : undefined;
      });
      expect(entry.gpu).toEqual({ index: 0, uuid: uuid0, selectedBy: `CUDA_VISIBLE_DEVICES=${uuid0}` });
      const short = writeExperiment(join(dir, 'exp-b'), { name: 'alloc-b', repetitions: 1, powerSources: ['nvml'] });
      const shard = (cvd: string, artifacts: string) =>
        runCli(['run', short, '--shard', '1/2', '--shared-host', '--yes', '--artifacts', join(dir, artifacts)], {
          env: { ...hexEnv, CUDA_VISIBLE_DEVICES: cvd },
          timeoutMs: 120_000,
        });
      // Shard B is given index 0: the same GPU as A's UUID.
      const b = await shard('0', 'artifacts-b');
      expect(b.code, b.stderr).toBe(3);
      expect(b.stderr).toContain(`it would measure GPU 0 (${uuid0}), selected by CUDA_VISIBLE_DEVICES=0, which shard run ${entry.runId}`);
      expect(b.stderr).toContain(`already measures (GPU 0 (${uuid0}), selected by CUDA_VISIBLE_DEVICES=${uuid0})`);
      expect(b.stderr).toContain('--gres=gpu:1');
      expect(runDirIn(join(dir, 'artifacts-b'))).toBeUndefined(); // refused before anything was written
      // Shard C is given GPU 1: it runs beside A and measures GPU 1 only.
      const c = await shard('1', 'artifacts-c');
      expect(c.code, c.stderr).toBe(0);
      const manifest = readJson<RunManifest>(join(runDirIn(join(dir, 'artifacts-c'))!, 'manifest.json'));
      expect(manifest.gpu?.measured.map((g) => g.uuid)).toEqual(['GPU-00000000-fa4e-4000-8000-000000000001']);
      expect(a.child.exitCode, `shard A ended early:\n${a.stderr().slice(-2000)}`).toBeNull(); // A was running all along
    } finally {
      a.child.kill('SIGINT');
      await a.exited;
    }
  }, 240_000);
});
