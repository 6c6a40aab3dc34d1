/**
 * Crash safety through the real CLI: `kill -9` the orchestrator in the middle of a run, then
 * `greenrt run --resume <runDir>` finishes it with every completed trial kept exactly once (its file
 * untouched), the interrupted trial run again, and the crash's temp files cleaned.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest, TrialResult } from '../contracts/index.js';
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

describe('kill -9 mid-run, then run --resume (embedded runtime, real CLI)', () => {
  let root: string;
  let experiment: string;
  let artifacts: string;
  let runDir: string;
  let beforeResume: Map<string, Buffer>;
  let killedAtMs: number;

  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-crash-');
    artifacts = join(root, 'artifacts');
    // MobileNetV2 with a few iterations: trials of about half a second, so the kill lands mid-run.
    experiment = writeExperiment(join(root, 'exp'), {
      name: 'crash',
      modelFile: demoModel.file,
      model: 'mobilenet_v2',
      repetitions: 6,
      warmupIterations: 2,
      measuredIterations: 15,
    });
    const run = startCli(['run', experiment, '--artifacts', artifacts]);
    runDir = await waitFor(
      'a run folder with 2 finished trials',
      () => {
        const dir = runDirIn(artifacts);
        return dir && trialFiles(dir).length >= 2 ? dir : undefined;
      },
      120_000,
    );
    run.child.kill('SIGKILL');
    killedAtMs = Date.now();
    const killed = await run.exited;
    expect(killed.signal, `the run ended before the kill:\n${killed.stderr}`).toBe('SIGKILL');
    beforeResume = new Map(trialFiles(runDir).map((id) => [id, readFileSync(join(runDir, 'trials', `${id}.json`))]));
    // What a kill during an atomic write leaves: a half-written temp file beside the results.
    writeFileSync(join(runDir, 'trials', `.${[...beforeResume.keys()][0]}.json.dead01.tmp`), '{"schemaVersion": 1, "trialId": "trunc');
  }, 180_000);

  it('leaves a manifest that still says running, and only whole result files', () => {
    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('running');
    expect(beforeResume.size).toBeGreaterThanOrEqual(2);
    expect(beforeResume.size).toBeLessThan(6);
    for (const [id, bytes] of beforeResume) expect(JSON.parse(bytes.toString('utf8')).trialId).toBe(id);
  });

  it('refuses to resume when the experiment file changed since the run started (exit 3)', async () => {
    const original = readFileSync(experiment);
    appendFileSync(experiment, '# edited after the run started\n');
    try {
      const r = await runCli(['run', '--resume', runDir, '--artifacts', artifacts]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('changed since the run started (SHA-256 differs)');
      expect(r.stderr).toContain('Restore the experiment file as it was');
      expect(trialFiles(runDir)).toEqual([...beforeResume.keys()]);
    } finally {
      writeFileSync(experiment, original);
    }
  });

  it('resumes: every trial exactly once, finished ones untouched, the interrupted one run again', async () => {
    // The kill can land between a trial's result file and its log line; make that happen for sure: drop the
    // last trial.finish line, so the resume must record that trial's end itself.
    const logLines = readFileSync(join(runDir, 'run.log'), 'utf8').split('\n');
    const lastFinish = logLines.map((l) => l.includes('"trial.finish"')).lastIndexOf(true);
    const lostId = (JSON.parse(logLines[lastFinish]!) as { trialId: string }).trialId;
    writeFileSync(join(runDir, 'run.log'), logLines.filter((_, i) => i !== lastFinish).join('\n'));
    const r = await runCli(['run', '--resume', runDir, '--artifacts', artifacts]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Resuming crash-/m);
    expect(r.stdout).toContain('Run completed: 6 ok, 0 invalid, 0 failed of 6 trials.');

    const manifest = readJson<RunManifest>(join(runDir, 'manifest.json'));
    expect(manifest.status).toBe('completed');
    expect(manifest.resumes).toHaveLength(1);
    expect(manifest.progress).toEqual({ total: 6, ok: 6, failed: 0, invalid: 0, unsupported: 0, pending: 0 });
    expect(trialFiles(runDir)).toEqual([...manifest.plan.trialIds].sort());

    // Finished before the kill: the same bytes (not redone, not rewritten).
    for (const [id, bytes] of beforeResume) expect(readFileSync(join(runDir, 'trials', `${id}.json`)).equals(bytes), id).toBe(true);
    // The trial that was running when the kill came: run again, after the kill.
    const interrupted = manifest.plan.trialIds.find((id) => !beforeResume.has(id))!;
    const redone = readJson<TrialResult>(join(runDir, 'trials', `${interrupted}.json`));
    expect(redone.status).toBe('ok');
    expect(Date.parse(redone.startedAt)).toBeGreaterThanOrEqual(killedAtMs - 1000);

    // run.log: the resume is recorded and every trial finished exactly once.
    const log = readRunLog(runDir);
    expect(log.filter((l) => l.event === 'run.resume')).toHaveLength(1);
    const finishes = log.filter((l) => l.event === 'trial.finish').map((l) => l.trialId as string);
    expect([...finishes].sort()).toEqual([...manifest.plan.trialIds].sort());
    expect(log.find((l) => l.event === 'trial.finish' && l.trialId === lostId)?.recoveredOnResume).toBe(true);

    // results.csv: one row per trial.
    const rows = readFileSync(join(runDir, 'results.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(6);
    // The crash's temp file is gone and nothing in the folder is truncated.
    expect(runFolderDamage(runDir)).toEqual([]);
  }, 120_000);
});
