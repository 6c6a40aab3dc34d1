import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contracts, SlurmStudy } from '../contracts/index.js';
import { mergedRunId } from './sbatch-scripts.js';
import type { SlurmClient, TaskState } from './slurm-client.js';
import { readShardManifest, readStudy } from './submit-study.js';

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
}

/** Each shard's Slurm state (latest submission) and progress (its manifest), and the merge job's. */
export async function studyStatus(deps: { contracts: Contracts; slurm: SlurmClient }, dir: string): Promise<StudyStatus> {
  const { studyDir, study } = await readStudy(deps.contracts, dir);
  const ids = study.submissions.flatMap((s) => [s.arrayJobId, s.mergeJobId]).filter((x): x is string => x !== null);
  const states = await deps.slurm.states(ids);
  const find = (jobId: string | null, index: number | null): TaskState | undefined =>
    jobId === null
      ? undefined
      : (states.find((s) => s.jobId === jobId && s.index === index) ??
        (index !== null ? states.find((s) => s.jobId === jobId && s.index === null) : undefined));
  const shards: ShardStatus[] = [];
  for (let k = 0; k < study.shards; k++) {
    const sub = [...study.submissions].reverse().find((s) => s.indices.includes(k));
    const st = find(sub?.arrayJobId ?? null, k);
    const m = await readShardManifest(deps.contracts, studyDir, study.studyId, k);
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
  return {
    studyDir,
    study,
    shards,
    merge: { job: lastMerge, state: ms?.state ?? (lastMerge ? 'unknown' : 'not submitted'), reason: ms?.reason ?? null },
    mergedDir,
    merged,
    settled: active.length === 0,
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
    const key = JSON.stringify([s.shards.map((x) => [x.state, x.done]), s.merge.state]);
    if (key !== lastKey) opts.onChange?.(s);
    lastKey = key;
    if (s.settled) return s;
    opts.signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
  }
}
