import { bashScript, sbatchDirective, type ScriptFragment, type ScriptValue, shellQuote, verbatim } from '../core/index.js';
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

/** Single-quoted for bash (the one quoting rule, pipeline/core/shell-script.ts). */
export { shellQuote } from '../core/index.js';

/**
 * The `#SBATCH` lines of one job script: `name` appended to the job name, `output` greenrt's own log-file pattern
 * in slurm/logs/, `shard` for jobs that run trials (exclusive node unless sharedHost, the gres), `array` the
 * array range. Every value from input goes through `sbatchDirective` (refused when Slurm would not read it literally).
 */
export function jobDirectives(l: StudyLayout, o: SlurmOptions, job: { name: string; output: string; shard: boolean; array?: string }): ScriptFragment {
  const lines = [
    sbatchDirective('--job-name', `greenrt-${l.studyId}${job.name}`),
    ...(job.array ? [sbatchDirective('--array', job.array)] : []),
    verbatim('#SBATCH --nodes=1'),
    verbatim('#SBATCH --ntasks=1'),
    ...(job.shard && !o.sharedHost ? [verbatim('#SBATCH --exclusive')] : []),
    sbatchDirective('--output', `${l.studyDir}/slurm/logs/`, job.output),
    ...(o.partition ? [sbatchDirective('--partition', o.partition)] : []),
    ...(job.shard && o.gres ? [sbatchDirective('--gres', o.gres)] : []),
    ...(o.time ? [sbatchDirective('--time', o.time)] : []),
  ];
  return verbatim(lines.map((d) => d.text).join('\n'));
}

/** `--images <dir>` for a shard's run, when the study saved its images (else nothing). */
export const imagesArgs = (l: StudyLayout): ScriptValue => (l.imagesDir ? [verbatim('--images'), l.imagesDir] : []);

/**
 * The job array over the shards: task K runs shard K/N in its own run folder, or resumes it when the
 * folder has a manifest (a resubmitted failed or cancelled shard redoes no finished trial). Exit 4 (some
 * trials failed) counts as done: failed trials are data, and the merged report lists them.
 * Every value is written through `bashScript`/`sbatchDirective`: quoted, or refused (ScriptValueError).
 */
export function renderShardScript(l: StudyLayout, o: SlurmOptions): string {
  const greenrt = [l.nodeBin, l.greenrtBin];
  return bashScript`#!/bin/bash
# greenrt study ${l.studyId}: shard K of ${l.shards} (partition by ${l.partition}), K = SLURM_ARRAY_TASK_ID.
# Written by \`greenrt slurm submit\`; kept here for the record. Resubmit failed shards with
# \`greenrt slurm resubmit ${l.studyDir}\` (they resume without redoing finished trials).
${jobDirectives(l, o, { name: '', output: 'shard-%a-job-%A.out', shard: true, array: `0-${l.shards - 1}` })}
set -uo pipefail
k="\${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"
shards=${`${l.studyDir}/shards`}
run="$shards"/${l.studyId}"-shard-$k"
cd ${l.workDir} || exit 1
echo "greenrt shard $k/"${l.shards}" on $(hostname) (job \${SLURM_JOB_ID:-?}, GPUs \${CUDA_VISIBLE_DEVICES:-none})"
if [ -f "$run/manifest.json" ]; then
  ${greenrt} run --resume "$run" ${imagesArgs(l)}
else
  # A folder without a manifest was left by a shard stopped before it wrote anything: start afresh.
  [ -d "$run" ] && rm -r -- "$run"
  ${greenrt} run ${l.experimentFile} --shard "$k/"${l.shards} --shard-by ${l.partition} --artifacts "$shards" --run-id ${l.studyId}"-shard-$k" --yes${verbatim(o.sharedHost ? ' --shared-host' : '')} ${imagesArgs(l)}
fi
rc=$?
if [ "$rc" -eq 4 ]; then echo "shard $k finished; some trials failed (see the report)"; exit 0; fi
exit "$rc"
`;
}

/** The merge-and-report job, submitted with --dependency=afterok on the array. */
export function renderMergeScript(l: StudyLayout, o: SlurmOptions): string {
  const shardDirs = Array.from({ length: l.shards }, (_, k) => `${l.studyDir}/shards/${shardRunId(l.studyId, k)}`);
  return bashScript`#!/bin/bash
# greenrt study ${l.studyId}: merge the ${l.shards} shards and write the report (runs after every shard succeeded).
${jobDirectives(l, o, { name: '-merge', output: 'merge-job-%j.out', shard: false })}
set -uo pipefail
cd ${l.workDir} || exit 1
${[l.nodeBin, l.greenrtBin]} merge \\
  ${verbatim(shardDirs.map(shellQuote).join(' \\\n  '))} \\
  --out ${`${l.studyDir}/${mergedRunId(l.studyId)}`}
rc=$?
if [ "$rc" -eq 4 ]; then exit 0; fi
exit "$rc"
`;
}
