import { type Contracts, type PrepareSpec, SchemaId, type TrialSpec } from '../contracts/index.js';
import { writeJsonFile } from '../results/index.js';

/**
 * Writes the spec file the harness reads (`python3 -m greenrt_harness run|prepare <spec>`): checked against
 * schemas/trial-spec.schema.json or schemas/prepare-spec.schema.json first (the harness checks it again against
 * the same schema, copied into every image), then written atomically, readable by the image's user (0644).
 * A spec that fails is a bug in greenrt: ContractError naming the file and each JSON path, nothing written.
 */
export async function writeHarnessSpec(
  contracts: Contracts,
  file: string,
  spec: { kind: 'trial'; spec: TrialSpec } | { kind: 'prepare'; spec: PrepareSpec },
): Promise<void> {
  await writeJsonFile(contracts, spec.kind === 'trial' ? SchemaId.trialSpec : SchemaId.prepareSpec, file, spec.spec);
}
