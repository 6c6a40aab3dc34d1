import type { Experiment, Power, PrebuiltModel } from '../contracts/index.js';

type Defaulted = 'seed' | 'order' | 'weights' | 'runner' | 'threads' | 'sequenceLength' | 'trialTimeoutS' | 'memoryLimitMiB';

/** An Experiment after schema validation: every field with a schema default is present. */
export type ExperimentSpec = Omit<Experiment, Defaulted | 'prebuiltModels' | 'power'> &
  Required<Pick<Experiment, Defaulted>> & {
    prebuiltModels: PrebuiltModel[];
    power: Required<Omit<Power, 'cooldown'>> & { cooldown: Required<NonNullable<Power['cooldown']>> };
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
