import { runtimeNames } from '../catalogue/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contracts } from '../contracts/index.js';
import { ExitCode, InputError, sha256Hex, type InputProblem } from '../core/index.js';
import { claimsFileOf, defaultClaimsFile, loadExperiment, maxDocumentBytes } from './index.js';
import { tempDir } from '../testing/temp-dir.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const contracts = new Contracts();
const tinySha = 'b92e60ba795611e2e05457aeb5eacffa5eb832a31f07aaf79c2e39aae6a25721';

/** Loads `file` expecting an InputError; returns its problems. */
async function problemsOf(file: string): Promise<InputProblem[]> {
  const error = await loadExperiment(file, contracts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${file} should be rejected`).toBeInstanceOf(InputError);
  const inputError = error as InputError;
  expect(inputError.code).toBe('E_INPUT');
  expect(inputError.exitCode).toBe(ExitCode.badInput);
  return inputError.problems;
}

/** Expected problem: exact path and line, words that must appear in "message. hint". */
type Expected = [path: string, line: number, ...words: string[]];

const corpus: Record<string, Expected[]> = {
  'empty.yaml': [['', 1, 'file is empty']],
  'only-comments.yaml': [['', 1, 'file is empty']],
  'syntax-error.yaml': [['/models', 6, 'YAML syntax error', 'Flow sequence']],
  'multiple-documents.yaml': [['', 3, 'a second YAML document starts here (a `---` line): the file must hold one document', 'Remove the `---` line']],
  'tab-indented.yaml': [
    ['', 4, 'this line is indented with a tab: YAML indents with spaces only', 'Replace the tab with spaces'],
    ['', 5, 'indented with a tab'],
    ['', 6, 'indented with a tab'],
  ],
  'merge-key.yaml': [
    ['/common', 3, 'unknown key "common"'],
    ['/runtimes/0/providers', 7, 'missing required key "providers"'],
    ['/runtimes/0/<<', 8, '"<<" (a YAML merge key) is not supported: greenrt reads YAML 1.2, which has no merge keys', 'Write the keys out'],
  ],
  'not-a-mapping.yaml': [['', 1, 'document must be a mapping', 'got a list']],
  'not-utf8.yaml': [['', 3, 'not valid UTF-8', 'iconv']],
  'alias-bomb.yaml': [['', 1, 'too many YAML aliases', 'Write the values out']],
  'duplicate-keys.yaml': [
    ['/runtimes/0/name', 6, 'duplicate key "name"'],
    ['/repetitions', 12, 'duplicate key "repetitions"'],
  ],
  'unknown-keys.yaml': [
    ['/runtimes/0/providers', 4, 'missing required key "providers"'],
    ['/runtimes/0/provider', 5, 'unknown key "provider"', 'Did you mean "providers"?'],
    ['/batchsize', 7, 'unknown key "batchsize"', 'Did you mean "batchSizes"?'],
    ['/power/colldown', 14, 'unknown key "colldown"', 'Did you mean "cooldown"?'],
  ],
  'unknown-names.yaml': [
    ['/runtimes/0/providers/1', 5, 'unknown execution provider "tensorrtt"; must be one of "cpu", "cuda", "tensorrt"', 'Did you mean "tensorrt"?'],
    ['/runtimes/0/sources/0', 6, 'unknown source framework "pytorh"', '"pytorch", "tensorflow", "mxnet"'],
    [
      '/runtimes/1/name',
      7,
      'unknown runtime "onnxruntim"',
      `must be one of ${runtimeNames.map((n) => JSON.stringify(n)).join(', ')}`,
      'Did you mean "onnxruntime"?',
    ],
    ['/models/0', 9, 'unknown model "resnet5"', '"mobilenet_v2", "bert_base_uncased"'],
    ['/power/sources/1', 15, 'unknown power source "rapll"', '"nvidia-smi"'],
  ],
  'wrong-types.yaml': [
    ['/schemaVersion', 1, '"schemaVersion" must be 1, got 2'],
    ['/name', 2, '"name" must match', '"My Experiment"'],
    ['/seed', 3, '"seed" must be >= 0, got -1'],
    ['/order', 4, 'unknown order "random"', '"shuffled", "sequential"'],
    ['/runtimes/0/providers', 7, '"providers" must be a list, got "cpu"', 'e.g. [cpu]'],
    ['/batchSizes', 9, '"batchSizes" must be a list, got 8'],
    ['/repetitions', 10, '"repetitions" must be an integer, got "three"'],
    ['/warmupIterations', 11, 'must be an integer, got 1.5'],
    ['/threads', 13, 'must be an integer or null, got "four"'],
    ['/power/required', 15, 'must be true or false, got "yes"', 'YAML 1.2 reads "yes" as text'],
  ],
  'missing-fields.yaml': [
    ['/models', 1, 'missing required key "models"', 'Models to measure'],
    ['/batchSizes', 1, 'missing required key "batchSizes"'],
    ['/repetitions', 1, 'missing required key "repetitions"'],
    ['/warmupIterations', 1, 'missing required key "warmupIterations"'],
    ['/measuredIterations', 1, 'missing required key "measuredIterations"'],
    ['/runtimes/0/providers', 4, 'missing required key "providers"'],
  ],
  'bad-numbers.yaml': [
    ['/models/1', 6, '"resnet50" is listed twice', 'items 0 and 1'],
    ['/batchSizes/0', 7, 'batch size must be >= 1, got 0'],
    ['/batchSizes/1', 7, 'batch size must be >= 1, got -4'],
    ['/repetitions', 8, '"repetitions" must be >= 1, got -2'],
    ['/measuredIterations', 10, 'must be >= 1, got 0'],
    ['/trialTimeoutS', 11, 'must be > 0, got 0'],
  ],
  'impossible-combinations.yaml': [
    ['/runtimes/0/providers/1', 5, 'runtime "pytorch" only supports providers "cpu", "cuda", not "tensorrt"'],
    ['/runtimes/1/providers/1', 7, 'runtime "embedded" only supports provider "cpu", not "cuda"'],
    ['/runtimes/2/sources', 9, 'runtime "onnxruntime" needs "sources"', 'sources: [pytorch'],
    ['/runtimes/3/sources', 13, '"sources" is not allowed on framework runtime "tensorflow"'],
    ['/runtimes/4/name', 14, 'duplicate runtime "pytorch"', '/runtimes/0', 'Merge'],
    ['/power/cooldown/minS', 23, 'minS (90 s) is longer than maxS (60 s)'],
  ],
  'prebuilt-problems.yaml': [
    ['/prebuiltModels/0/path', 15, '"../../../package.json" leads outside the experiment\'s folder'],
    ['/prebuiltModels/1/path', 19, '"models/missing.onnx" does not exist'],
    ['/prebuiltModels/2/sha256', 24, `has sha256 ${tinySha}`, 'not the expected 0000', 'sha256sum models/tiny.onnx'],
    ['/prebuiltModels/3/path', 27, '"/etc/hostname" leads outside'],
    ['/prebuiltModels/4', 29, 'bert_base_uncased from pytorch is not run by any ONNX runtime'],
    ['/prebuiltModels/5', 33, 'second prebuilt model for mobilenet_v2 from pytorch', '/prebuiltModels/2'],
    ['/prebuiltModels/5/sha256', 36, '"sha256" must be a string, got 1234', 'Quote the value'],
  ],
  'many-problems.yaml': [
    ['/runtimes/0/providers/1', 6, 'runtime "tensorflow" only supports providers "cpu", "cuda", not "tensorrt"', 'through an "onnxruntime" entry'],
    ['/runtimes/1/providers/1', 8, 'unknown execution provider "gpu"', 'Did you mean "cuda"?'],
    ['/batchSizes/0', 11, 'batch size must be >= 1, got 0'],
    ['/repetitions', 13, 'duplicate key "repetitions"'],
    ['/seeed', 16, 'unknown key "seeed"', 'Did you mean "seed"?'],
    ['/prebuiltModels/0/path', 20, '"models/absent.onnx" does not exist'],
  ],
};

describe('loadExperiment: bad experiment corpus (pipeline/config/fixtures)', () => {
  for (const [name, expected] of Object.entries(corpus)) {
    it(`reports every problem of ${name}`, async () => {
      const problems = await problemsOf(join(fixtures, name));
      expect(problems.map((p) => [p.path, p.line])).toEqual(expected.map(([path, line]) => [path, line]));
      problems.forEach((p, i) => {
        const text = `${p.message}. ${p.hint ?? ''}`;
        for (const word of expected[i]!.slice(2) as string[]) expect(text, `${name} problem ${i}`).toContain(word);
        expect(p.file).toBe(relative(process.cwd(), join(fixtures, name)));
      });
    });
  }

  it('formats the error as file:line path: message. hint', async () => {
    const error = await loadExperiment(join(fixtures, 'unknown-names.yaml'), contracts).catch((e: InputError) => e);
    const lines = (error as InputError).message.split('\n');
    expect(lines[0]).toMatch(/^Experiment .*unknown-names\.yaml is not valid \(5 problems\):$/);
    expect(lines[1]).toBe(
      `  - ${relative(process.cwd(), join(fixtures, 'unknown-names.yaml'))}:5 /runtimes/0/providers/1: unknown execution provider "tensorrtt"; must be one of "cpu", "cuda", "tensorrt". Did you mean "tensorrt"?`,
    );
  });
});

describe('loadExperiment: a valid experiment', () => {
  it('returns the absolute file, its sha256, the folder and the spec with defaults', async () => {
    const file = join(fixtures, 'good.yaml');
    const loaded = await loadExperiment(relative(process.cwd(), file), contracts);
    expect(loaded.file).toBe(file);
    expect(loaded.baseDir).toBe(fixtures.replace(/\/$/, ''));
    expect(loaded.sha256).toBe(sha256Hex(await readFile(file)));
    expect(loaded.spec.seed).toBe(7);
    expect(loaded.spec.order).toBe('shuffled');
    expect(loaded.spec.threads).toBeNull();
    expect(loaded.spec.trialTimeoutS).toBe(1800);
    expect(loaded.spec.power.cooldown).toEqual({ minS: 0, maxS: 60, powerTolerance: 0.1, temperatureToleranceC: 5 });
    expect(loaded.spec.prebuiltModels[0]?.sha256).toBe(tinySha);
  });
});

describe('loadExperiment: file-system cases', () => {
  let dir: string;
  const minimal = (extra = '') =>
    `schemaVersion: 1\nname: tmp\nruntimes:\n  - name: onnxruntime\n    providers: [cpu]\n    sources: [pytorch]\n` +
    `models: [resnet50]\nbatchSizes: [1]\nrepetitions: 1\nwarmupIterations: 1\nmeasuredIterations: 2\n${extra}`;
  const prebuilt = (path: string) => `prebuiltModels:\n  - model: resnet50\n    source: pytorch\n    path: ${path}\n    sha256: ${tinySha}\n`;

  beforeAll(async () => {
    dir = tempDir('greenrt-config-');
    await mkdir(join(dir, 'exp/models'), { recursive: true });
    await mkdir(join(dir, 'exp/data'), { recursive: true });
    const bytes = await readFile(join(fixtures, 'models/tiny.onnx'));
    await writeFile(join(dir, 'outside.onnx'), bytes);
    await writeFile(join(dir, 'exp/data/real.onnx'), bytes);
    await symlink(join(dir, 'outside.onnx'), join(dir, 'exp/models/escape.onnx'));
    await symlink('../data/real.onnx', join(dir, 'exp/models/inner.onnx'));
  });

  it('rejects a symbolic link that leads outside the experiment folder', async () => {
    await writeFile(join(dir, 'exp/escape.yaml'), minimal(prebuilt('models/escape.onnx')));
    const problems = await problemsOf(join(dir, 'exp/escape.yaml'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: '/prebuiltModels/0/path', line: 15 });
    expect(problems[0]!.message).toContain('through a symbolic link');
  });

  it('accepts a symbolic link that stays inside, and a good sha256', async () => {
    await writeFile(join(dir, 'exp/inner.yaml'), minimal(prebuilt('models/inner.onnx')));
    const loaded = await loadExperiment(join(dir, 'exp/inner.yaml'), contracts);
    expect(loaded.spec.prebuiltModels).toHaveLength(1);
  });

  it('rejects a prebuilt path that is a folder', async () => {
    await writeFile(join(dir, 'exp/folder.yaml'), minimal(prebuilt('data')));
    const problems = await problemsOf(join(dir, 'exp/folder.yaml'));
    expect(problems.map((p) => p.message)).toEqual(['prebuilt model path "data" is not a file']);
  });

  it('refuses a file over 1 MiB without parsing it', async () => {
    const file = join(dir, 'huge.yaml');
    await writeFile(file, minimal(`description: "${'x'.repeat(maxDocumentBytes)}"\n`));
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^file is \d+ bytes, more than the 1048576 bytes/);
  });

  it('accepts a few aliases (sharing a provider list)', async () => {
    const file = join(dir, 'exp/aliases.yaml');
    const text =
      'schemaVersion: 1\nname: aliases\nruntimes:\n  - name: pytorch\n    providers: &p [cpu, cuda]\n' +
      '  - name: tensorflow\n    providers: *p\n  - name: mxnet\n    providers: *p\n' +
      'models: [resnet50]\nbatchSizes: [1]\nrepetitions: 1\nwarmupIterations: 1\nmeasuredIterations: 2\n';
    await writeFile(file, text);
    const loaded = await loadExperiment(file, contracts);
    expect(loaded.spec.runtimes.map((r) => r.providers)).toEqual([
      ['cpu', 'cuda'],
      ['cpu', 'cuda'],
      ['cpu', 'cuda'],
    ]);
  });

  it('names a missing experiment file and a folder given as one', async () => {
    const missing = await problemsOf(join(dir, 'nope.yaml'));
    expect(missing.map((p) => p.message)).toEqual(['experiment file does not exist']);
    const folder = await problemsOf(join(dir, 'exp'));
    expect(folder[0]!.message).toContain('experiment file is a folder, not a regular file');
  });
});

describe('loadExperiment: the claims file an experiment names', () => {
  let dir: string;
  const minimal = (claims: string) =>
    'schemaVersion: 1\nname: tmp\nruntimes:\n  - name: pytorch\n    providers: [cpu]\n' +
    `models: [resnet50]\nbatchSizes: [1]\nrepetitions: 1\nwarmupIterations: 1\nmeasuredIterations: 2\nclaims: ${claims}\n`;

  beforeAll(async () => {
    dir = tempDir('greenrt-claims-path-');
    await mkdir(join(dir, 'exp/claims'), { recursive: true });
    await writeFile(join(dir, 'exp/claims/lab.claims.yaml'), 'schemaVersion: 1\nclaims: []\n');
    await writeFile(join(dir, 'outside.claims.yaml'), 'schemaVersion: 1\nclaims: []\n');
    await symlink(join(dir, 'outside.claims.yaml'), join(dir, 'exp/escape.claims.yaml'));
    await mkdir(join(dir, 'exp/folder.claims.yaml'));
  });

  it('keeps a claims path relative to the experiment file, resolved by claimsFileOf; none means the paper claims, null none', async () => {
    const file = join(dir, 'exp/named.yaml');
    await writeFile(file, minimal('claims/lab.claims.yaml'));
    const loaded = await loadExperiment(file, contracts);
    expect(loaded.spec.claims).toBe('claims/lab.claims.yaml');
    expect(claimsFileOf(loaded.file, loaded.spec.claims)).toBe(join(dir, 'exp/claims/lab.claims.yaml'));
    await writeFile(file, minimal('null'));
    expect(claimsFileOf(file, (await loadExperiment(file, contracts)).spec.claims)).toBeNull();
    expect(claimsFileOf(file, undefined)).toBe(defaultClaimsFile);
  });

  it('names the experiment file, the line and the path of a claims file that does not exist (exit code 2)', async () => {
    const file = join(dir, 'exp/missing.yaml');
    await writeFile(file, minimal('claims/absent.claims.yaml'));
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file, path: '/claims', line: 11, message: 'claims file "claims/absent.claims.yaml" does not exist' });
    expect(problems[0]!.hint).toContain(`relative to the experiment's folder ${join(dir, 'exp')}`);
  });

  it('an oversized or unreadable named claims file: exit 2 at the line of claims: (it had no line)', async () => {
    await writeFile(join(dir, 'exp/claims/big.claims.yaml'), Buffer.alloc(maxDocumentBytes + 10, 0x20));
    const big = join(dir, 'exp/big.yaml');
    await writeFile(big, minimal('claims/big.claims.yaml'));
    expect((await problemsOf(big))[0]).toMatchObject({
      path: '/claims',
      line: 11,
      message: `claims file "claims/big.claims.yaml" is ${maxDocumentBytes + 10} bytes, more than the ${maxDocumentBytes} bytes allowed`,
    });
    await writeFile(join(dir, 'exp/claims/locked.claims.yaml'), 'schemaVersion: 1\nclaims: []\n', { mode: 0o000 });
    const locked = join(dir, 'exp/locked.yaml');
    await writeFile(locked, minimal('claims/locked.claims.yaml'));
    // As root the mode does not stop the read; the oversized case above holds either way.
    if (process.getuid?.() !== 0)
      expect((await problemsOf(locked))[0]).toMatchObject({
        path: '/claims',
        line: 11,
        message: 'claims file "claims/locked.claims.yaml" cannot be read (EACCES)',
      });
  });

  it('refuses a path out of the folder, a symbolic link leading out of it, a folder, and a name not ending in .claims.yaml', async () => {
    const cases: [claims: string, message: string][] = [
      ['../outside.claims.yaml', 'in or below it, ending in .claims.yaml'],
      ['/etc/paper.claims.yaml', 'in or below it, ending in .claims.yaml'],
      ['claims/lab.yaml', 'in or below it, ending in .claims.yaml'],
      ['escape.claims.yaml', 'through a symbolic link'],
      ['folder.claims.yaml', 'is not a file'],
    ];
    for (const [claims, message] of cases) {
      const file = join(dir, 'exp/bad.yaml');
      await writeFile(file, minimal(claims));
      const problems = await problemsOf(file);
      expect(
        problems.map((p) => [p.path, p.line]),
        claims,
      ).toEqual([['/claims', 11]]);
      expect(`${problems[0]!.message}. ${problems[0]!.hint ?? ''}`, claims).toContain(message);
    }
  });
});

describe('gpu.devices: one whole GPU per trial', () => {
  const base = [
    'schemaVersion: 1',
    'name: one-gpu',
    'runtimes:',
    '  - { name: pytorch, providers: [cuda] }',
    'models: [resnet50]',
    'batchSizes: [1]',
    'repetitions: 1',
    'warmupIterations: 1',
    'measuredIterations: 1',
  ];
  it.each([
    ['two GPUs', 'gpu: { devices: [0, 1] }', 'lists 2 items, more than the 1 allowed', 'a second GPU would only add its idle power'],
    ['a MIG device', "gpu: { devices: ['MIG-4f1a7c52-3f2b-5c3a-9d1e-0123456789ab'] }", 'GPU-', 'MIG devices cannot be measured'],
  ])('refuses %s with exit 2 and the reason', async (_label, line, ...words) => {
    const file = join(tempDir('greenrt-gpu-devices-'), 'exp.yaml');
    await writeFile(file, [...base, line, ''].join('\n'));
    const problems = await problemsOf(file);
    const text = problems.map((p) => `${p.path}: ${p.message}. ${p.hint ?? ''}`).join('\n');
    expect(problems[0]!.path).toMatch(/^\/gpu\/devices/);
    for (const w of words) expect(text.toLowerCase()).toContain(w.toLowerCase());
  });

  it('leaves gpu.devices unset when the experiment names none (the allocation or the first GPU decides at run time)', async () => {
    const file = join(tempDir('greenrt-gpu-devices-'), 'exp.yaml');
    await writeFile(file, [...base, ''].join('\n'));
    expect((await loadExperiment(file, contracts)).spec.gpu.devices).toBeUndefined();
  });
});
