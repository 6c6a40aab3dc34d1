/**
 * Adaptive repetitions through the real CLI (embedded runtime, demo model): a run completes and reports its
 * precision; a second run of the same experiment, `kill -9`ed in the middle of round 2, resumes at the same place
 * and ends with exactly the trial sequence of the uninterrupted run, its decisions recomputed from the results.
 * The target (+/-0.01 %) is out of reach on purpose: every configuration then runs to max whatever the noise of this
 * host, so the uninterrupted sequence is known in advance and both runs must follow it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, type RunManifest, type TrialResult } from '../contracts/index.js';
import { loadExperiment } from '../config/index.js';
import { planRun } from '../plan/index.js';
import { replayRounds } from '../analysis/index.js';
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

const rule = '{ min: 3, max: 5, precision: { metric: energyPerInference, relativeHalfWidth: 0.0001 } }';

describe('adaptive repetitions end to end: complete, kill -9 mid-round 2, resume (embedded runtime, real CLI)', () => {
  let root: string;
  let experiment: string;
  let fullRun: string;
  let killedRun: string;
  let killedArtifacts: string;
  let beforeResume: Map<string, Buffer>;
  let recordedBeforeKill: RunManifest;

  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-adaptive-');
    experiment = writeExperiment(join(root, 'exp'), {
      name: 'adaptive',
      modelFile: demoModel.file,
      model: 'mobilenet_v2',
      batchSizes: [1, 2],
      repetitions: rule,
      warmupIterations: 2,
      measuredIterations: 15,
    });
    const full = await runCli(['run', experiment, '--artifacts', join(root, 'full')], { timeoutMs: 240_000 });
    expect(full.code, full.stderr).toBe(0);
    fullRun = runDirIn(join(root, 'full'))!;

    killedArtifacts = join(root, 'killed');
    const run = startCli(['run', experiment, '--artifacts', killedArtifacts]);
    killedRun = await waitFor(
      'a run folder with a finished round-2 trial',
      () => {
        const dir = runDirIn(killedArtifacts);
        return dir && trialFiles(dir).some((id) => id.endsWith('.r4')) ? dir : undefined;
      },
      180_000,
    );
    run.child.kill('SIGKILL');
    const killed = await run.exited;
    expect(killed.signal, `the run ended before the kill:\n${killed.stderr}`).toBe('SIGKILL');
    beforeResume = new Map(trialFiles(killedRun).map((id) => [id, readFileSync(join(killedRun, 'trials', `${id}.json`))]));
    recordedBeforeKill = readJson<RunManifest>(join(killedRun, 'manifest.json'));
  }, 420_000);

  it('completes, records every decision, and reports the precision each configuration reached', () => {
    const m = readJson<RunManifest>(join(fullRun, 'manifest.json'));
    expect(m.status).toBe('completed');
    expect(m.plan.trialCount).toBe(10);
    expect(m.adaptive?.rounds.map((r) => r.count)).toEqual([6, 2, 2]);
    expect(m.adaptive?.decisions.map((d) => d.nextRound)).toEqual([2, 3, null]);
    const last = m.adaptive!.decisions.at(-1)!.configurations;
    expect(last.map((c) => c.outcome)).toEqual(['max', 'max']);
    // No RAPL or NVML in these runs (power sources: none): latency stands in, and the record says why.
    expect(last.every((c) => c.metric === 'latency' && c.fallbackReason?.includes('have no energy'))).toBe(true);
    expect(last.every((c) => typeof c.relativeHalfWidth === 'number' && c.relativeHalfWidth > 0)).toBe(true);
    const report = readFileSync(join(fullRun, 'report.md'), 'utf8');
    expect(report).toContain('### Repetitions and precision (adaptive)');
    expect(report).toMatch(
      /\| `embedded\.pytorch\.mobilenet_v2\.cpu\.b1` \| 5 \| 5 \| latency \(ms\) \(fallback\) \| [\d.]+ \| ±[\d.]+ % \| no: reached max 5 \|/,
    );
    expect(report).toContain('2 configuration(s) reached max 5 trials short of the ±0.01 % precision target');
    const decisions = readRunLog(fullRun).filter((l) => l.event === 'adaptive.decision');
    expect(decisions.map((l) => l.afterRound)).toEqual([1, 2, 3]);
  });

  it('was killed in round 2, with round 2 recorded in the manifest before its first trial ran', () => {
    expect(recordedBeforeKill.status).toBe('running');
    expect(recordedBeforeKill.adaptive?.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(recordedBeforeKill.plan.trialIds).toHaveLength(8);
    expect(beforeResume.size).toBeGreaterThanOrEqual(7);
    expect(beforeResume.size).toBeLessThan(10);
  });

  it("resumes at the same place and ends with the uninterrupted run's trial sequence", async () => {
    const r = await runCli(['run', '--resume', killedRun, '--artifacts', killedArtifacts], { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Run completed: 10 ok, 0 invalid, 0 failed of 10 trials.');
    const resumed = readJson<RunManifest>(join(killedRun, 'manifest.json'));
    const full = readJson<RunManifest>(join(fullRun, 'manifest.json'));
    expect(resumed.status).toBe('completed');
    expect(resumed.plan.trialIds).toEqual(full.plan.trialIds);
    expect(resumed.adaptive?.rounds).toEqual(full.adaptive?.rounds);
    expect(resumed.plan.trialIds.slice(0, 8)).toEqual(recordedBeforeKill.plan.trialIds);
    expect(trialFiles(killedRun)).toEqual([...resumed.plan.trialIds].sort());
    for (const [id, bytes] of beforeResume) expect(readFileSync(join(killedRun, 'trials', `${id}.json`)).equals(bytes), id).toBe(true);
    // The recorded decisions are what the results say: replaying them from the trial files gives the same.
    const results = resumed.plan.trialIds.map((id) => readJson<TrialResult>(join(killedRun, 'trials', `${id}.json`)));
    const spec = (await loadExperiment(experiment, new Contracts())).spec;
    const replay = replayRounds(planRun(spec), new Map(results.map((t) => [t.trialId, t] as const)));
    expect(replay.plan.trials.map((t) => t.id)).toEqual(resumed.plan.trialIds);
    expect(replay.decisions.map((d) => d.configurations.map((c) => [c.configuration, c.trials, c.relativeHalfWidth, c.outcome]))).toEqual(
      resumed.adaptive!.decisions.map((d) => d.configurations.map((c) => [c.configuration, c.trials, c.relativeHalfWidth, c.outcome])),
    );
    expect(readFileSync(join(killedRun, 'report.md'), 'utf8')).toContain('### Repetitions and precision (adaptive)');
    expect(runFolderDamage(killedRun)).toEqual([]);
    const verify = await runCli(['verify', killedRun]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 300_000);
});
