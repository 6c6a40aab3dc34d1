import type { ExperimentSpec } from '../contracts/index.js';

export type { ExperimentSpec };

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
