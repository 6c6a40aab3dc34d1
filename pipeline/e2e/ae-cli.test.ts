/**
 * `greenrt ae check` through the built CLI on this host: the smoke tier is ready anywhere Node runs; on a host
 * without an NVIDIA GPU the GPU smoke tier names the paper claim it cannot test and why, and exits 3.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
