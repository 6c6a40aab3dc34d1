/**
 * `greenrt ae pack` and `greenrt ae load` through the real CLI on a real run (embedded runtime, a few seconds, no
 * Docker): the pack's files, its SHA256SUMS and record, the hashes it prints; then the refusals: a damaged run
 * (exit 4, no pack left), a non-empty --out (exit 2); a pack with a changed, missing or extra file, a link out of
 * the folder or a named pipe (exit 4, nothing loaded), a malformed SHA256SUMS (exit 2); and model placement.
 * The Docker path (images, a second engine without network) is pipeline/e2e/ae-pack.docker.test.ts.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, SchemaId, type AeArtifactFile } from '../contracts/index.js';
import { sha256Hex } from '../core/index.js';
import { formatSums, parseSums } from '../ae/index.js';
import { ensureCliBuilt, runCli, runDirIn, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();

/** Rewrites SHA256SUMS to match the folder (what someone assembling a pack by hand would do). */
function resum(pack: string): void {
  const sums = parseSums(readFileSync(join(pack, 'SHA256SUMS'), 'utf8'), 'SHA256SUMS');
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(pack, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${name.name}` : name.name;
      if (name.isDirectory()) walk(path);
      else if (path !== 'SHA256SUMS') files.set(path, sha256Hex(readFileSync(join(pack, path))));
    }
  };
  walk('');
  expect(files.size).toBeGreaterThanOrEqual(sums.size - 1);
  writeFileSync(join(pack, 'SHA256SUMS'), formatSums(files));
}

describe('greenrt ae pack / ae load (embedded run, no Docker)', () => {
  let root = '';
  let run = '';
  let pack = '';
  let n = 0;
  const copy = () => {
    const dir = join(root, `pack-copy-${n++}`);
    cpSync(pack, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-e2e-aepack-');
    const experiment = writeExperiment(join(root, 'exp'), { name: 'aepack', batchSizes: [1, 2], repetitions: 3, extra: 'claims: aepack.claims.yaml' });
    writeFileSync(
      join(root, 'exp', 'aepack.claims.yaml'),
      [
        'schemaVersion: 1',
        'study: greenrt ae pack test',
        'claims:',
        '  - id: batch-of-two-within-bounds',
        '    scope: extension',
        '    text: A batch of 2 takes between 0.2 and 10 times as long as a batch of 1 (a wide band, to exercise the claim path).',
        '    source: test',
        '    test: ratio',
        '    ratioRange: [0.2, 10]',
        '    a: { batchSize: [2] }',
        '    b: { batchSize: [1] }',
        '    where: { runtime: [embedded], source: [pytorch], model: [resnet50], provider: [cpu] }',
        '    match: [runtime, source, model, provider]',
        '    metrics: [latencyMs]',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'artifacts')]);
    expect(r.code, r.stderr).toBe(0);
    run = runDirIn(join(root, 'artifacts'))!;
    pack = join(root, 'pack');
    const p = await runCli(['ae', 'pack', run, '--out', pack]);
    expect(p.code, p.stdout + p.stderr).toBe(0);
    expect(p.stdout).toMatch(/SHA256SUMS {2}sha256:[0-9a-f]{64}/);
  }, 180_000);

  it('writes the runs, experiment and claims files, source, ARTIFACT.md, artifact.json, CITATION.cff, .zenodo.json and SHA256SUMS (sha256sum -c agrees)', async () => {
    const top = readdirSync(pack).sort();
    expect(top).toEqual(['.zenodo.json', 'ARTIFACT.md', 'CITATION.cff', 'SHA256SUMS', 'artifact.json', 'experiments', 'runs', 'source.tar']);
    const record = contracts.assert<AeArtifactFile>(SchemaId.aeArtifact, JSON.parse(readFileSync(join(pack, 'artifact.json'), 'utf8')), 'artifact.json');
    const manifestSha = sha256Hex(readFileSync(join(run, 'manifest.json')));
    expect(record.runs).toHaveLength(1);
    expect(record.runs[0]).toMatchObject({
      manifestSha256: manifestSha,
      experiment: 'experiments/aepack.yaml',
      claimsFile: 'experiments/aepack.claims.yaml',
      trials: 6,
    });
    expect(record.runs[0]!.claims).toEqual([expect.objectContaining({ id: 'batch-of-two-within-bounds', verdict: 'reproduced' })]);
    expect(record.experimentFiles).toEqual(['experiments/aepack.claims.yaml', 'experiments/aepack.yaml', 'experiments/models/tiny-conv.onnx']);
    expect(record.source.method).toBe('git-archive');
    expect(record.images).toEqual([]);
    // The same check sha256sum -c makes, with the system's own tool.
    expect(execFileSync('sha256sum', ['--check', '--strict', '--quiet', 'SHA256SUMS'], { cwd: pack, encoding: 'utf8' })).toBe('');
    const md = readFileSync(join(pack, 'ARTIFACT.md'), 'utf8');
    for (const words of [
      '## Getting started (about 30 minutes)',
      '## Reference hardware',
      '## What is exact and what is not',
      manifestSha,
      'batch-of-two-within-bounds',
    ])
      expect(md).toContain(words);
    const zenodo = JSON.parse(readFileSync(join(pack, '.zenodo.json'), 'utf8')) as { license: string; description: string };
    expect(zenodo.license).toBe('MIT');
    expect(zenodo.description).toContain(manifestSha);
    // The packed run is itself a verified reference.
    const v = await runCli(['verify', join(pack, record.runs[0]!.folder)]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it('ae load checks every sum and says so (a pack without images needs no Docker); evaluate against the packed reference agrees', async () => {
    const l = await runCli(['ae', 'load', pack, '--artifacts', join(root, 'load-artifacts')]);
    expect(l.code, l.stdout + l.stderr).toBe(0);
    expect(l.stdout).toContain('every file matches SHA256SUMS');
    const e = await runCli(['ae', 'evaluate', run, '--reference', join(pack, 'runs', readdirSync(join(pack, 'runs'))[0]!), '--out', join(root, 'evaluation')]);
    expect(e.code, e.stdout + e.stderr).toBe(0);
    expect(e.stdout).toMatch(/agrees\s+E batch-of-two-within-bounds/);
  });

  it('refuses a damaged run (exit 4) and a non-empty --out (exit 2), leaving nothing behind', async () => {
    const damaged = join(root, 'damaged-run');
    cpSync(run, damaged, { recursive: true });
    const trial = readdirSync(join(damaged, 'trials'))[0]!;
    writeFileSync(join(damaged, 'trials', trial), readFileSync(join(damaged, 'trials', trial), 'utf8').replace('"latenciesMs": [', '"latenciesMs": [0.001, '));
    const out = join(root, 'pack-of-damaged');
    const r = await runCli(['ae', 'pack', damaged, '--out', out]);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stderr).toContain('is not intact');
    expect(r.stderr).toContain('greenrt verify');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('.partial-'))).toEqual([]);
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'x');
    const b = await runCli(['ae', 'pack', run, '--out', busy]);
    expect(b.code, b.stdout + b.stderr).toBe(2);
    expect(b.stderr).toContain('is not empty');
    expect(readdirSync(busy)).toEqual(['keep.txt']);
  });

  const refusals: [string, (dir: string) => void, number, string][] = [
    ['a changed file', (d) => writeFileSync(join(d, 'ARTIFACT.md'), 'changed'), 4, 'ARTIFACT.md: SHA-256'],
    ['a missing file', (d) => rmSync(join(d, 'source.tar')), 4, 'source.tar: missing'],
    ['an extra file', (d) => writeFileSync(join(d, 'runs', 'extra.txt'), 'x'), 4, 'runs/extra.txt: not listed in SHA256SUMS'],
    [
      'a link out of the folder in place of a file',
      (d) => {
        const outside = join(root, 'outside.md');
        writeFileSync(outside, readFileSync(join(d, 'ARTIFACT.md')));
        rmSync(join(d, 'ARTIFACT.md'));
        symlinkSync(outside, join(d, 'ARTIFACT.md'));
      },
      4,
      'is a symbolic link',
    ],
    [
      'a named pipe in place of a file',
      (d) => {
        rmSync(join(d, 'CITATION.cff'));
        execFileSync('mkfifo', [join(d, 'CITATION.cff')]);
      },
      4,
      'is a named pipe',
    ],
    ['a malformed SHA256SUMS', (d) => writeFileSync(join(d, 'SHA256SUMS'), 'not a sum line\n'), 2, 'line 1'],
    ['a SHA256SUMS path leaving the pack', (d) => writeFileSync(join(d, 'SHA256SUMS'), `${'0'.repeat(64)}  ../outside.md\n`), 2, 'not a path inside the pack'],
    ['no SHA256SUMS', (d) => rmSync(join(d, 'SHA256SUMS')), 2, 'is not an artifact pack'],
  ];
  for (const [name, damage, code, words] of refusals) {
    it(`ae load refuses ${name} (exit ${code}) and loads nothing`, async () => {
      const dir = copy();
      damage(dir);
      const artifacts = join(root, `refused-${n}`);
      const r = await runCli(['ae', 'load', dir, '--artifacts', artifacts], { timeoutMs: 30_000 });
      expect(r.code, r.stdout + r.stderr).toBe(code);
      expect(r.stderr).toContain(words);
      expect(existsSync(artifacts)).toBe(false);
    });
  }

  it('ae load copies prepared models to <artifacts>/models (atomically) and leaves an intact copy as it is', async () => {
    const dir = copy();
    const record = JSON.parse(readFileSync(join(dir, 'artifact.json'), 'utf8')) as AeArtifactFile;
    const name = 'onnxruntime-resnet50-random-0123456789ab';
    mkdirSync(join(dir, 'models', name), { recursive: true });
    writeFileSync(join(dir, 'models', name, 'prepared.json'), '{"stand-in": true}\n');
    writeFileSync(join(dir, 'models', name, 'model.onnx'), 'onnx bytes');
    record.models = [{ folder: `models/${name}`, model: 'resnet50', source: 'pytorch', sha256: sha256Hex('onnx bytes'), bytes: 28 }];
    writeFileSync(join(dir, 'artifact.json'), JSON.stringify(record, null, 2));
    resum(dir);
    const artifacts = join(root, 'model-artifacts');
    const first = await runCli(['ae', 'load', dir, '--artifacts', artifacts]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`model models/${name}  copied`);
    expect(readFileSync(join(artifacts, 'models', name, 'model.onnx'), 'utf8')).toBe('onnx bytes');
    expect(readdirSync(join(artifacts, 'models'))).toEqual([name]);
    const again = await runCli(['ae', 'load', dir, '--artifacts', artifacts]);
    expect(again.stdout).toContain(`model models/${name}  present`);
  });
});
