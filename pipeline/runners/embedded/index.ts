/**
 * runners/embedded: onnxruntime-node inside the orchestrator (CPU provider), a `TrialRunner` like the
 * docker and process runners (timeout included). Its TrialOutput (latencies in ms, phases in
 * CLOCK_MONOTONIC ns) is the Python entrypoint's.
 */
export * from './embedded-runner.js';
export * from './seeded-inputs.js';
export { ortLibrary, type OrtLibrary } from './load-ort.js';
