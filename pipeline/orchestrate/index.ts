/**
 * orchestrate: the run loop (`runExperiment`: plan, images, models, idle baseline, trials in the
 * seeded order with cool-down gates and host-side power recording, atomic results, resume,
 * interruption), trial-result assembly (`buildTrialResult`), host facts, and the ports it needs
 * (`MeasurementPort`, `FrameworkExecutor`).
 */
export * from './run-experiment.js';
export * from './trial-result.js';
export * from './ports.js';
export * from './host-info.js';
export * from './finish-run.js';
export * from './framework-executor.js';
export * from './merge-check.js';
export * from './merge-runs.js';
export { checkNamedClaims } from './named-claims.js';
