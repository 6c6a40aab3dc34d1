/**
 * Rule 3 of docs/RELIABILITY.md, enforced over the sources: an external command greenrt depends on is run through
 * `runCommand` (core/external-command.ts), which makes a missing or failing command exit 3 naming it instead of an
 * empty answer. Only the probes listed below start processes themselves (for them an absent tool is the finding
 * they report, not an answer about something else); a new command that imports node:child_process fails here.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { shippedSources } from '../testing/source-files.js';
import { EnvironmentError, ExitCode, exitCodeFor, runCommand } from './index.js';

const probes: Record<string, string> = {
  'core/external-command.ts': 'runCommand itself',
  'cli/doctor-command.ts': 'doctor reports each missing tool as its finding',
  'cli/gpu-check/requirements.ts': 'gpu-check lists each missing requirement as its finding',
  'orchestrate/host-info.ts': 'the git commit for the manifest: absent outside a checkout, recorded as such',
  'orchestrate/framework-executor.ts': 'nvidia-smi -L before GPU trials: its failure is already EnvironmentError (exit 3) naming nvidia-smi',
  'images/base-image.ts':
    "runs greenrt's own build-base script (debootstrap), streaming its log; a failure is EnvironmentError E_BASE_IMAGE_BUILD (exit 3) with that log",
  'power/ports.ts': 'the nvidia-smi port (a sensor): an absent or failing nvidia-smi is the power source being unavailable, reported as such',
  'runners/process/run-harness.ts': "starts the trial harness (greenrt's own child process), whose exit and output the trial outcome judges",
};

const pipelineDir = join(packageRoot, 'pipeline');
const starting = shippedSources(pipelineDir)
  .filter((file) => /['"](?:node:)?child_process['"]|from ['"]execa['"]|import\(['"]execa['"]\)/.test(readFileSync(file, 'utf8')))
  .map((file) => relative(pipelineDir, file));

describe('external commands go through runCommand', () => {
  it('only the listed probes start processes themselves', () => {
    expect(starting.filter((f) => !(f in probes))).toEqual([]);
  });

  it('the list holds no file that no longer starts a process', () => {
    for (const f of Object.keys(probes)) expect(starting, f).toContain(f);
  });

  it('a missing command is exit 3 naming it; a failing one too, with its last line; an answering exit is returned', async () => {
    const use = { purpose: 'test', hint: 'install it' };
    const missing = await runCommand('greenrt-no-such-command', [], use).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EnvironmentError);
    expect(exitCodeFor(missing)).toBe(ExitCode.missingEnvironment);
    expect((missing as Error).message).toBe('Cannot test: greenrt-no-such-command is not installed on this host (not found on PATH).');
    const failing = await runCommand('sh', ['-c', 'echo first >&2; echo "it broke" >&2; exit 5'], use).catch((e: unknown) => e);
    expect((failing as Error).message).toBe('Cannot test: `sh -c echo first >&2; echo "it broke" >&2; exit 5` failed (exit 5): it broke.');
    expect((await runCommand('sh', ['-c', 'exit 1'], { ...use, answers: (r) => r.code === 1 })).code).toBe(1);
  });
});
