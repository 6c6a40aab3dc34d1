import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const hasNvidiaSmi = (() => {
  try {
    execFileSync('nvidia-smi', ['-L'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// On a host without a GPU (CI, this project's build machines) the real CLI must stop at once.
describe.skipIf(hasNvidiaSmi)('greenrt doctor --measure on a host without a GPU', () => {
  let dir: string;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir('greenrt-gpu-check-');
  });

  it('exits 3, names every missing part with its fix, and writes no run', async () => {
    const r = await runCli(['doctor', '--measure', '--artifacts', join(dir, 'artifacts')], {
      env: { GREENRT_PYTHON: '/nonexistent/python3' },
      timeoutMs: 60_000,
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('[MISS] NVIDIA GPU and driver: missing');
    expect(r.stdout).toContain('[MISS] Python for the process runner (/nonexistent/python3): missing: /nonexistent/python3 not found');
    expect(r.stdout).toContain("/nonexistent/python3 -m pip install 'torch>=2.5' torchvision numpy jsonschema");
    expect(r.stderr).toContain('GPU acceptance check (process runner) cannot run: missing NVIDIA GPU and driver');
    let written: string[] = [];
    try {
      written = readdirSync(join(dir, 'artifacts'));
    } catch {
      written = [];
    }
    expect(written).toEqual([]);
  });

  it('has --help', async () => {
    const r = await runCli(['doctor', '--help'], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--measure');
    expect(r.stdout).toContain('--runner <runner>');
  });

  it('--runner: process or docker, only with --measure (exit 2 otherwise)', async () => {
    const bad = await runCli(['doctor', '--measure', '--runner', 'slurm', '--artifacts', join(dir, 'bad')], { timeoutMs: 30_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are process, docker/);
    const alone = await runCli(['doctor', '--runner', 'process'], { timeoutMs: 30_000 });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--runner and --images are for --measure');
  });
});
