import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ContractError, sha256Hex, canonicalJson } from '../core/index.js';
import { readSchemaFiles } from './schema-files.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Schema ids by short name (the file name without `.schema.json`). */
export const SchemaId = {
  experiment: 'https://greenrt.dev/schemas/experiment.schema.json',
  claims: 'https://greenrt.dev/schemas/claims.schema.json',
  trialSpec: 'https://greenrt.dev/schemas/trial-spec.schema.json',
  trialOutput: 'https://greenrt.dev/schemas/trial-output.schema.json',
  trialResult: 'https://greenrt.dev/schemas/trial-result.schema.json',
  powerTrace: 'https://greenrt.dev/schemas/power-trace.schema.json',
  runManifest: 'https://greenrt.dev/schemas/run-manifest.schema.json',
  runSummary: 'https://greenrt.dev/schemas/run-summary.schema.json',
  gpuCheck: 'https://greenrt.dev/schemas/gpu-check.schema.json',
  prepareSpec: 'https://greenrt.dev/schemas/prepare-spec.schema.json',
  preparedModel: 'https://greenrt.dev/schemas/prepared-model.schema.json',
  slurmStudy: 'https://greenrt.dev/schemas/slurm-study.schema.json',
  slurmRoundDecision: 'https://greenrt.dev/schemas/slurm-round-decision.schema.json',
  catalogue: 'https://greenrt.dev/schemas/catalogue.schema.json',
  harnessDescription: 'https://greenrt.dev/schemas/harness-description.schema.json',
  imageLock: 'https://greenrt.dev/schemas/image-lock.schema.json',
  imageDescriptionCache: 'https://greenrt.dev/schemas/image-description-cache.schema.json',
  hostShard: 'https://greenrt.dev/schemas/host-shard.schema.json',
  imageArchive: 'https://greenrt.dev/schemas/image-archive.schema.json',
  vendoredInputs: 'https://greenrt.dev/schemas/vendored-inputs.schema.json',
  aeEvaluation: 'https://greenrt.dev/schemas/ae-evaluation.schema.json',
  aeArtifact: 'https://greenrt.dev/schemas/ae-artifact.schema.json',
} as const;
export type SchemaIdValue = (typeof SchemaId)[keyof typeof SchemaId];

/** The one ajv instance: every schema registered once, validators compiled lazily. */
export class Contracts {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** sha256 (first 16 hex) of each schema's canonical JSON, by $id: recorded in manifests. */
  readonly versions: Record<string, string> = {};

  constructor(schemasDir?: string) {
    this.ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const { id, schema } of readSchemaFiles(schemasDir)) {
      this.ajv.addSchema(schema);
      this.versions[id] = sha256Hex(canonicalJson(schema)).slice(0, 16);
    }
  }

  validator(id: string): ValidateFunction {
    let v = this.compiled.get(id);
    if (!v) {
      v = this.ajv.getSchema(id);
      if (!v) throw new Error(`No schema registered with $id ${id}`);
      this.compiled.set(id, v);
    }
    return v;
  }

  /** Problems as `path: message` (empty when valid). Applies schema defaults in place. */
  check(id: string, data: unknown): { path: string; message: string; keyword: string; params: Record<string, unknown> }[] {
    const v = this.validator(id);
    if (v(data)) return [];
    return (v.errors ?? []).map(describeAjvError);
  }

  /** Throws ContractError naming `where` (a file or a stream), each JSON path and `hint` (the fix) unless `data` matches. */
  assert<T>(id: string, data: unknown, where: string, hint?: string): T {
    const problems = this.check(id, data);
    if (problems.length > 0) {
      throw new ContractError(
        id,
        where,
        problems.map((p) => `${p.path || '/'}: ${p.message}`),
        hint === undefined ? {} : { hint },
      );
    }
    return data as T;
  }
}

function describeAjvError(e: ErrorObject): { path: string; message: string; keyword: string; params: Record<string, unknown> } {
  let path = e.instancePath;
  let message = e.message ?? 'is invalid';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    path = `${path}/${String(params.additionalProperty)}`;
    message = 'unknown key';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (e.keyword === 'required') {
    path = `${path}/${String(params.missingProperty)}`;
    message = 'is required';
  }
  return { path, message, keyword: e.keyword, params };
}
