import { describe as suite, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runtimeNames } from '../catalogue/index.js';
import { ExitCode, InputError } from '../core/index.js';
import { parseClaims, parseClaimsYaml } from './claims-file.js';

const good = `schemaVersion: 1
study: test
claims:
  - id: a-less-b
    text: A is faster
    source: here
    scope: reproduction
    test: less
    a: { runtime: [mxnet] }
    b: { runtime: [pytorch] }
    where: { provider: [cuda], model: [resnet50], batchSize: [1, 64] }
    match: [model, batchSize]
    metrics: [latencyMs]
`;

/** The problems of a file that must fail, as `file:line path: message`, plus the error itself. */
function problemsOf(run: () => unknown): { lines: string[]; error: InputError } {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const error = e as InputError;
    return { lines: error.problems.map((p) => `${p.file}:${p.line ?? '-'} ${p.path}: ${p.message}${p.hint ? ` [${p.hint}]` : ''}`), error };
  }
  throw new Error('should have thrown');
}

suite('parseClaimsYaml', () => {
  it('fills defaults from the schema (once) and from the file', () => {
    const [c] = parseClaimsYaml(good, 'c.yaml').claims;
    expect(c).toMatchObject({
      test: 'less',
      alpha: 0.05,
      minEffect: 'small',
      quantifier: 'all',
      minTrials: 3,
      finding: null,
      scope: 'reproduction',
      paperVersions: [],
      exclude: [],
      checks: [],
    });
    expect(c!.test === 'less' && c!.a).toEqual({ runtime: ['mxnet'] });
    const tuned = parseClaimsYaml(good.replace('study: test', 'study: test\ndefaults: { alpha: 0.01, minTrials: 5 }'), 'c.yaml').claims[0]!;
    expect(tuned).toMatchObject({ alpha: 0.01, minTrials: 5, minEffect: 'small' });
  });

  it('collects every schema problem with file, line, path and a fix, as an exit-code-2 InputError', () => {
    const bad = good
      .replace('runtime: [mxnet]', 'runtime: [caffe]')
      .replace('metrics: [latencyMs]', 'metrics: [joules]')
      .replace('    source: here\n', '    source: here\n    colour: green\n')
      .replace('runtime: [pytorch]', 'runtime: pytorch')
      .replace('    scope: reproduction\n', '');
    const { lines, error } = problemsOf(() => parseClaimsYaml(bad, 'c.yaml'));
    expect(error.exitCode).toBe(ExitCode.badInput);
    expect(error.exitCode).toBe(2);
    expect(lines).toEqual([
      'c.yaml:4 /claims/0/scope: missing required key "scope" [Add "scope". reproduction: the study stated it for these configurations; extension: greenrt asks more than the study did (configurations it did not or could not run).]',
      'c.yaml:7 /claims/0/colour: unknown key "colour" [Allowed keys here: id, finding, text, source, scope, paperVersions, test, where, a, b, match, metrics, checks, quantifier, alpha, minEffect, maxRelativeDifference, ratioRange, minTrials, exclude, x, y, minRho, minConfigurations, within.]',
      `c.yaml:9 /claims/0/a/runtime/0: unknown runtime "caffe"; must be one of ${runtimeNames.map((r) => JSON.stringify(r)).join(', ')}`,
      'c.yaml:10 /claims/0/b/runtime: "runtime" must be a list, got "pytorch" [Write a list, e.g. [pytorch].]',
      'c.yaml:13 /claims/0/metrics/0: unknown metric "joules"; must be one of "latencyMs", "energyPerInferenceJ", "netEnergyPerInferenceJ", "cpuNetEnergyPerInferenceJ", "gpuNetEnergyPerInferenceJ", "gpuUtilizationPercent", "runTimeS", "runNetEnergyJ"',
    ]);
  });

  it('names a close spelling of a runtime and a missing key of the test', () => {
    const bad = good.replace('runtime: [mxnet]', 'runtime: [mxnett]').replace('test: less', 'test: ratio');
    const { lines } = problemsOf(() => parseClaimsYaml(bad, 'c.yaml'));
    expect(lines).toEqual([
      expect.stringMatching(/^c\.yaml:4 \/claims\/0\/ratioRange: missing required key "ratioRange" \[Add "ratioRange"\. ratio: accepted range/),
      expect.stringMatching(/^c\.yaml:9 \/claims\/0\/a\/runtime\/0: unknown runtime "mxnett"; .* \[Did you mean "mxnet"\?\]$/),
    ]);
    const corr = good.replace('test: less', 'test: correlation');
    expect(problemsOf(() => parseClaimsYaml(corr, 'c.yaml')).lines).toEqual([
      expect.stringMatching(/^c\.yaml:4 \/claims\/0\/x: missing required key "x"/),
      expect.stringMatching(/^c\.yaml:4 \/claims\/0\/y: missing required key "y"/),
    ]);
  });

  it('then checks what a schema cannot: pairings, open dimensions, ratio ranges, duplicate ids (with lines)', () => {
    const claim = good.slice(good.indexOf('  - id: a-less-b'));
    const text =
      `${good}${claim.replace('[mxnet]', '[onnxruntime]')}${claim.replace('id: a-less-b', 'id: r').replace('test: less', 'test: ratio\n    ratioRange: [1.2, 1.1]')}` +
      claim.replace('id: a-less-b', 'id: none').replace('match: [model, batchSize]', 'match: [runtime]');
    const { lines } = problemsOf(() => parseClaimsYaml(text, 'c.yaml'));
    expect(lines).toEqual([
      'c.yaml:14 /claims/1/id: duplicate id "a-less-b" (also claim 0) [Give each claim its own id.]',
      'c.yaml:19 /claims/1/a: leaves source open [Set source in a or in where.]',
      'c.yaml:29 /claims/2/ratioRange: must be [low, high] with low <= high, got [1.2, 1.1] [Swap the two values.]',
      'c.yaml:35 /claims/3: pairs no configurations [Check a, b, where, exclude and match: A and B must share the match dimensions.]',
    ]);
  });

  it('leaves out excluded configurations (a claim that excludes all its pairs pairs nothing)', () => {
    const text = good.replace('    match:', '    exclude:\n      - { runtime: [mxnet] }\n    match:');
    expect(problemsOf(() => parseClaimsYaml(text, 'c.yaml')).lines).toEqual([expect.stringMatching(/^c\.yaml:4 \/claims\/0: pairs no configurations/)]);
  });

  it('rejects unknown top-level and default keys, naming a close spelling or the allowed keys', () => {
    const text = good.replace('study: test', 'study: test\nauthor: me\ndefaults: { alpah: 0.01, minTrails: 4 }');
    expect(problemsOf(() => parseClaimsYaml(text, 'c.yaml')).lines).toEqual([
      'c.yaml:3 /author: unknown key "author" [Allowed keys here: schemaVersion, study, defaults, claims.]',
      'c.yaml:4 /defaults/alpah: unknown key "alpah" [Allowed keys here: alpha, minEffect, minTrials, quantifier, minRho, minConfigurations.]',
      'c.yaml:4 /defaults/minTrails: unknown key "minTrails" [Did you mean "minTrials"?]',
    ]);
  });

  it('reads YAML like experiment files: syntax errors and duplicate keys with a line', () => {
    expect(problemsOf(() => parseClaimsYaml('claims: [\n  - {', 'x.yaml')).lines[0]).toMatch(/^x\.yaml:\d+ .*YAML syntax error/);
    const dup = good.replace('study: test', 'study: test\nstudy: again');
    expect(problemsOf(() => parseClaimsYaml(dup, 'c.yaml')).lines[0]).toMatch(/^c\.yaml:3 \/study: duplicate key "study"/);
  });

  it('speaks of a claims file, not an experiment, when the file is empty or too deep', () => {
    expect(problemsOf(() => parseClaimsYaml('', 'e.yaml')).lines).toEqual([
      'e.yaml:1 : file is empty [Write a claims file: see experiments/paper.claims.yaml for examples.]',
    ]);
    const deep = `claims: ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(problemsOf(() => parseClaimsYaml(deep, 'd.yaml')).lines[0]).toMatch(/nest more than 32 levels deep \[A claims file nests a few levels/);
  });

  it("validates already-parsed data the same way, without touching the caller's object", () => {
    const data = parse(good) as { claims: Record<string, unknown>[] };
    data.claims.push({ ...data.claims[0]!, id: 'b', where: { model: ['resnet50'], batchSize: [1] } });
    const before = JSON.stringify(data);
    expect(problemsOf(() => parseClaims(data, 'c.json')).lines).toEqual([
      'c.json:- /claims/1/a: leaves provider open [Set provider in a or in where.]',
      'c.json:- /claims/1/b: leaves provider open [Set provider in b or in where.]',
    ]);
    expect(JSON.stringify(data)).toBe(before);
  });
});
