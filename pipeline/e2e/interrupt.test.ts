import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../contracts/index.js';
import { packageRoot } from '../contracts/index.js';
import {
  demoModel,
  ensureCliBuilt,
  readJson,
  readRunLog,
  runCli,
  runDirIn,
  runFolderDamage,
  startCli,
  trialFiles,
  waitFor,
  writeExperiment,
} from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

describe('interrupting a run (real CLI)', () => {
  let root: string;

  beforeAll(() => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-interrupt-');
  }, 180_000);

  /** Starts a 6-trial run, waits for one finished trial, sends `signal`; returns the run folder and the CLI's result. */
  async function interruptRun(name: string, signal: NodeJS.Signals) {
    const artifacts = join(root, name, 'artifacts');
    const experiment = writeExperiment(join(root, name, 'exp'), {
      name,
      modelFile: demoModel.file,
      model: 'mobilenet_v2',
      repetitions: 6,
      warmupIterations: 2,
      measuredIterations: 15,
    });
    const run = startCli(['run', experiment, '--artifacts', artifacts]);
    const runDir = await waitFor(
      'one finished trial',
      () => {
        const dir = runDirIn(artifacts);
        return dir && trialFiles(dir).length >= 1 ? dir : undefined;
      },
      120_000,
    );
    run.child.kill(signal);
    return { runDir, artifacts, result: await run.exited };
  }

  it('SIGINT: exit 130, manifest interrupted, finished trials kept, the resume command printed; --resume completes', async () => {
    const { runDir, artifacts, result } = await interruptRun('ctrlc', 'SIGINT');
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGINT: stopping the running trial and saving the run');
    expect(result.stderr).toMatch(/Run ctrlc-\S+ interrupted after \d of 6 trials; the manifest and every finished trial are saved\./);
    expect(result.stderr).toContain(`Resume it with: greenrt run --resume ${runDir}`);
    expect(result.stderr).not.toContain('    at '); // no stack trace

    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('interrupted');
    expect(manifest.statusReason).toBe('stopped by the user (SIGINT/SIGTERM)');
    const kept = trialFiles(runDir);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(6);
    expect(manifest.progress.ok).toBe(kept.length);
    expect(manifest.progress.pending).toBe(6 - kept.length);
    // The trial that was stopped is not recorded as failed: it simply has no result yet.
    expect(manifest.progress.failed).toBe(0);
    expect(readRunLog(runDir).some((l) => l.event === 'run.stop' && l.status === 'interrupted')).toBe(true);
    expect(runFolderDamage(runDir)).toEqual([]);

    const resumed = await runCli(['run', '--resume', relative(packageRoot, runDir), '--artifacts', artifacts]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Run completed: 6 ok, 0 invalid, 0 failed of 6 trials.');
    const after = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(after.status).toBe('completed');
    expect(after.statusReason).toBeNull();
    expect(trialFiles(runDir)).toEqual([...after.plan.trialIds].sort());
  }, 240_000);

  it('SIGTERM is handled like Ctrl-C: exit 130 and an interrupted manifest', async () => {
    const { runDir, result } = await interruptRun('term', 'SIGTERM');
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGTERM: stopping the running trial');
    expect(readJson<RunManifest>(join(runDir, 'manifest.json')).status).toBe('interrupted');
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 180_000);
});
