/**
 * runners/embedded: onnxruntime-node inside the orchestrator (CPU provider). `EmbeddedRunner.runTrial`
 * returns a TrialOutput (latencies in ms, phases in CLOCK_MONOTONIC ns) like the Python entrypoint does.
 */
export * from './embedded-runner.js';
export * from './seeded-inputs.js';
