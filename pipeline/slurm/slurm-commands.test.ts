/**
 * Rule 3 of docs/RELIABILITY.md for the Slurm commands: a missing or failing squeue, scontrol or sbatch is exit 3
 * naming it, never a job state ("unknown", "not in the queue"). Missing commands are real: PATH is pointed at an
 * empty folder. A failing command is a FAKE squeue/scontrol (a two-line script, labelled so) that exits 1 as a real
 * one does when slurmctld does not answer.
 */
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contracts, packageRoot, type SlurmStudy } from '../contracts/index.js';
import { EnvironmentError, ExitCode, exitCodeFor, InputError, systemClock } from '../core/index.js';
import { fakeStudy } from '../testing/slurm-study.js';
import { tempDir } from '../testing/temp-dir.js';
import { SlurmClient } from './slurm-client.js';
import { studyStatus, waitForStudy } from './study-status.js';
import { resubmitStudy, submitStudy, writeStudy } from './submit-study.js';

const contracts = new Contracts();
const study: SlurmStudy = fakeStudy();
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

let dir: string;
let bin: string;
const savedPath = process.env.PATH;
beforeEach(() => {
  dir = tempDir('greenrt-slurm-cmd-');
  bin = tempDir('greenrt-slurm-bin-');
  process.env.PATH = bin;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

/** A FAKE Slurm command in the test's PATH folder: prints `stderr` and exits `code`. */
function fakeCommand(name: string, code: number, stderr: string) {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\necho '${stderr}' >&2\nexit ${code}\n`);
  chmodSync(file, 0o755);
}

const exit3Naming = (error: unknown, command: string) => {
  expect(error).toBeInstanceOf(EnvironmentError);
  expect(exitCodeFor(error)).toBe(ExitCode.missingEnvironment);
  expect((error as Error).message).toContain(command);
};

const deps = () => ({ contracts, clock: systemClock, slurm: new SlurmClient() });
/** `greenrt slurm submit experiments/demo.yaml --shards 1 --artifacts <artifacts>`, with `change` applied. */
const submit = (artifacts: string, change: Partial<Parameters<typeof submitStudy>[1]> = {}) =>
  submitStudy(deps(), {
    experimentFile: join(packageRoot, 'experiments', 'demo.yaml'),
    shards: 1,
    partition: 'repetition',
    artifactsDir: artifacts,
    options: {},
    dryRun: false,
    ...change,
  });

describe('a missing or failing Slurm command is exit 3 naming it, never a state', () => {
  it('status without squeue: exit 3 naming squeue (it said every job was "unknown" and to resubmit)', async () => {
    await writeStudy(contracts, dir, study);
    const error = await failure(studyStatus(deps(), dir));
    exit3Naming(error, 'squeue is not installed on this host');
  });

  it('status when squeue fails (controller down): exit 3 with its message', async () => {
    await writeStudy(contracts, dir, study);
    fakeCommand('squeue', 1, 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)');
    const error = await failure(studyStatus(deps(), dir));
    exit3Naming(error, '`squeue -h -r -j 17,18 -o %i|%T|%r` failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller');
  });

  it('squeue\'s "Invalid job id" (jobs Slurm forgot) is an answer, but scontrol missing is still exit 3', async () => {
    await writeStudy(contracts, dir, study);
    fakeCommand('squeue', 1, 'slurm_load_jobs error: Invalid job id specified');
    exit3Naming(await failure(studyStatus(deps(), dir)), 'scontrol is not installed');
  });

  it('--wait without squeue: exit 3 at once instead of returning as if every job had finished', async () => {
    await writeStudy(contracts, dir, study);
    exit3Naming(await failure(waitForStudy(deps(), dir, { intervalMs: 10 })), 'squeue');
  });

  it('resubmit without squeue: exit 3, nothing resubmitted (it would resubmit shards that still run)', async () => {
    await writeStudy(contracts, dir, study);
    exit3Naming(await failure(resubmitStudy(deps(), dir)), 'squeue');
  });

  it('submit without sbatch: exit 3 naming it, and no study folder written', async () => {
    const artifacts = join(dir, 'artifacts');
    const error = await failure(submit(artifacts));
    exit3Naming(error, 'sbatch, squeue, scontrol are not installed on this host');
    expect(existsSync(artifacts)).toBe(false);
  });

  it('submit when sbatch fails: exit 3, and the new study folder removed', async () => {
    fakeCommand('scontrol', 0, '');
    writeFileSync(join(bin, 'scontrol'), '#!/bin/sh\necho "Slurmctld(primary) at fake is UP"\n');
    fakeCommand('squeue', 0, '');
    fakeCommand('sbatch', 1, 'sbatch: error: Batch job submission failed: Invalid partition name specified');
    const artifacts = join(dir, 'artifacts');
    const error = await failure(submit(artifacts));
    exit3Naming(error, 'Invalid partition name specified');
    expect(readdirSync(artifacts)).toEqual([]);
  });

  it('a study written with --dry-run is "not submitted", not failed (exit 0 from status)', async () => {
    await writeStudy(contracts, dir, { ...study, submissions: [{ ...study.submissions[0]!, arrayJobId: null, mergeJobId: null }] });
    const s = await studyStatus(deps(), dir);
    expect(s.submitted).toBe(false);
    expect(s.shards.map((x) => x.state)).toEqual(['not submitted', 'not submitted']);
    expect(s.merge.state).toBe('not submitted');
  });

  it('an --artifacts path no #SBATCH line can carry: exit 2 naming --artifacts, nothing written', async () => {
    for (const bad of ['my artifacts', 'a%j', 'x\ny']) {
      const artifacts = join(dir, bad);
      const error = await failure(submit(artifacts, { dryRun: true }));
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain('command line --artifacts: the path');
      expect(existsSync(artifacts)).toBe(false);
    }
  });
});

describe('slurm submit names its own options', () => {
  it("more shards than the plan has repetitions: the problem names --shards (it named run's --shard)", async () => {
    const error = await failure(submit(join(dir, 'artifacts'), { shards: 1000, dryRun: true }));
    expect(error).toBeInstanceOf(InputError);
    const problem = (error as InputError).problems[0]!;
    expect(problem.path).toBe('--shards');
    expect(`${problem.message} ${problem.hint}`).not.toMatch(/--shard\b(?!s)/);
  });
});
