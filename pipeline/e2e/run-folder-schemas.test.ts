/**
 * Every file under a run folder is known (pipeline/results/run-files.ts) and every JSON file in it
 * validates against its schema. Two real runs on the embedded runtime (no Docker):
 * - the demo's model and runtime through the real CLI (`greenrt run`, then `report` and `verify`);
 * - an in-process run whose RAPL counters are a FAKE powercap tree (ticking counters, labelled in
 *   testing/power-fixture-powercap.ts), so that the folder also holds power traces, an idle
 *   baseline and power sources with domains: the parts of the manifest only measured runs write.
 * A JSON file without a schema mapping fails the test, so a new file has to get a schema.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunDependencies } from '../cli/dependencies.js';
import { Contracts, SchemaId, type RunManifest } from '../contracts/index.js';
import { ContractError, type GreenrtError, sha256Hex, silentProgress, systemClock } from '../core/index.js';
import { runExperiment } from '../orchestrate/index.js';
import { PowerMeasurement } from '../power/index.js';
import { RunStore, runFileKind, runFileSchema, verifyRunFolder } from '../results/index.js';
import { createPowercapFixture } from '../testing/power-fixture-powercap.js';
import { demoModel, ensureCliBuilt, filesUnder, readJson, runCli, runDirIn, tinyConv, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();
let root: string;
let cliRun: string;
let measuredRun: string;
const powercap = createPowercapFixture(
  [
    { id: 'intel-rapl:0', name: 'package-0', energyUj: 1_000_000, powerW: 30 },
    { id: 'intel-rapl:0:0', name: 'core', energyUj: 1_000_000, powerW: 20 },
  ],
  { clock: systemClock },
);

/** Every problem with a run folder's files: unknown files, JSON without a schema, JSON that does not validate. */
function schemaProblems(runDir: string): string[] {
  const problems: string[] = [];
  for (const rel of filesUnder(runDir)) {
    const kind = runFileKind(rel);
    if (!kind) {
      problems.push(`${rel}: greenrt does not know this file (add it to pipeline/results/run-files.ts)`);
      continue;
    }
    if (!rel.endsWith('.json') || kind.kind === 'cache') continue; // caches hold the driver's and TensorRT's own files
    const schema = runFileSchema(rel);
    if (!schema) {
      problems.push(`${rel}: a JSON file without a schema (write schemas/<name>.schema.json and map it in run-files.ts)`);
      continue;
    }
    for (const p of contracts.check(schema, readJson(join(runDir, rel)))) problems.push(`${rel} ${p.path || '/'}: ${p.message}`);
  }
  return problems;
}

beforeAll(async () => {
  ensureCliBuilt();
  root = tempDir('greenrt-run-files-');
  // The demo's model and runtime (MobileNetV2 on the embedded runtime, batch 1 and 8), fewer inferences.
  const demoDir = join(root, 'demo');
  mkdirSync(demoDir);
  const file = writeExperiment(demoDir, {
    name: 'demo',
    modelFile: demoModel.file,
    model: 'mobilenet_v2',
    batchSizes: [1, 8],
    repetitions: 1,
    measuredIterations: 5,
  });
  const run = await runCli(['run', file, '--artifacts', join(demoDir, 'artifacts')], { timeoutMs: 240_000 });
  expect(run.code, run.stderr).toBe(0);
  cliRun = runDirIn(join(demoDir, 'artifacts'))!;
  const report = await runCli(['report', cliRun], { timeoutMs: 120_000 });
  expect(report.code, report.stderr).toBe(0);

  // In process, with RAPL read from the FAKE powercap tree: traces, baseline and power domains.
  const measuredDir = join(root, 'measured');
  mkdirSync(join(measuredDir, 'models'), { recursive: true });
  writeFileSync(join(measuredDir, 'models', 'tiny-conv.onnx'), readFileSync(tinyConv.file));
  writeFileSync(
    join(measuredDir, 'measured.yaml'),
    [
      'schemaVersion: 1',
      'name: measured',
      'seed: 3',
      'runtimes:',
      '  - name: embedded',
      '    providers: [cpu]',
      '    sources: [pytorch]',
      'models: [resnet50]',
      'batchSizes: [1]',
      'repetitions: 2',
      'warmupIterations: 1',
      'measuredIterations: 20',
      'threads: 1',
      'prebuiltModels:',
      '  - model: resnet50',
      '    source: pytorch',
      '    path: models/tiny-conv.onnx',
      `    sha256: "${sha256Hex(readFileSync(tinyConv.file))}"`,
      'power:',
      '  sources: [rapl]',
      '  sampleHz: 50',
      '  baselineS: 1',
      '  cooldown: { minS: 0, maxS: 0 }',
      '',
    ].join('\n'),
  );
  const artifactsDir = join(measuredDir, 'artifacts');
  const deps = createRunDependencies(silentProgress, artifactsDir);
  const outcome = await runExperiment(
    {
      ...deps,
      createMeasurement: (spec) => PowerMeasurement.open(spec.power, { clock: systemClock, sysfs: powercap.fs, powercapRoot: powercap.root, hwmonRoot: null }),
    },
    { experimentFile: join(measuredDir, 'measured.yaml'), artifactsDir, confirmed: true, signal: new AbortController().signal },
  );
  expect(outcome.status).toBe('completed');
  measuredRun = outcome.runDir;
}, 420_000);

afterAll(() => powercap.cleanup());

describe('run folder files and their schemas', () => {
  it('a demo run made by the CLI (run, report): every file is known and every JSON file validates', async () => {
    const files = filesUnder(cliRun);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'summary.json', 'results.csv', 'report.md', 'report.html', 'run.log']));
    expect(files.filter((f) => f.startsWith('trials/'))).toHaveLength(2);
    expect(schemaProblems(cliRun)).toEqual([]);
    // The embedded runtime's ONNX Runtime build: onnxruntime-node's own library, named by its SHA-256 in the report.
    const host = readJson<RunManifest>(join(cliRun, 'manifest.json')).host;
    expect(host.onnxruntimeNodeLibrary?.file).toMatch(/onnxruntime-node\/bin\/.*\/libonnxruntime\.so[.\d]*$/);
    expect(host.onnxruntimeNodeLibrary?.sha256).toBe(sha256Hex(readFileSync(host.onnxruntimeNodeLibrary!.file)));
    expect(readFileSync(join(cliRun, 'report.md'), 'utf8')).toContain(`libonnxruntime SHA-256 \`${host.onnxruntimeNodeLibrary!.sha256.slice(0, 16)}\``);
    const verify = await runCli(['verify', cliRun], { timeoutMs: 60_000 });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a measured run (fake RAPL): traces, baseline and power domains validate too', async () => {
    const files = filesUnder(measuredRun);
    expect(files).toEqual(expect.arrayContaining(['traces/baseline.json']));
    expect(files.filter((f) => f.startsWith('traces/')).length).toBe(3); // baseline + 2 trials
    const m = readJson<RunManifest>(join(measuredRun, 'manifest.json'));
    expect(m.power.sources[0]).toMatchObject({ source: 'rapl', available: true });
    expect(m.power.sources[0]!.domains.map((d) => d.domain)).toContain('package-0');
    expect(m.power.baseline?.startNs).toMatch(/^\d+$/);
    expect(m.models[0]).toMatchObject({ model: 'resnet50', source: 'pytorch', prebuilt: true });
    expect(schemaProblems(measuredRun)).toEqual([]);
    const v = await verifyRunFolder(measuredRun, contracts);
    expect(v.discrepancies).toEqual([]);
  });

  it('fails for a JSON file that has no schema mapping, and for one that does not match its schema', () => {
    const copy = join(root, 'copy');
    mkdirSync(copy);
    writeFileSync(join(copy, 'extra.json'), '{}\n');
    writeFileSync(join(copy, 'manifest.json'), '{"schemaVersion": 1}\n');
    const problems = schemaProblems(copy);
    expect(problems).toContain('extra.json: greenrt does not know this file (add it to pipeline/results/run-files.ts)');
    expect(problems).toContain('manifest.json /runId: is required');
  });
});

describe('closed manifest parts', () => {
  it('refuses an extra field in manifest.images[], models[], power.sources[] and power.baseline, naming each path', () => {
    const m = readJson<RunManifest>(join(measuredRun, 'manifest.json'));
    const image = {
      runtime: 'pytorch',
      flavour: 'cpu',
      tag: 'greenrt/pytorch:cpu-0',
      imageId: 'sha256:0',
      repoDigests: [],
      sizeBytes: 1,
      created: '2026-01-01T00:00:00Z',
      contextHash: '0',
      buildArgs: {},
      baseImage: null,
      baseImageId: null,
      built: false,
      durationMs: 1,
      description: null,
    };
    expect(contracts.check(SchemaId.runManifest, { ...m, images: [image] })).toEqual([]);
    type Loose = { models: Record<string, unknown>[]; power: { sources: Record<string, unknown>[]; baseline: Record<string, unknown> } };
    const bad = JSON.parse(JSON.stringify({ ...m, images: [{ ...image, layers: 12 }] })) as Loose;
    bad.models[0]!.format = 'onnx';
    bad.power.sources[0]!.vendor = 'intel';
    bad.power.baseline.samples = [];
    const problems = contracts.check(SchemaId.runManifest, bad).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toContain('/images/0/layers: unknown key');
    expect(problems).toContain('/power/sources/0/vendor: unknown key');
    expect(problems).toContain('/power/baseline/samples: unknown key');
    expect(problems.some((p) => p.startsWith('/models/0'))).toBe(true);
  });

  it('greenrt verify, report and resume refuse a manifest with an extra field in images[] (the damaged-run exit codes), naming the file and the path', async () => {
    const copy = join(root, 'tampered');
    mkdirSync(copy);
    for (const rel of filesUnder(cliRun)) {
      mkdirSync(join(copy, rel, '..'), { recursive: true });
      writeFileSync(join(copy, rel), readFileSync(join(cliRun, rel)));
    }
    const m = readJson<RunManifest>(join(copy, 'manifest.json'));
    writeFileSync(join(copy, 'manifest.json'), JSON.stringify({ ...m, images: [{ tag: 'greenrt/pytorch:cpu-0', id: 'sha256:0', layers: 12 }] }, null, 2));
    const verify = await runCli(['verify', copy], { timeoutMs: 60_000 });
    expect(verify.code).toBe(4);
    expect(verify.stdout + verify.stderr).toMatch(/manifest\.json.*does not match the run manifest schema: \/images\/0\/\w+ (unknown key|is required)/);
    for (const args of [
      ['report', copy],
      ['run', '--resume', copy],
    ]) {
      const r = await runCli(args, { timeoutMs: 60_000 });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/manifest\.json.*\/images\/0\//);
      expect(r.stderr).toMatch(/Restore the folder from a copy/);
    }
  });

  it('the store refuses to write a summary.json that does not match its schema, naming the file, the path and the fix', async () => {
    const store = await RunStore.open(measuredRun, contracts);
    const summary = readJson<Record<string, unknown>>(join(measuredRun, 'summary.json'));
    const error = await store.writeSummary({ ...summary, extra: 1 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as GreenrtError).message).toContain(join(measuredRun, 'summary.json'));
    expect((error as ContractError).errors).toContain('/extra: unknown key');
    expect((error as GreenrtError).hint).toMatch(/schemas\/run-summary\.schema\.json.*nothing was written/);
  });
});
