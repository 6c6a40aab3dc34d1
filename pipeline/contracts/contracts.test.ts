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

  it('reports unknown keys and missing fields as path: message', () => {
    const contracts = new Contracts();
    const problems = contracts.check(SchemaId.trialSpec, { schemaVersion: 1, trialId: 'x', bogus: 1 });
    const paths = problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toContain('/bogus: unknown key');
    expect(paths).toContain('/runtime: is required');
  });

  it('generated TS types match the schemas (no drift)', () => {
    // Fails when a schema changed without `npm run gen:types`.
    expect(() =>
      execFileSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { cwd: packageRoot, stdio: 'pipe' }),
    ).not.toThrow();
  });
});
