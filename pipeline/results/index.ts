/**
 * results: atomic writes (`writeFileAtomic`), the run folder (`RunStore`: manifest, trials, traces,
 * validated on write; `open` for resume), and run ids (`makeRunId`).
 * `verifyRunFolder(dir, contracts)`: the read-only check of a run folder (schemas, plan, recorded SHA-256s,
 * progress) behind `greenrt verify`, `report`, `compare` and `run --resume`.
 * `writeJsonFile` / `readJsonFile`: JSON files outside run folders (Slurm study, host-shard entries, caches, specs),
 * checked against their schema on write (atomic) and on read (problems name file, JSON path and fix).
 */
export * from './atomic-write.js';
export * from './run-store.js';
export * from './verify-run.js';
export * from './refuse-damaged-run.js';
export * from './run-files.js';
export * from './json-file.js';
