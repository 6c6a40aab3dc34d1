import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { Contracts, SchemaId, readSchemaFiles, packageRoot } from './index.js';

describe('contracts', () => {
  it('registers every schema with draft 2020-12, an $id and closed objects', () => {
    const files = readSchemaFiles();
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const { file, schema, id } of files) {
      expect(schema.$schema, file).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(id, file).toBe(`https://greenrt.dev/schemas/${file}`);
      expect(schema.additionalProperties, file).toBe(false);
    }
    const contracts = new Contracts();
    for (const id of Object.values(SchemaId)) expect(() => contracts.validator(id)).not.toThrow();
  });

  it('closes every object of every schema (additionalProperties false or a value schema), but the open ones listed with why', () => {
    // Open on purpose: facts of other tools whose keys vary by version or runtime.
    const open = new Set([
      'run-manifest.schema.json#/$defs/imageRecord/properties/description/properties/cuda', // cuda_check.py adds runtime-specific facts
      'run-manifest.schema.json#/properties/host/properties/docker', // Docker daemon info as the engine reports it
      'run-manifest.schema.json#/properties/host/properties/gpus/items', // GPU facts as NVML / nvidia-smi report them
    ]);
    const unclosed: string[] = [];
    const walk = (node: unknown, file: string, path: string): void => {
      if (Array.isArray(node)) {
        for (const [i, n] of node.entries()) walk(n, file, `${path}/${i}`);
        return;
      }
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      const isObject = n.type === 'object' || (Array.isArray(n.type) && n.type.includes('object'));
      if (isObject && n.additionalProperties === undefined && !open.has(`${file}#${path}`)) unclosed.push(`${file}#${path}`);
      for (const [k, v] of Object.entries(n)) walk(v, file, `${path}/${k}`);
    };
    for (const { file, schema } of readSchemaFiles()) walk(schema, file, '');
    expect(unclosed).toEqual([]);
  });

  it('reports unknown keys and missing fields as path: message', () => {
    const contracts = new Contracts();
    const problems = contracts.check(SchemaId.trialSpec, { schemaVersion: 1, trialId: 'x', bogus: 1 });
    const paths = problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toContain('/bogus: unknown key');
    expect(paths).toContain('/runtime: is required');
  });

  it('generated TS types match the schemas (no drift)', () => {
    // Fails when a schema changed without `npm run gen:types`.
    expect(() => execFileSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { cwd: packageRoot, stdio: 'pipe' })).not.toThrow();
  });
});
