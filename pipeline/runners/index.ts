/**
 * runners: the `TrialRunner` interface (runner.ts) and its three implementations:
 * `docker` (one hardened container per trial), `process` (the same entrypoint as a local process),
 * `embedded` (onnxruntime-node in-process). Failures come back as data (`failure`), never thrown.
 */
export * from './runner.js';
export * from './trial-outcome.js';
export * from './docker/index.js';
export * from './process/index.js';
export * from './embedded/index.js';
