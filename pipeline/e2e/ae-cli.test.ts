/**
 * `greenrt ae check` through the built CLI on this host: the smoke tier is ready anywhere Node runs; on a host
 * without an NVIDIA GPU the GPU smoke tier names the paper claim it cannot test and why, and exits 3. `ae evaluate`
 * on a short smoke run against itself (every claim agrees, exit 0) and against a folder that is not a run (exit 2).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { runCli } from './e2e-support.js';

function hasNvidiaSmi(): boolean {
  try {
    execFileSync('nvidia-smi', ['-L'], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

describe('greenrt ae check', () => {
  it('the smoke tier: every claim testable, exit 0', async () => {
    const r = await runCli(['ae', 'check', 'experiments/ae/smoke.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/experiments\/ae\/smoke\.yaml: 10 trials, estimated /);
    expect(r.stdout).toContain('2 testable, 0 on GPU energy only, 0 not testable here, 0 not run by this experiment (of 2)');
    expect(r.stdout).toContain('Ready: every claim these experiments run can be tested on this host.');
  });

  it.skipIf(hasNvidiaSmi())('without a GPU: the GPU smoke tier names the claim it cannot test and why, exit 3', async () => {
    const r = await runCli(['ae', 'check', 'experiments/ae/gpu-smoke.yaml']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      /\[ NOT TESTABLE {2}\] R onnx-resnet50-b64-ten-percent-more: no NVIDIA GPU on this host: the claim compares cuda configurations \(fix: /,
    );
    expect(r.stdout).toMatch(/\[ not in tier {3}\] R tensorflow-outperformed: the experiment does not run 10 of the 12 configurations/);
    expect(r.stdout).toMatch(/Not ready: .* Exit 3\./);
  });

  it('a bad experiment file is bad input (exit 2), naming the file', async () => {
    const r = await runCli(['ae', 'check', 'package.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('package.json');
  });
});

describe('greenrt ae evaluate', () => {
  it('a short smoke run against itself: hosts the same, every claim agrees, evaluation.json and .md written, exit 0', async () => {
    const dir = tempDir('greenrt-ae-eval-');
    cpSync(join(packageRoot, 'experiments', 'ae'), join(dir, 'ae'), { recursive: true });
    const file = join(dir, 'ae', 'smoke.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^repetitions: \d+$/m, 'repetitions: 4')
        .replace(/^measuredIterations: \d+$/m, 'measuredIterations: 10'),
    );
    const artifacts = join(dir, 'artifacts');
    const made = await runCli(['run', file, '--artifacts', artifacts], { timeoutMs: 300_000 });
    expect(made.code, made.stderr).toBe(0);
    const run = join(artifacts, readdirSync(artifacts)[0]!);
    const out = join(dir, 'evaluation');
    const r = await runCli(['ae', 'evaluate', run, '--reference', run, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Hosts: no differences recorded.');
    expect(r.stdout).toMatch(/agrees +E batching-amortises/);
    const json = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
    expect(json.claims.map((c: { outcome: string }) => c.outcome)).toEqual(['agrees', 'agrees']);
    expect(json.absolute.judged).toBe(true);
    expect(readFileSync(join(out, 'evaluation.md'), 'utf8')).toMatch(/^# Evaluation of /);
    const bad = await runCli(['ae', 'evaluate', run, '--reference', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a run folder');
  }, 400_000);
});
