import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaId, type Contracts, type SlurmRoundDecision, type SlurmStudy, type TrialResult } from '../contracts/index.js';
import { ExitCode, GreenrtError, InputError, type Clock } from '../core/index.js';
import { loadExperiment } from '../config/index.js';
import { planConfigurations, planRun, roundPlan, roundShardTrialIds, type RunPlan } from '../plan/index.js';
import { canonicalJson } from '../core/index.js';
import { readJsonFile, refuseDamagedRun, shownRunDir, verifyRunFolder, writeJsonFile } from '../results/index.js';
import { decideStudyRound, decisionRecord } from './round-decision.js';
import { roundShardRunId } from './round-scripts.js';
import type { SlurmClient } from './slurm-client.js';
import { readShardManifest, readStudy, writeStudy } from './submit-study.js';
import { mergedRunId } from './sbatch-scripts.js';
import { stat } from 'node:fs/promises';

/** A round that cannot be decided (unfinished, or decided differently before): exit 4, like an unfinished run. */
export class RoundError extends GreenrtError {
  override readonly exitCode = ExitCode.trialsFailed;
}

interface Deps {
  contracts: Contracts;
  clock: Clock;
  slurm: SlurmClient;
}

/** Where the decision after round R is kept. */
export const decisionFile = (studyDir: string, round: number) => join(studyDir, 'slurm', 'rounds', `after-round-${round}.json`);
export const roundShardScript = (studyDir: string) => join(studyDir, 'slurm', 'round-shard.sbatch');
export const decideScript = (studyDir: string) => join(studyDir, 'slurm', 'decide.sbatch');
export const roundsMergeScript = (studyDir: string) => join(studyDir, 'slurm', 'merge.sbatch');

/** The study's experiment, refused (exit 2) when the file changed since submission: every round must decide on one experiment. */
export async function studyPlan(contracts: Contracts, studyDir: string, study: SlurmStudy): Promise<RunPlan> {
  const loaded = await loadExperiment(study.experiment.file, contracts);
  if (loaded.sha256 !== study.experiment.sha256) {
    throw new InputError(`The experiment of ${shownRunDir(studyDir)} changed since it was submitted`, [
      {
        file: study.experiment.file,
        path: '',
        message: `SHA-256 ${loaded.sha256.slice(0, 12)}... is not the submitted ${study.experiment.sha256.slice(0, 12)}...`,
        hint: 'Restore the experiment file as submitted (every round decides on the same experiment), or submit a new study.',
      },
    ]);
  }
  if (!loaded.spec || typeof loaded.spec.repetitions === 'number') throw new Error('a rotation study needs adaptive repetitions');
  return planRun(loaded.spec);
}

/** The recorded decision after `round`, or null before it was taken; a damaged file is an InputError (exit 2). */
export async function readDecision(contracts: Contracts, studyDir: string, round: number): Promise<SlurmRoundDecision | null> {
  const file = decisionFile(studyDir, round);
  const read = await readJsonFile<SlurmRoundDecision>(contracts, SchemaId.slurmRoundDecision, file, {
    shown: shownRunDir(file),
    hint: '`greenrt slurm decide` writes it atomically, so something else changed it: remove it and run `greenrt slurm resubmit` (the decision is re-computed from the stored trials).',
    maxBytes: 64 * 1024 * 1024,
  });
  if (read.ok) return read.data;
  if (read.absent) return null;
  throw new InputError(`Cannot read the decision after round ${round} in ${shownRunDir(studyDir)}: the file is damaged`, read.problems);
}

/** Every round shard folder of the study: round, shard and path. */
export async function roundShardFolders(studyDir: string, studyId: string): Promise<{ round: number; index: number; dir: string }[]> {
  const names = await readdir(join(studyDir, 'shards')).catch(() => [] as string[]);
  const prefix = `${studyId}-round-`;
  return names.flatMap((name) => {
    const m = name.startsWith(prefix) ? /^(\d{1,6})-shard-(\d{1,6})$/.exec(name.slice(prefix.length)) : null;
    return m ? [{ round: Number(m[1]), index: Number(m[2]), dir: join(studyDir, 'shards', name) }] : [];
  });
}

/** The stored trials of rounds 1..`upTo`, each folder checked as `greenrt verify` does (a damaged one refuses). */
async function storedTrials(contracts: Contracts, studyDir: string, studyId: string, upTo: number): Promise<Map<string, TrialResult>> {
  const done = new Map<string, TrialResult>();
  for (const f of await roundShardFolders(studyDir, studyId)) {
    if (f.round > upTo) continue;
    const check = await verifyRunFolder(f.dir, contracts);
    refuseDamagedRun(check, 'greenrt slurm decide');
    for (const r of check.results) done.set(r.trialId, r);
  }
  return done;
}

/** The trial ids of round `round` (>= 2) from the decision after the round before; InputError when it was not taken. */
export async function roundTrialIds(contracts: Contracts, studyDir: string, round: number): Promise<string[]> {
  const d = await readDecision(contracts, studyDir, round - 1);
  if (!d?.nextRound || d.nextRound.round !== round) {
    const file = shownRunDir(decisionFile(studyDir, round - 1));
    throw new InputError(`Round ${round} of ${shownRunDir(studyDir)} was not decided`, [
      {
        file,
        path: '/nextRound',
        message: d ? 'every configuration stopped after the round before' : 'does not exist',
        hint: `Run \`greenrt slurm decide ${shownRunDir(studyDir)} --after-round ${round - 1}\` first.`,
      },
    ]);
  }
  return d.nextRound.trialIds;
}

/** Submits round `round`'s array over the shards that have trials, and its decide job (afterok). */
async function submitRound(slurm: SlurmClient, studyDir: string, round: number, indices: number[]) {
  const arrayJobId = await slurm.sbatch(roundShardScript(studyDir), [`--array=${indices.join(',')}`], [String(round)]);
  // kill-on-invalid-dep: when a shard fails, the decide job ends (cancelled) instead of waiting forever.
  const decideJobId = await slurm.sbatch(decideScript(studyDir), [`--dependency=afterok:${arrayJobId}`, '--kill-on-invalid-dep=yes'], [String(round)]);
  return { arrayJobId, decideJobId };
}

/** Shards of round 1 that get trials (rotation). */
export function firstRoundIndices(plan: RunPlan, shards: number): number[] {
  const split = roundShardTrialIds(roundPlan(plan, 1, null), planConfigurations(plan), shards);
  return split.flatMap((ids, k) => (ids.length > 0 ? [k] : []));
}

/** `greenrt slurm submit` of an adaptive experiment, after the scripts are written: round 1's array and its decide job. */
export async function submitFirstRound(deps: Deps, studyDir: string, study: SlurmStudy, plan: RunPlan, dryRun: boolean): Promise<void> {
  const indices = firstRoundIndices(plan, study.shards);
  const jobs = dryRun ? { arrayJobId: null, decideJobId: null } : await submitRound(deps.slurm, studyDir, 1, indices);
  study.submissions.push({ submittedAt: new Date(deps.clock.nowMs()).toISOString(), indices, round: 1, mergeJobId: null, ...jobs });
  await writeStudy(deps.contracts, studyDir, study);
}

export interface DecideOutcome {
  decision: SlurmRoundDecision;
  /** What was submitted: the next round's array and decide job, or the merge job; null when it had been already. */
  submitted: SlurmStudy['submissions'][number] | null;
}

/**
 * `greenrt slurm decide <studyDir> --after-round R` (the decide job): the adaptive rule on every stored trial of
 * rounds 1..R (the one-node function), written to slurm/rounds/after-round-R.json (or compared with the one there:
 * a different decision from the same trials refuses, exit 4), then the next round's array and decide job, or the
 * merge job, unless a later submission exists already (running decide again submits nothing twice).
 */
export async function decideStudy(deps: Deps, dir: string, afterRound: number, opts: { submit: boolean } = { submit: true }): Promise<DecideOutcome> {
  const { studyDir, study } = await readStudy(deps.contracts, dir);
  if (study.partition !== 'rotation') throw notRounds(studyDir);
  const plan = await studyPlan(deps.contracts, studyDir, study);
  const done = await storedTrials(deps.contracts, studyDir, study.studyId, afterRound);
  const step = decideStudyRound(plan, done, afterRound, study.shards);
  if (!step) {
    throw new RoundError(
      'E_ROUND_UNFINISHED',
      `Cannot decide after round ${afterRound} of ${shownRunDir(studyDir)}: a trial of round ${afterRound} or before has no result.`,
      {
        hint: `See \`greenrt slurm status ${shownRunDir(studyDir)}\`, and \`greenrt slurm resubmit\` the round's unfinished shards.`,
      },
    );
  }
  const decision = decisionRecord(study.studyId, plan, step);
  const recorded = await readDecision(deps.contracts, studyDir, afterRound);
  if (recorded && canonicalJson(recorded) !== canonicalJson(decision)) {
    throw new RoundError(
      'E_DECISION_CHANGED',
      `The stored trials of ${shownRunDir(studyDir)} decide differently after round ${afterRound} than ${shownRunDir(decisionFile(studyDir, afterRound))} records.`,
      {
        hint: 'A shard folder of an earlier round was changed or replaced after the decision: restore it, or submit the study again.',
      },
    );
  }
  if (!recorded)
    await writeJsonFile(
      deps.contracts,
      SchemaId.slurmRoundDecision,
      decisionFile(studyDir, afterRound),
      decision,
      shownRunDir(decisionFile(studyDir, afterRound)),
    );
  const later = study.submissions.some((s) => (s.round ?? 0) > afterRound || (s.round === afterRound && s.mergeJobId !== null));
  if (!opts.submit || later) return { decision, submitted: null };
  const next = decision.nextRound;
  const submittedAt = new Date(deps.clock.nowMs()).toISOString();
  let submission: SlurmStudy['submissions'][number];
  if (next) {
    const indices = next.shards.flatMap((ids, k) => (ids.length > 0 ? [k] : []));
    submission = { submittedAt, indices, round: next.round, mergeJobId: null, ...(await submitRound(deps.slurm, studyDir, next.round, indices)) };
  } else {
    submission = {
      submittedAt,
      indices: [],
      round: afterRound,
      arrayJobId: null,
      decideJobId: null,
      mergeJobId: await deps.slurm.sbatch(roundsMergeScript(studyDir)),
    };
  }
  study.submissions.push(submission);
  await writeStudy(deps.contracts, studyDir, study);
  return { decision, submitted: submission };
}

/** What `greenrt slurm shard <studyDir> --round R --shard K` runs: the experiment, the shard spec and the round's trials. */
export async function roundShardRequest(contracts: Contracts, dir: string, round: number, index: number) {
  const { studyDir, study } = await readStudy(contracts, dir);
  if (study.partition !== 'rotation') throw notRounds(studyDir);
  if (index >= study.shards)
    throw new InputError('Bad command line', [
      { file: 'command line', path: '--shard', message: `shard ${index} is not below the study's ${study.shards} shards` },
    ]);
  return {
    experimentFile: study.experiment.file,
    artifactsDir: join(studyDir, 'shards'),
    runId: roundShardRunId(study.studyId, round, index),
    shard: { index, count: study.shards, partition: 'rotation' as const, round },
    roundTrialIds: round === 1 ? undefined : await roundTrialIds(contracts, studyDir, round),
    sharedHost: study.options.sharedHost === true,
    imagesDir: study.images?.dir,
  };
}

function notRounds(studyDir: string): InputError {
  return new InputError(`${shownRunDir(studyDir)} is not an adaptive (round by round) study`, [
    {
      file: shownRunDir(join(studyDir, 'slurm', 'study.json')),
      path: '/partition',
      message: 'is not rotation',
      hint: 'Use `greenrt slurm status` and `resubmit` for it; decide and shard are for adaptive studies.',
    },
  ]);
}

/** The current round of a rotation study (the latest submitted) and the shards that have trials in it. */
export async function currentRound(
  contracts: Contracts,
  studyDir: string,
  study: SlurmStudy,
  plan: RunPlan,
): Promise<{ round: number; indices: number[]; trialIds: string[] }> {
  const round = Math.max(1, ...study.submissions.map((s) => s.round ?? 1));
  if (round === 1) return { round, indices: firstRoundIndices(plan, study.shards), trialIds: roundPlan(plan, 1, null).trials.map((t) => t.id) };
  const d = await readDecision(contracts, studyDir, round - 1);
  const shards = d?.nextRound?.shards ?? [];
  return { round, indices: shards.flatMap((ids, k) => (ids.length > 0 ? [k] : [])), trialIds: d?.nextRound?.trialIds ?? [] };
}

/**
 * `greenrt slurm resubmit` of a rotation study (no job of it queued): the current round's unfinished shards and its
 * decide job; the decide job alone when the round's shards are done (a cancelled or failed decide job); the merge
 * job alone when the last decision stopped every configuration and no merged run exists.
 */
export async function resubmitRounds(deps: Deps, studyDir: string, study: SlurmStudy): Promise<{ studyDir: string; study: SlurmStudy; indices: number[] }> {
  const plan = await studyPlan(deps.contracts, studyDir, study);
  const { round, indices: roundIndices } = await currentRound(deps.contracts, studyDir, study, plan);
  const submittedAt = new Date(deps.clock.nowMs()).toISOString();
  const stopped = study.submissions.some((s) => s.round === round && s.mergeJobId !== null);
  let submission: SlurmStudy['submissions'][number];
  if (stopped) {
    const merged = await stat(join(studyDir, mergedRunId(study.studyId), 'manifest.json')).then(
      () => true,
      () => false,
    );
    if (merged) {
      throw new InputError(`Nothing to resubmit in ${shownRunDir(studyDir)}`, [
        {
          file: shownRunDir(studyDir),
          path: 'rounds',
          message: 'every round is decided and the merged run exists',
          hint: `Read the report in ${shownRunDir(join(studyDir, mergedRunId(study.studyId)))}.`,
        },
      ]);
    }
    submission = { submittedAt, indices: [], round, arrayJobId: null, decideJobId: null, mergeJobId: await deps.slurm.sbatch(roundsMergeScript(studyDir)) };
  } else {
    const unfinished: number[] = [];
    for (const k of roundIndices) {
      const m = await readShardManifest(deps.contracts, studyDir, study.studyId, k, roundShardRunId(study.studyId, round, k));
      if (m?.status !== 'completed') unfinished.push(k);
    }
    const jobs =
      unfinished.length > 0
        ? await submitRound(deps.slurm, studyDir, round, unfinished)
        : { arrayJobId: null, decideJobId: await deps.slurm.sbatch(decideScript(studyDir), [], [String(round)]) };
    submission = { submittedAt, indices: unfinished, round, mergeJobId: null, ...jobs };
  }
  study.submissions.push(submission);
  await writeStudy(deps.contracts, studyDir, study);
  return { studyDir, study, indices: submission.indices };
}
