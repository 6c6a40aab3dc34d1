import type { CooldownDefaultedKey, Experiment, ExperimentDefaultedKey, Gpu, GpuDefaultedKey, Power, PowerDefaultedKey, RunManifest } from './types.gen.js';

/** `T` with the keys `K` present (ajv's useDefaults fills them in from the schema's `default`). */
type WithDefaults<T, K extends keyof T> = Omit<T, K> & Required<Pick<T, K>>;

/**
 * An Experiment after schema validation: every field with a schema default is present. The key lists
 * are generated from the schema's `default` keywords (scripts/gen-types.mjs), never copied by hand.
 */
export type ExperimentSpec = WithDefaults<Omit<Experiment, 'power' | 'gpu'>, Exclude<ExperimentDefaultedKey, 'power' | 'gpu'>> & {
  power: WithDefaults<Omit<Power, 'cooldown'>, Exclude<PowerDefaultedKey, 'cooldown'>> & {
    cooldown: WithDefaults<NonNullable<Power['cooldown']>, CooldownDefaultedKey>;
  };
  gpu: WithDefaults<Gpu, GpuDefaultedKey>;
};

/**
 * A run manifest as schema validation leaves it: `experiment.spec` refers to experiment.schema.json, so
 * validating the manifest applied the experiment's defaults too (what `verifyRunFolder` hands on).
 */
export type ValidatedManifest = RunManifest & { experiment: { spec: ExperimentSpec } };
