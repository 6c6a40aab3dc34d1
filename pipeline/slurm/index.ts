/**
 * slurm: studies sharded over a Slurm job array (the scheduler runs the shards; greenrt writes the scripts).
 * - `renderShardScript` / `renderMergeScript` (pure): the array over shards K = 0..N-1 (exclusive nodes unless
 *   sharedHost, optional --partition/--gres/--time; a shard with a manifest resumes) and the merge-and-report job.
 * - `SlurmClient`: sbatch, scontrol ping, states from squeue, scontrol and sacct (when accounting is on).
 * - `submitStudy`, `resubmitStudy` (unfinished shards only), `studyStatus`, `waitForStudy` (poll interval ms).
 * Study folder: slurm/{shard,merge}.sbatch, slurm/study.json (schemas/slurm-study.schema.json), slurm/logs/,
 * shards/<studyId>-shard-K/, <studyId>-merged/.
 */
export * from './sbatch-scripts.js';
export * from './slurm-client.js';
export * from './submit-study.js';
export * from './study-status.js';
