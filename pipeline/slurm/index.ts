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
/**
 * Adaptive studies round by round (partition 'rotation'): `renderRoundShardScript` / `renderDecideScript` /
 * `renderRoundsMergeScript`; `decideStudyRound` (pure: the one-node rule on the stored trials, the next round split
 * by rotation), `decisionRecord`, `estimateRoundsLeft`; `decideStudy` (the decide job), `roundShardRequest` (what a
 * round's shard runs), `readDecision`, `roundShardFolders`. Study folder: slurm/{round-shard,decide,merge}.sbatch,
 * slurm/rounds/after-round-R.json (schemas/slurm-round-decision.schema.json), shards/<studyId>-round-R-shard-K/.
 */
export * from './round-scripts.js';
export * from './round-decision.js';
export * from './rounds-study.js';
