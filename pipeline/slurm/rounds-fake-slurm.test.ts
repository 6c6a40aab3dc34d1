/**
 * `greenrt slurm submit / decide / status / resubmit` of an adaptive (round by round) study against a FAKE Slurm:
 * sbatch, squeue, scontrol, sacct and scancel are shell scripts on PATH in a temp folder that record their
 * arguments and answer from state files the test writes (the job states a real controller would report). The
 * study folder, its job scripts, the round shard folders (RECORDED trial values, testing/recorded-study.ts), the
 * decision files and study.json are real and go through the real code. Covers: a round in progress, a cancelled
 * decide job, a shard that failed in round 2, a finished study, a study never submitted (--dry-run) and a Slurm
 * command missing (exit 3). The real cluster runs the same flows in pipeline/e2e/slurm-rounds.slurm.test.ts and
 * two-node.slurm.test.ts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contracts, type TrialResult } from '../contracts/index.js';
import { EnvironmentError, ExitCode, exitCodeFor, InputError } from '../core/index.js';
import { planRun, shardPlan } from '../plan/index.js';
import { recordedAdaptiveSpec, recordedResult } from '../testing/recorded-study.js';
import { tempDir } from '../testing/temp-dir.js';
import { fakeManifest, writeFakeRun } from '../testing/trial-results.js';
import { roundShardRunId } from './round-scripts.js';
import { decideStudy, decisionFile, readDecision } from './rounds-study.js';
import { mergedRunId } from './sbatch-scripts.js';
import { SlurmClient } from './slurm-client.js';
import { studyStatus } from './study-status.js';
import { readStudy, resubmitStudy, submitStudy } from './submit-study.js';

const contracts = new Contracts();
const clock = { nowMs: () => Date.parse('2026-01-02T00:00:00Z'), monotonicNs: () => 0n } as never;
// min 3, max 6 and a target the recorded values meet for some configurations and not for others (as in
// e2e/adaptive-rounds-sharded.test.ts): the study takes several rounds and ends with a mix of met and max. The
// process runner: no image to build or save, so submit needs no Docker engine.
const spec = { ...recordedAdaptiveSpec({ min: 3, max: 6, relativeHalfWidth: 0.7 }), runner: 'process' as const };
const base = planRun(spec);

/** The FAKE Slurm commands (POSIX sh): every call is appended to calls.log; states come from the files in state/. */
const fakes: Record<string, string> = {
  sbatch: `id=$(cat "$FAKE_SLURM/next-id"); echo $((id + 1)) >"$FAKE_SLURM/next-id"; echo "$id"`,
  squeue: `case "$*" in *'%i|%T|%r'*) cat "$FAKE_SLURM/squeue" ;; *) cut -d'|' -f1 "$FAKE_SLURM/squeue" ;; esac`,
  scontrol: [
    'if [ "$1" = ping ]; then echo "Slurmctld(primary) at fake is UP"; exit 0; fi',
    'id="$4"',
    'grep -E "(^| )(JobId|ArrayJobId)=$id( |$)" "$FAKE_SLURM/scontrol" || { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }',
  ].join('\n'),
  sacct: 'exit 0',
  scancel: 'exit 0',
};

let work: string;
let bin: string;
let state: string;
const savedPath = process.env.PATH;
const savedState = process.env.FAKE_SLURM;
beforeEach(() => {
  work = tempDir('greenrt-rounds-fake-slurm-');
  bin = join(work, 'bin');
  state = join(work, 'state');
  mkdirSync(bin);
  mkdirSync(state);
  writeFileSync(join(state, 'next-id'), '100\n');
  writeFileSync(join(state, 'squeue'), '');
  writeFileSync(join(state, 'scontrol'), '');
  writeFileSync(join(state, 'calls.log'), '');
  for (const name of Object.keys(fakes)) installFake(name);
  process.env.FAKE_SLURM = state;
  process.env.PATH = `${bin}:${savedPath}`;
});
afterEach(() => {
  process.env.PATH = savedPath;
  if (savedState === undefined) delete process.env.FAKE_SLURM;
  else process.env.FAKE_SLURM = savedState;
});

function installFake(name: string) {
  const file = join(bin, name);
  writeFileSync(
    file,
    `#!/bin/sh\n# FAKE ${name} (test stand-in, not Slurm)\nPATH=/usr/bin:/bin\nprintf '%s\\n' "${name} $*" >>"$FAKE_SLURM/calls.log"\n${fakes[name]}\n`,
  );
  chmodSync(file, 0o755);
}

/** What the fake sbatch was asked to submit, with the study folder shown as <study>. */
function submissions(studyDir: string): string[] {
  return readFileSync(join(state, 'calls.log'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('sbatch '))
    .map((l) => l.replaceAll(studyDir, '<study>'));
}
/** The job states the fake squeue (queued, running) and scontrol (finished) report. */
function jobStates(queued: string[], finished: string[]) {
  writeFileSync(join(state, 'squeue'), queued.map((l) => `${l}\n`).join(''));
  writeFileSync(join(state, 'scontrol'), finished.map((l) => `${l}\n`).join(''));
}
const task = (job: string, k: number, jobState: string, reason = 'None') =>
  `JobId=${Number(job) + k + 1} ArrayJobId=${job} ArrayTaskId=${k} JobState=${jobState} Reason=${reason}`;
const plain = (job: string, jobState: string, reason = 'None') => `JobId=${job} JobState=${jobState} Reason=${reason}`;

const deps = () => ({ contracts, clock, slurm: new SlurmClient() });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

async function submit(dryRun = false) {
  const exp = join(work, 'experiment');
  mkdirSync(exp, { recursive: true });
  // JSON is YAML: the recorded experiment, adaptive, as a file the study names.
  writeFileSync(join(exp, 'recorded.yaml'), JSON.stringify(spec));
  const s = await submitStudy(deps(), {
    experimentFile: join(exp, 'recorded.yaml'),
    shards: 2,
    partition: 'repetition',
    artifactsDir: join(work, 'artifacts'),
    options: {},
    dryRun,
  });
  return { dir: s.studyDir, studyId: s.study.studyId };
}
const study = (dir: string) => readStudy(contracts, dir).then((r) => r.study);

/**
 * What a round's array tasks leave in the study folder: each shard's run folder (rotation's trials of the round,
 * RECORDED values), written as greenrt writes them; shards in `failed` leave nothing. Returns the shards with trials.
 */
async function runRound(dir: string, studyId: string, round: number, failed: number[] = []): Promise<number[]> {
  const ids = round === 1 ? null : (await readDecision(contracts, dir, round - 1))!.nextRound!.trialIds;
  const withTrials: number[] = [];
  for (let k = 0; k < 2; k++) {
    let part: ReturnType<typeof shardPlan>;
    try {
      part = shardPlan(base, { index: k, count: 2, partition: 'rotation', round }, '--shard', ids);
    } catch {
      continue; // no trial of this round on shard k: no task
    }
    withTrials.push(k);
    if (failed.includes(k)) continue;
    const runId = roundShardRunId(studyId, round, k);
    const results: TrialResult[] = part.plan.trials.map((t) => recordedResult(t, runId));
    const manifest = fakeManifest(results, {
      runId,
      experiment: { file: 'recorded.yaml', sha256: 'c'.repeat(64), spec },
      plan: { seed: base.seed, order: base.order, trialCount: part.plan.trialCount, trialIds: part.plan.trials.map((t) => t.id) },
      shard: { index: k, count: 2, partition: 'rotation', round, planHash: part.shard.planHash, planTrialCount: part.shard.planTrialCount },
    });
    await writeFakeRun(join(dir, 'shards'), runId, results, contracts, manifest);
  }
  return withTrials;
}

describe('slurm decide / status / resubmit of an adaptive study (FAKE sbatch, squeue, scontrol, sacct, scancel)', () => {
  it('submit: round 1 as an array over the shards with trials, its decide job afterok; while it runs status shows round 1 and resubmit refuses', async () => {
    const { dir } = await submit();
    expect(submissions(dir)).toEqual([
      'sbatch --parsable --array=0,1 <study>/slurm/round-shard.sbatch 1',
      'sbatch --parsable --dependency=afterok:100 --kill-on-invalid-dep=yes <study>/slurm/decide.sbatch 1',
    ]);
    expect((await study(dir)).submissions).toMatchObject([{ round: 1, indices: [0, 1], arrayJobId: '100', decideJobId: '101', mergeJobId: null }]);

    jobStates(['100_0|RUNNING|None', '100_1|PENDING|Resources', '101|PENDING|Dependency'], []);
    const s = await studyStatus(deps(), dir);
    expect(s.rounds).toMatchObject({ round: 1, maxRounds: 4, estimatedRoundsLeft: null, decide: { job: '101', state: 'PENDING', reason: 'Dependency' } });
    expect(s.rounds!.open).toHaveLength(4);
    expect(s.shards.map((x) => [x.job, x.state, x.reason])).toEqual([
      ['100_0', 'RUNNING', null],
      ['100_1', 'PENDING', 'Resources'],
    ]);
    expect(s.settled).toBe(false);

    const busy = await failure(resubmitStudy(deps(), dir));
    expect(busy).toBeInstanceOf(InputError);
    expect(exitCodeFor(busy)).toBe(ExitCode.badInput);
    expect(JSON.stringify((busy as InputError).problems)).toContain('still queued or running (100_0, 100_1, 101)');
    expect(submissions(dir)).toHaveLength(2);
  });

  it('a cancelled decide job: status says so (exit 4 for the CLI), resubmit submits the decide job alone, its decision submits round 2 once', async () => {
    const { dir, studyId } = await submit();
    await runRound(dir, studyId, 1);
    jobStates([], [task('100', 0, 'COMPLETED'), task('100', 1, 'COMPLETED'), plain('101', 'CANCELLED')]);
    const s = await studyStatus(deps(), dir);
    expect(s.rounds?.decide).toEqual({ job: '101', state: 'CANCELLED', reason: null });
    expect(s.shards.map((x) => [x.state, x.runStatus])).toEqual([
      ['COMPLETED', 'completed'],
      ['COMPLETED', 'completed'],
    ]);
    // What `greenrt slurm status` exits 4 on: every job left the queue, jobs were submitted, no merged run.
    expect([s.settled, s.submitted, s.merged]).toEqual([true, true, false]);
    expect(existsSync(decisionFile(dir, 1))).toBe(false);

    await resubmitStudy(deps(), dir);
    expect(submissions(dir).slice(2)).toEqual(['sbatch --parsable <study>/slurm/decide.sbatch 1']);
    expect((await study(dir)).submissions.at(-1)).toMatchObject({ round: 1, indices: [], arrayJobId: null, decideJobId: '102' });

    // The decide job runs: the decision after round 1 is written and round 2 submitted with its own decide job.
    const d = await decideStudy(deps(), dir, 1);
    const next = d.decision.nextRound!;
    expect(next.round).toBe(2);
    const indices = next.shards.flatMap((ids, k) => (ids.length ? [k] : []));
    expect(submissions(dir).slice(3)).toEqual([
      `sbatch --parsable --array=${indices.join(',')} <study>/slurm/round-shard.sbatch 2`,
      'sbatch --parsable --dependency=afterok:103 --kill-on-invalid-dep=yes <study>/slurm/decide.sbatch 2',
    ]);
    // Decided again (a requeued decide job): the same decision, nothing submitted twice.
    expect((await decideStudy(deps(), dir, 1)).submitted).toBeNull();
    expect(submissions(dir)).toHaveLength(5);
  });

  it('a shard failed in round 2: status shows it, decide refuses the unfinished round (exit 4), resubmit runs only that shard and a decide job', async () => {
    const { dir, studyId } = await submit();
    await runRound(dir, studyId, 1);
    await decideStudy(deps(), dir, 1); // array 102, decide 103 for round 2
    const shards2 = await runRound(dir, studyId, 2);
    const failed = shards2.at(-1)!;
    // The failed shard's task died before writing its manifest: no folder.
    rmSync(join(dir, 'shards', roundShardRunId(studyId, 2, failed)), { recursive: true });
    jobStates(
      [],
      [
        ...shards2.map((k) => task('102', k, k === failed ? 'FAILED' : 'COMPLETED')),
        plain('103', 'CANCELLED', 'DependencyNeverSatisfied'),
        task('100', 0, 'COMPLETED'),
        task('100', 1, 'COMPLETED'),
        plain('101', 'COMPLETED'),
      ],
    );
    const s = await studyStatus(deps(), dir);
    expect(s.rounds).toMatchObject({ round: 2, decide: { job: '103', state: 'CANCELLED', reason: 'DependencyNeverSatisfied' } });
    expect(s.rounds!.estimatedRoundsLeft).not.toBeNull();
    const failedShard = s.shards.find((x) => x.index === failed)!;
    expect([failedShard.job, failedShard.state, failedShard.runStatus]).toEqual([`102_${failed}`, 'FAILED', null]);
    expect([s.settled, s.submitted, s.merged]).toEqual([true, true, false]);

    const unfinished = await failure(decideStudy(deps(), dir, 2));
    expect(exitCodeFor(unfinished)).toBe(ExitCode.trialsFailed);
    expect((unfinished as Error).message).toMatch(/Cannot decide after round 2 .*: a trial of round 2 or before has no result/);
    expect(existsSync(decisionFile(dir, 2))).toBe(false);

    const before = submissions(dir).length;
    const r = await resubmitStudy(deps(), dir);
    expect(r.indices).toEqual([failed]);
    expect(submissions(dir).slice(before)).toEqual([
      `sbatch --parsable --array=${failed} <study>/slurm/round-shard.sbatch 2`,
      `sbatch --parsable --dependency=afterok:104 --kill-on-invalid-dep=yes <study>/slurm/decide.sbatch 2`,
    ]);
  });

  it('a finished study: every round decided, the merge job completed, status shows nothing open and resubmit has nothing to do', async () => {
    const { dir, studyId } = await submit();
    const finished: string[] = [];
    let round = 1;
    for (;;) {
      await runRound(dir, studyId, round);
      const sub = (await study(dir)).submissions.at(-1)!;
      finished.push(task(sub.arrayJobId!, 0, 'COMPLETED'), task(sub.arrayJobId!, 1, 'COMPLETED'), plain(sub.decideJobId!, 'COMPLETED'));
      const d = await decideStudy(deps(), dir, round);
      if (!d.decision.nextRound) break;
      round = d.decision.nextRound.round;
    }
    expect(round).toBeGreaterThan(1);
    const last = (await study(dir)).submissions.at(-1)!;
    expect(last).toMatchObject({ round, indices: [], arrayJobId: null, decideJobId: null });
    expect(submissions(dir).at(-1)).toBe('sbatch --parsable <study>/slurm/merge.sbatch');
    const outcomes = new Set((await readDecision(contracts, dir, round))!.configurations.map((c) => c.outcome));
    expect([...outcomes].every((o) => o === 'met' || o === 'max')).toBe(true);

    // The merge job's work, as far as status and resubmit look: the merged run folder with its manifest.
    await writeFakeRun(dir, mergedRunId(studyId), [recordedResult(base.trials[0]!, mergedRunId(studyId))], contracts);
    jobStates([], [...finished, plain(last.mergeJobId!, 'COMPLETED')]);
    const s = await studyStatus(deps(), dir);
    expect(s.rounds).toMatchObject({ round, open: [], estimatedRoundsLeft: 0 });
    expect(s.merge).toEqual({ job: last.mergeJobId, state: 'COMPLETED', reason: null });
    expect([s.settled, s.merged]).toEqual([true, true]);

    const nothing = await failure(resubmitStudy(deps(), dir));
    expect(exitCodeFor(nothing)).toBe(ExitCode.badInput);
    expect((nothing as Error).message).toMatch(/Nothing to resubmit/);
  });

  it('never submitted (--dry-run): no Slurm command runs, status says "not submitted", resubmit submits round 1', async () => {
    const { dir } = await submit(true);
    expect(readFileSync(join(state, 'calls.log'), 'utf8')).toBe('');
    const s = await studyStatus(deps(), dir);
    expect(s.submitted).toBe(false);
    expect(s.rounds).toMatchObject({ round: 1, decide: { job: null, state: 'not submitted' } });
    expect(s.shards.map((x) => x.state)).toEqual(['not submitted', 'not submitted']);

    await resubmitStudy(deps(), dir);
    expect(submissions(dir)).toEqual([
      'sbatch --parsable --array=0,1 <study>/slurm/round-shard.sbatch 1',
      'sbatch --parsable --dependency=afterok:100 --kill-on-invalid-dep=yes <study>/slurm/decide.sbatch 1',
    ]);
  });

  it('a Slurm command missing is exit 3 naming it: squeue for status and resubmit, sbatch for decide (which submits once it is back)', async () => {
    const { dir, studyId } = await submit();
    await runRound(dir, studyId, 1);
    // PATH is only the fake folder from here (each fake sets its own PATH for cat, cut and grep): a removed fake is a
    // missing command, whatever Slurm the host has.
    process.env.PATH = bin;
    rmSync(join(bin, 'squeue'));
    for (const command of [() => studyStatus(deps(), dir), () => resubmitStudy(deps(), dir)]) {
      const e = await failure(command());
      expect(e).toBeInstanceOf(EnvironmentError);
      expect(exitCodeFor(e)).toBe(ExitCode.missingEnvironment);
      expect((e as Error).message).toContain('squeue is not installed on this host');
    }
    installFake('squeue');
    rmSync(join(bin, 'sbatch'));
    const e = await failure(decideStudy(deps(), dir, 1));
    expect(exitCodeFor(e)).toBe(ExitCode.missingEnvironment);
    expect((e as Error).message).toContain('sbatch is not installed on this host');
    expect(submissions(dir)).toHaveLength(2);
    installFake('sbatch');
    const again = await decideStudy(deps(), dir, 1);
    expect(again.submitted?.round).toBe(2);
    expect(submissions(dir)).toHaveLength(4);
  });
});
