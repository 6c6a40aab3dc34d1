import type { ExperimentSpec } from '../config/index.js';
import { Contracts, SchemaId, type Experiment, type Gpu, type Power } from '../contracts/index.js';

const contracts = new Contracts();

/** An experiment as loadExperiment hands it on: validated, with the schema's defaults applied (never re-typed). */
export function withSchemaDefaults(experiment: Experiment): ExperimentSpec {
  return contracts.assert<ExperimentSpec>(SchemaId.experiment, structuredClone(experiment), 'test experiment');
}

/** Power settings as validated: `power` of a minimal experiment, the schema's defaults filling the rest. */
export function powerSettings(power: Power): ExperimentSpec['power'] {
  return minimalExperiment({ power }).power;
}

/** GPU settings as validated: `gpu` of a minimal experiment, the schema's defaults filling the rest. */
export function gpuSettings(gpu: Gpu): ExperimentSpec['gpu'] {
  return minimalExperiment({ gpu }).gpu;
}

function minimalExperiment(parts: Pick<Experiment, 'power' | 'gpu'>): ExperimentSpec {
  return withSchemaDefaults({
    schemaVersion: 1,
    name: 'settings',
    runtimes: [{ name: 'embedded', providers: ['cpu'], sources: ['pytorch'] }],
    models: ['resnet50'],
    batchSizes: [1],
    repetitions: 1,
    warmupIterations: 1,
    measuredIterations: 1,
    ...parts,
  });
}
