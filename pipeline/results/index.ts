/**
 * results: atomic writes (`writeFileAtomic`), the run folder (`RunStore`: manifest, trials, traces,
 * validated on write; `open` for resume), and run ids (`makeRunId`).
 */
export * from './atomic-write.js';
export * from './run-store.js';
