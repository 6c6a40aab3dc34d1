import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Contracts, SchemaId } from '../contracts/index.js';
import { parseClaimsYaml } from './claims-file.js';
import { expandSelector } from './claim-selection.js';

// The study's experiment and claims files must stay valid as the schemas and the claim format evolve.
const root = new URL('../../experiments/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');

suite('experiments/paper.yaml', () => {
  it('validates against the experiment schema and holds the full matrix', () => {
    const data = parse(read('paper.yaml')) as Record<string, unknown>;
    expect(new Contracts().check(SchemaId.experiment, data)).toEqual([]);
    expect(data).toMatchObject({
      weights: 'pretrained', models: ['resnet50', 'mobilenet_v2', 'bert_base_uncased'], batchSizes: [1, 64],
      power: { sources: ['nvml', 'rapl'] },
      // Adaptive repetitions (docs/METHODOLOGY.md explains 6, 20 and +/-2 %).
      repetitions: { min: 6, max: 20, precision: { metric: 'energyPerInference', relativeHalfWidth: 0.02 } },
    });
    expect(data.runtimes).toContainEqual({ name: 'onnxruntime', providers: ['cuda', 'tensorrt'], sources: ['pytorch', 'tensorflow', 'mxnet'] });
  });
});

suite('experiments/paper.claims.yaml', () => {
  it('parses: the 8 findings, each with its test', () => {
    const set = parseClaimsYaml(read('paper.claims.yaml'), 'experiments/paper.claims.yaml');
    expect(set.claims.map((c) => [c.finding, c.test])).toEqual([
      [1, 'less'], [2, 'indistinguishable'], [3, 'less'], [4, 'less'], [5, 'less'], [6, 'ratio'], [7, 'less'], [8, 'correlation'],
    ]);
    const corr = set.claims[7]!;
    expect(expandSelector(corr.where)).toHaveLength(54);
  });
});
