import { bashScript } from '../core/index.js';
import { imagesArgs, jobDirectives, mergedRunId, type SlurmOptions, type StudyLayout } from './sbatch-scripts.js';

/** Run folder of shard K in round R of a rotation study. */
export const roundShardRunId = (studyId: string, round: number | string, k: number | string) => `${studyId}-round-${round}-shard-${k}`;

/**
 * A round's job array (adaptive study): `sbatch --array=<shards with trials> round-shard.sbatch R`. Task K runs
 * its trials of round R in its own run folder (`greenrt slurm shard` reads the round from the decision file), or
 * resumes the folder once it has a manifest. Exit 4 (some trials failed) counts as done: failed trials are data.
 * Every value goes through `bashScript`/`jobDirectives` (quoted, or refused: ScriptValueError).
 */
export function renderRoundShardScript(l: StudyLayout, o: SlurmOptions): string {
  const greenrt = [l.nodeBin, l.greenrtBin];
  // The study's saved images: a resumed shard loads what its node lacks (`slurm shard` reads them from study.json).
  return bashScript`#!/bin/bash
# greenrt adaptive study ${l.studyId}: round R (the first argument), shard K of ${l.shards}, K = SLURM_ARRAY_TASK_ID.
# Written by \`greenrt slurm submit\`; submitted by it (round 1) and by each decide job (later rounds).
${jobDirectives(l, o, { name: '-round', output: 'round-shard-%a-job-%A.out', shard: true })}
set -uo pipefail
round="\${1:?give the round number}"
k="\${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"
case "$round$k" in *[!0-9]*) echo "round and shard must be numbers" >&2; exit 2;; esac
run=${`${l.studyDir}/shards/${l.studyId}-round-`}"$round-shard-$k"
cd ${l.workDir} || exit 1
echo "greenrt round $round shard $k/"${l.shards}" on $(hostname) (job \${SLURM_JOB_ID:-?}, GPUs \${CUDA_VISIBLE_DEVICES:-none})"
if [ -f "$run/manifest.json" ]; then
  ${greenrt} run --resume "$run" ${imagesArgs(l)}
else
  # A folder without a manifest was left by a shard stopped before it wrote anything: start afresh.
  [ -d "$run" ] && rm -r -- "$run"
  ${greenrt} slurm shard ${l.studyDir} --round "$round" --shard "$k"
fi
rc=$?
if [ "$rc" -eq 4 ]; then echo "round $round shard $k finished; some trials failed (see the report)"; exit 0; fi
exit "$rc"
`;
}

/**
 * The decide job after round R (`sbatch --dependency=afterok:<array> decide.sbatch R`): the adaptive rule on every
 * stored trial, the decision written to slurm/rounds/after-round-R.json, then the next round's array and decide
 * job, or the merge job. Idempotent: run again (resubmit after scancel), it re-computes and compares.
 */
export function renderDecideScript(l: StudyLayout, o: SlurmOptions): string {
  return bashScript`#!/bin/bash
# greenrt adaptive study ${l.studyId}: decide after round R (the first argument) and submit what follows.
${jobDirectives(l, o, { name: '-decide', output: 'decide-job-%j.out', shard: false })}
set -uo pipefail
round="\${1:?give the round number}"
cd ${l.workDir} || exit 1
${[l.nodeBin, l.greenrtBin]} slurm decide ${l.studyDir} --after-round "$round"
`;
}

/** The merge-and-report job of an adaptive study: every round's shard folders into <studyId>-merged. */
export function renderRoundsMergeScript(l: StudyLayout, o: SlurmOptions): string {
  return bashScript`#!/bin/bash
# greenrt adaptive study ${l.studyId}: merge every round's shard runs and write the report (submitted by the last decide job).
${jobDirectives(l, o, { name: '-merge', output: 'merge-job-%j.out', shard: false })}
set -uo pipefail
shopt -s nullglob
cd ${l.workDir} || exit 1
runs=(${`${l.studyDir}/shards/${l.studyId}-round-`}*-shard-*)
${[l.nodeBin, l.greenrtBin]} merge "\${runs[@]}" --out ${`${l.studyDir}/${mergedRunId(l.studyId)}`}
rc=$?
if [ "$rc" -eq 4 ]; then exit 0; fi
exit "$rc"
`;
}
