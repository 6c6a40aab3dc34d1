import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Contracts, SchemaId } from '../contracts/index.js';
import { parseClaimsYaml } from './claims-file.js';
import { claimConfigurations, expandSelector } from './claim-selection.js';

// The study's experiment and claims files must stay valid as the schemas and the claim format evolve.
const root = new URL('../../experiments/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');

suite('experiments/paper.yaml', () => {
  it('validates against the experiment schema and holds the full matrix', () => {
    const data = parse(read('paper.yaml')) as Record<string, unknown>;
    expect(new Contracts().check(SchemaId.experiment, data)).toEqual([]);
    expect(data).toMatchObject({
      weights: 'pretrained',
      models: ['resnet50', 'mobilenet_v2', 'bert_base_uncased'],
      batchSizes: [1, 64],
      power: { sources: ['nvml', 'rapl'] },
      // Adaptive repetitions (docs/METHODOLOGY.md explains 6, 20 and +/-2 %).
      repetitions: { min: 6, max: 20, precision: { metric: 'energyPerInference', relativeHalfWidth: 0.02 } },
    });
    expect(data.runtimes).toContainEqual({ name: 'onnxruntime', providers: ['cuda', 'tensorrt'], sources: ['pytorch', 'tensorflow', 'mxnet'] });
  });
});

suite('experiments/paper.claims.yaml', () => {
  it('parses: the 8 findings, each with its test, scope and paper version', () => {
    const set = parseClaimsYaml(read('paper.claims.yaml'), 'experiments/paper.claims.yaml');
    expect(set.claims.map((c) => [c.finding, c.test, c.scope, c.paperVersions.join('+') || 'secondary'])).toEqual([
      [1, 'less', 'reproduction', 'v1+v2'],
      [2, 'indistinguishable', 'reproduction', 'v1+v2'],
      [3, 'less', 'reproduction', 'v1+v2'],
      [3, 'less', 'extension', 'v1+v2'],
      [4, 'less', 'reproduction', 'v1+v2'],
      [5, 'less', 'reproduction', 'v1+v2'],
      [5, 'less', 'extension', 'v1+v2'],
      [6, 'ratio', 'reproduction', 'v1'],
      [6, 'ratio', 'extension', 'v1'],
      [7, 'less', 'reproduction', 'v2'],
      [7, 'less', 'extension', 'v2'],
      [8, 'correlation', 'reproduction', 'secondary'],
    ]);
    const corr = set.claims[11]!;
    expect(corr.test === 'correlation' && [corr.x, corr.y, corr.within]).toEqual(['runTimeS', 'runNetEnergyJ', ['batchSize']]);
    expect(expandSelector(corr.where)).toHaveLength(54);
    expect(claimConfigurations(corr.where, {}, corr.exclude)).toHaveLength(46);
  });

  it('keeps what the study reportedly could not run out of the reproduction claims', () => {
    const set = parseClaimsYaml(read('paper.claims.yaml'), 'experiments/paper.claims.yaml');
    const leaks = set.claims
      .filter((c) => c.scope === 'reproduction')
      .flatMap((c) => {
        const keys =
          c.test === 'correlation'
            ? claimConfigurations(c.where, {}, c.exclude)
            : [...claimConfigurations(c.where, c.a, c.exclude), ...claimConfigurations(c.where, c.b, c.exclude)];
        // ONNX BERT exported from TensorFlow or MXNet (tier C: rejected by ONNX Runtime in the study).
        return keys.filter((k) => k.runtime === 'onnxruntime' && k.model === 'bert_base_uncased' && k.source !== 'pytorch').map((k) => `${c.id}: ${k.source}`);
      });
    expect(leaks).toEqual([]);
    // Claim 1 is checked on its stated mechanism, each check with its own sub-verdict.
    const c1 = set.claims[0]!;
    expect(c1.test !== 'correlation' && c1.checks.map((k) => [k.metric, k.role])).toEqual([
      ['latencyMs', 'secondary'],
      ['cpuNetEnergyPerInferenceJ', 'mechanism'],
      ['gpuNetEnergyPerInferenceJ', 'mechanism'],
      ['gpuUtilizationPercent', 'mechanism'],
    ]);
  });
});

suite('experiments/ae/paper-fixed.yaml', () => {
  it('is paper.yaml with a fixed count (10 repetitions) and its own name, nothing else changed', () => {
    const paper = parse(read('paper.yaml')) as Record<string, unknown>;
    const fixed = parse(read('ae/paper-fixed.yaml')) as Record<string, unknown>;
    expect(new Contracts().check(SchemaId.experiment, structuredClone(fixed))).toEqual([]);
    expect(fixed).toEqual({ ...paper, name: 'paper-fixed', repetitions: 10 });
  });
});

suite('LICENSE and CITATION.cff', () => {
  it('agree with package.json (MIT, version)', () => {
    const top = new URL('../../', import.meta.url);
    const pkg = JSON.parse(readFileSync(new URL('package.json', top), 'utf8')) as { license: string; version: string };
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(new URL('LICENSE', top), 'utf8').split('\n')[0]).toBe('MIT License');
    const cff = parse(readFileSync(new URL('CITATION.cff', top), 'utf8')) as Record<string, unknown>;
    expect(cff).toMatchObject({ 'cff-version': '1.2.0', license: pkg.license, version: pkg.version, type: 'software' });
  });
});
