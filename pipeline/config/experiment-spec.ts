import type { CooldownDefaultedKey, Experiment, ExperimentDefaultedKey, Gpu, GpuDefaultedKey, Power, PowerDefaultedKey } from '../contracts/index.js';

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

export interface LoadedExperiment {
  /** Absolute path of the experiment file. */
  file: string;
  /** SHA-256 (hex) of the file's bytes: recorded in the run manifest. */
  sha256: string;
  /** The validated experiment, schema defaults applied. */
  spec: ExperimentSpec;
  /** Absolute folder of the experiment file: relative paths inside it (prebuiltModels) start here. */
  baseDir: string;
}
