import { mergedRunId, shellQuote, type SlurmOptions, type StudyLayout } from './sbatch-scripts.js';

/** Run folder of shard K in round R of a rotation study. */
export const roundShardRunId = (studyId: string, round: number | string, k: number | string) => `${studyId}-round-${round}-shard-${k}`;

function directives(l: StudyLayout, o: SlurmOptions, name: string, output: string, shard: boolean): string {
  const d = [
    `--job-name=greenrt-${l.studyId}${name}`,
    '--nodes=1',
    '--ntasks=1',
    ...(shard && !o.sharedHost ? ['--exclusive'] : []),
    `--output=${l.studyDir}/slurm/logs/${output}`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(shard && o.gres ? [`--gres=${o.gres}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
  ];
  return d.map((x) => `#SBATCH ${x}`).join('\n');
}

/**
 * A round's job array (adaptive study): `sbatch --array=<shards with trials> round-shard.sbatch R`. Task K runs
 * its trials of round R in its own run folder (`greenrt slurm shard` reads the round from the decision file), or
 * resumes the folder once it has a manifest. Exit 4 (some trials failed) counts as done: failed trials are data.
 */
export function renderRoundShardScript(l: StudyLayout, o: SlurmOptions): string {
  const q = shellQuote;
  const greenrt = `${q(l.nodeBin)} ${q(l.greenrtBin)}`;
  // The study's saved images: a resumed shard loads what its node lacks (`slurm shard` reads them from study.json).
  const images = l.imagesDir ? ` --images ${q(l.imagesDir)}` : '';
  return `#!/bin/bash
# greenrt adaptive study ${l.studyId}: round R (the first argument), shard K of ${l.shards}, K = SLURM_ARRAY_TASK_ID.
# Written by \`greenrt slurm submit\`; submitted by it (round 1) and by each decide job (later rounds).
${directives(l, o, '-round', 'round-shard-%a-job-%A.out', true)}
set -uo pipefail
round="\${1:?give the round number}"
k="\${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"
case "$round$k" in *[!0-9]*) echo "round and shard must be numbers" >&2; exit 2;; esac
run=${q(`${l.studyDir}/shards/${l.studyId}-round-`)}"$round-shard-$k"
cd ${q(l.workDir)} || exit 1
echo "greenrt round $round shard $k/${l.shards} on $(hostname) (job \${SLURM_JOB_ID:-?}, GPUs \${CUDA_VISIBLE_DEVICES:-none})"
if [ -f "$run/manifest.json" ]; then
  ${greenrt} run --resume "$run"${images}
else
  # A folder without a manifest was left by a shard stopped before it wrote anything: start afresh.
  [ -d "$run" ] && rm -r -- "$run"
  ${greenrt} slurm shard ${q(l.studyDir)} --round "$round" --shard "$k"
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
  const q = shellQuote;
  return `#!/bin/bash
# greenrt adaptive study ${l.studyId}: decide after round R (the first argument) and submit what follows.
${directives(l, o, '-decide', 'decide-job-%j.out', false)}
set -uo pipefail
round="\${1:?give the round number}"
cd ${q(l.workDir)} || exit 1
${q(l.nodeBin)} ${q(l.greenrtBin)} slurm decide ${q(l.studyDir)} --after-round "$round"
`;
}

/** The merge-and-report job of an adaptive study: every round's shard folders into <studyId>-merged. */
export function renderRoundsMergeScript(l: StudyLayout, o: SlurmOptions): string {
  const q = shellQuote;
  return `#!/bin/bash
# greenrt adaptive study ${l.studyId}: merge every round's shard runs and write the report (submitted by the last decide job).
${directives(l, o, '-merge', 'merge-job-%j.out', false)}
set -uo pipefail
shopt -s nullglob
cd ${q(l.workDir)} || exit 1
runs=(${q(`${l.studyDir}/shards/${l.studyId}-round-`)}*-shard-*)
${q(l.nodeBin)} ${q(l.greenrtBin)} merge "\${runs[@]}" --out ${q(`${l.studyDir}/${mergedRunId(l.studyId)}`)}
rc=$?
if [ "$rc" -eq 4 ]; then exit 0; fi
exit "$rc"
`;
}
