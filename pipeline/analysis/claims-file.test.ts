import { describe as suite, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runtimeNames } from '../catalogue/index.js';
import { InputError } from '../core/index.js';
import { parseClaims, parseClaimsYaml } from './claims-file.js';

suite('parseClaimsYaml', () => {
  const good = `schemaVersion: 1
study: test
claims:
  - id: a-less-b
    text: A is faster
    source: here
    test: less
    a: { runtime: mxnet }
    b: { runtime: pytorch }
    where: { provider: cuda, model: resnet50, batchSize: [1, 64] }
    match: [model, batchSize]
    metrics: [latencyMs]
`;

  it('fills defaults', () => {
    const [c] = parseClaimsYaml(good, 'c.yaml').claims;
    expect(c).toMatchObject({ test: 'less', alpha: 0.05, minEffect: 'small', quantifier: 'all', minTrials: 3, finding: null });
    expect(c!.test === 'less' && c!.a).toEqual({ runtime: ['mxnet'] });
  });

  it('collects every problem with file, line and path', () => {
    const bad = good
      .replace('runtime: mxnet', 'runtime: caffe')
      .replace('metrics: [latencyMs]', 'metrics: [joules]')
      .replace('    source: here\n', '    source: here\n    colour: green\n');
    try {
      parseClaimsYaml(bad, 'c.yaml');
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const problems = (e as InputError).problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
      expect(problems).toEqual([
        'c.yaml:7 /claims/0/colour: unknown key',
        'c.yaml:13 /claims/0/metrics/0: must be one of latencyMs, energyPerInferenceJ, netEnergyPerInferenceJ',
        `c.yaml:9 /claims/0/a/runtime: must be one of ${runtimeNames.join(', ')}`,
        'c.yaml:4 /claims/0: pairs no configurations (check a, b, where and match)',
      ]);
    }
  });

  it('rejects claims that leave a dimension open, ratio claims without a range, and duplicate ids', () => {
    const data = parse(good) as { claims: Record<string, unknown>[] };
    const c = data.claims[0]!;
    data.claims.push({ ...c, where: { model: 'resnet50', batchSize: 1 } }, { ...c, id: 'r', test: 'ratio' },
      { ...c, id: 'o', a: { runtime: 'onnxruntime' } });
    expect(() => parseClaims(data, 'c.json')).toThrow(InputError);
    try {
      parseClaims(data, 'c.json');
    } catch (e) {
      const msgs = (e as InputError).problems.map((p) => `${p.path}: ${p.message}`);
      expect(msgs).toContain('/claims/1/id: duplicate id "a-less-b"');
      expect(msgs).toContain('/claims/1/a: leaves provider open');
      expect(msgs).toContain('/claims/2/ratioRange: must be [low, high] with low <= high');
      expect(msgs).toContain('/claims/3/a: leaves source open');
    }
  });

  it('rejects unknown top-level and default keys', () => {
    const text = good.replace('study: test', 'study: test\nauthor: me\ndefaults: { alpah: 0.01 }');
    expect(() => parseClaimsYaml(text, 'c.yaml')).toThrow(/c\.yaml:3 \/author: unknown key[\s\S]*c\.yaml:4 \/defaults\/alpah: unknown key/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(() => parseClaimsYaml('claims: [\n  - {', 'x.yaml')).toThrow(/x\.yaml:\d+/);
  });
});
