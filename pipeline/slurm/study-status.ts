import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contracts, SlurmStudy } from '../contracts/index.js';
import { mergedRunId } from './sbatch-scripts.js';
import type { SlurmClient, TaskState } from './slurm-client.js';
import { readShardManifest, readStudy } from './submit-study.js';
import { configurationOf } from '../plan/index.js';
import { estimateRoundsLeft } from './round-decision.js';
import { roundShardRunId } from './round-scripts.js';
import { currentRound, readDecision, studyPlan } from './rounds-study.js';

export interface ShardStatus {
  index: number;
  /** Slurm job of the latest submission that ran this shard, e.g. "123_1". */
  job: string | null;
  /** Slurm's state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...) or "unknown" once Slurm forgot it. */
  state: string;
  reason: string | null;
  /** From the shard's manifest: its status and trials done / total; null before it started. */
  runStatus: string | null;
  done: number;
  total: number;
}

export interface StudyStatus {
  studyDir: string;
  study: SlurmStudy;
  shards: ShardStatus[];
  merge: { job: string | null; state: string; reason: string | null };
  mergedDir: string;
  merged: boolean;
  /** Every job of the study has left the queue. */
  settled: boolean;
  /** Adaptive studies (rotation): the current round, its decide job, the configurations still open, rounds left. */
  rounds?: RoundsStatus;
  /** Some job of the study was ever submitted (false for a study written with --dry-run and not resubmitted). */
  submitted: boolean;
}

export interface RoundsStatus {
  /** The latest submitted round (1-based). */
  round: number;
  decide: { job: string | null; state: string; reason: string | null };
  /** Configurations that run in the current round (none once the last decision stopped every one). */
  open: string[];
  /** Rounds still to run, the current one included (estimateRoundsLeft); null before the first decision. */
  estimatedRoundsLeft: number | null;
  /** Most rounds the rule allows (max - min + 1). */
  maxRounds: number;
}

/** Each shard's Slurm state (latest submission) and progress (its manifest), and the merge job's. */
export async function studyStatus(deps: { contracts: Contracts; slurm: SlurmClient }, dir: string): Promise<StudyStatus> {
  const { studyDir, study } = await readStudy(deps.contracts, dir);
  const ids = study.submissions.flatMap((s) => [s.arrayJobId, s.mergeJobId, s.decideJobId ?? null]).filter((x): x is string => x !== null);
  const states = await deps.slurm.states(ids);
  const find = (jobId: string | null, index: number | null): TaskState | undefined =>
    jobId === null
      ? undefined
      : (states.find((s) => s.jobId === jobId && s.index === index) ??
        (index !== null ? states.find((s) => s.jobId === jobId && s.index === null) : undefined));
  const shards: ShardStatus[] = [];
  const rotation = study.partition === 'rotation' ? await roundsOf(deps.contracts, studyDir, study) : null;
  for (const k of rotation ? rotation.indices : [...Array(study.shards).keys()]) {
    const sub = [...study.submissions].reverse().find((s) => s.indices.includes(k) && (!rotation || s.round === rotation.round));
    const st = find(sub?.arrayJobId ?? null, k);
    const m = await readShardManifest(deps.contracts, studyDir, study.studyId, k, rotation ? roundShardRunId(study.studyId, rotation.round, k) : undefined);
    const total = m?.progress.total ?? 0;
    shards.push({
      index: k,
      job: sub?.arrayJobId ? `${sub.arrayJobId}_${k}` : null,
      state: st?.state ?? (sub?.arrayJobId ? 'unknown' : 'not submitted'),
      reason: st?.reason ?? null,
      runStatus: m?.status ?? null,
      done: m ? total - m.progress.pending : 0,
      total,
    });
  }
  const lastMerge = [...study.submissions].reverse().find((s) => s.mergeJobId !== null)?.mergeJobId ?? null;
  const ms = find(lastMerge, null);
  const mergedDir = join(studyDir, mergedRunId(study.studyId));
  const merged = await stat(join(mergedDir, 'manifest.json')).then(
    () => true,
    () => false,
  );
  const active = ids.length ? await deps.slurm.active(ids) : [];
  // A decide job submits the next round, records it in study.json and then leaves the queue: read study.json again
  // after asking Slurm, so a study is never settled between one round and the next.
  const again = await readStudy(deps.contracts, dir);
  const submittedMore = again.study.submissions.length !== study.submissions.length;
  let rounds: RoundsStatus | undefined;
  if (rotation) {
    const decideJob = [...study.submissions].reverse().find((s) => s.round === rotation.round && s.decideJobId)?.decideJobId ?? null;
    const ds = find(decideJob, null);
    rounds = {
      round: rotation.round,
      decide: { job: decideJob, state: ds?.state ?? (decideJob ? 'unknown' : 'not submitted'), reason: ds?.reason ?? null },
      open: rotation.open,
      estimatedRoundsLeft: rotation.estimatedRoundsLeft,
      maxRounds: rotation.maxRounds,
    };
  }
  return {
    ...(rounds ? { rounds } : {}),
    studyDir,
    study,
    shards,
    merge: { job: lastMerge, state: ms?.state ?? (lastMerge ? 'unknown' : 'not submitted'), reason: ms?.reason ?? null },
    mergedDir,
    merged,
    settled: active.length === 0 && !submittedMore,
    submitted: ids.length > 0,
  };
}

/** Polls until every job of the study has left the queue; `onChange` gets each new status. */
export async function waitForStudy(
  deps: { contracts: Contracts; slurm: SlurmClient },
  dir: string,
  opts: { intervalMs?: number; onChange?: (s: StudyStatus) => void; signal?: AbortSignal } = {},
): Promise<StudyStatus> {
  let lastKey = '';
  for (;;) {
    const s = await studyStatus(deps, dir);
    const key = JSON.stringify([s.rounds?.round, s.rounds?.decide.state, s.shards.map((x) => [x.state, x.done]), s.merge.state]);
    if (key !== lastKey) opts.onChange?.(s);
    lastKey = key;
    if (s.settled) return s;
    opts.signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
}

/** The current round of a rotation study, its shards, open configurations and the estimate of rounds left. */
async function roundsOf(contracts: Contracts, studyDir: string, study: SlurmStudy) {
  const plan = await studyPlan(contracts, studyDir, study);
  const rule = plan.adaptive!;
  const cur = await currentRound(contracts, studyDir, study, plan);
  const after = await readDecision(contracts, studyDir, cur.round);
  const before = cur.round > 1 ? await readDecision(contracts, studyDir, cur.round - 1) : null;
  const stopped = after !== null && after.nextRound === null;
  return {
    ...cur,
    open: stopped ? [] : [...new Set(cur.trialIds.map(configurationOf))].sort(),
    estimatedRoundsLeft: stopped ? 0 : after ? estimateRoundsLeft(rule, after.configurations) : before ? estimateRoundsLeft(rule, before.configurations) : null,
    maxRounds: rule.max - rule.min + 1,
  };
}
