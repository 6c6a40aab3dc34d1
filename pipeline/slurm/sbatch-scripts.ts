import type { ShardPartition } from '../plan/index.js';

/** Everything the job scripts need; every path absolute and on the file system all nodes share. */
export interface StudyLayout {
  studyId: string;
  /** The study folder: slurm/ (scripts, logs, jobs.json), shards/<studyId>-shard-K/, <studyId>-merged/. */
  studyDir: string;
  experimentFile: string;
  shards: number;
  partition: ShardPartition;
  /** Node.js binary and greenrt's bin/greenrt.js, as on the submitting host (same paths on every node). */
  nodeBin: string;
  greenrtBin: string;
  /** Working directory of the jobs (the checkout). */
  workDir: string;
  /** The study's saved images (`greenrt images save`): each shard loads what its node lacks (`run --images`). */
  imagesDir?: string;
}

export interface SlurmOptions {
  /** Slurm partition (sbatch --partition). */
  partition?: string;
  /** Generic resources per shard, e.g. "gpu:1" (sbatch --gres). */
  gres?: string;
  /** Time limit per shard (sbatch --time, e.g. "04:00:00"). */
  time?: string;
  /** Shards may share a node (on different GPUs): no --exclusive, and each shard runs with --shared-host. */
  sharedHost?: boolean;
}

export const shardRunId = (studyId: string, k: number | string) => `${studyId}-shard-${k}`;
export const mergedRunId = (studyId: string) => `${studyId}-merged`;

/** Single-quoted for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The job array over the shards: task K runs shard K/N in its own run folder, or resumes it when the
 * folder has a manifest (a resubmitted failed or cancelled shard redoes no finished trial). Exit 4 (some
 * trials failed) counts as done: failed trials are data, and the merged report lists them.
 */
export function renderShardScript(l: StudyLayout, o: SlurmOptions): string {
  const q = shellQuote;
  const images = l.imagesDir ? ` --images ${q(l.imagesDir)}` : '';
  const directives = [
    `--job-name=greenrt-${l.studyId}`,
    `--array=0-${l.shards - 1}`,
    '--nodes=1',
    '--ntasks=1',
    ...(o.sharedHost ? [] : ['--exclusive']),
    `--output=${l.studyDir}/slurm/logs/shard-%a-job-%A.out`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.gres ? [`--gres=${o.gres}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
  ];
  return `#!/bin/bash
# greenrt study ${l.studyId}: shard K of ${l.shards} (partition by ${l.partition}), K = SLURM_ARRAY_TASK_ID.
# Written by \`greenrt slurm submit\`; kept here for the record. Resubmit failed shards with
# \`greenrt slurm resubmit ${l.studyDir}\` (they resume without redoing finished trials).
${directives.map((d) => `#SBATCH ${d}`).join('\n')}
set -uo pipefail
k="\${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"
shards=${q(`${l.studyDir}/shards`)}
run="$shards/${l.studyId}-shard-$k"
cd ${q(l.workDir)} || exit 1
echo "greenrt shard $k/${l.shards} on $(hostname) (job \${SLURM_JOB_ID:-?}, GPUs \${CUDA_VISIBLE_DEVICES:-none})"
if [ -f "$run/manifest.json" ]; then
  ${q(l.nodeBin)} ${q(l.greenrtBin)} run --resume "$run"${images}
else
  # A folder without a manifest was left by a shard stopped before it wrote anything: start afresh.
  [ -d "$run" ] && rm -r -- "$run"
  ${q(l.nodeBin)} ${q(l.greenrtBin)} run ${q(l.experimentFile)} --shard "$k/${l.shards}" --shard-by ${l.partition} --artifacts "$shards" --run-id "${l.studyId}-shard-$k" --yes${o.sharedHost ? ' --shared-host' : ''}${images}
fi
rc=$?
if [ "$rc" -eq 4 ]; then echo "shard $k finished; some trials failed (see the report)"; exit 0; fi
exit "$rc"
`;
}

/** The merge-and-report job, submitted with --dependency=afterok on the array. */
export function renderMergeScript(l: StudyLayout, o: SlurmOptions): string {
  const q = shellQuote;
  const shardDirs = Array.from({ length: l.shards }, (_, k) => q(`${l.studyDir}/shards/${shardRunId(l.studyId, k)}`));
  const directives = [
    `--job-name=greenrt-${l.studyId}-merge`,
    '--nodes=1',
    '--ntasks=1',
    `--output=${l.studyDir}/slurm/logs/merge-job-%j.out`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
  ];
  return `#!/bin/bash
# greenrt study ${l.studyId}: merge the ${l.shards} shards and write the report (runs after every shard succeeded).
${directives.map((d) => `#SBATCH ${d}`).join('\n')}
set -uo pipefail
cd ${q(l.workDir)} || exit 1
${q(l.nodeBin)} ${q(l.greenrtBin)} merge \\
  ${shardDirs.join(' \\\n  ')} \\
  --out ${q(`${l.studyDir}/${mergedRunId(l.studyId)}`)}
rc=$?
if [ "$rc" -eq 4 ]; then exit 0; fi
exit "$rc"
`;
}
