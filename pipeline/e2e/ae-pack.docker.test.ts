/**
 * An artifact end to end, as an evaluator meets it: a small reference run through Docker (the onnxruntime cpu image,
 * MobileNetV2 at batch 1 and 8, 5 repetitions), `greenrt ae pack` of it, `greenrt ae load` into a SECOND Docker
 * engine with an empty data root and no network (its own network namespace: only a loopback that is down), the
 * experiment run again from the pack against that engine, and `greenrt ae evaluate` of the re-run against the packed
 * reference: every claim agrees, exit 0. Prints the pack's size, the pack and load times.
 * Needs root (the second dockerd); CI runs as root. The onnxruntime cpu image is built first when missing.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contracts, SchemaId, type AeArtifactFile, type AeEvaluationFile, type RunManifest } from '../contracts/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { secondEngineMissing, startSecondEngine, type SecondEngine } from '../testing/second-engine.js';
import { tempDir } from '../testing/temp-dir.js';
import { demoModel, ensureCliBuilt, runCli, runDirIn, writeExperiment } from './e2e-support.js';

const contracts = new Contracts();
const engine = await connectDockerOrSkip('ae pack/load');
const missing = engine ? await secondEngineMissing() : 'no Docker engine';
// CI (GREENRT_REQUIRE_DOCKER=1, as root) must run this suite, never pass it by skipping.
if (engine && missing && process.env.GREENRT_REQUIRE_DOCKER === '1') throw new Error(`ae pack/load e2e: the second Docker engine ${missing}`);
if (engine && missing) console.warn(`[ae-pack.docker] skipped: the second engine ${missing}`);

/** Claims the re-run must agree with, for this test's experiment (the smoke tier's, on the onnxruntime image). */
const claims = `schemaVersion: 1
study: greenrt ae pack/load end-to-end test (not a claim of the study)
defaults: { alpha: 0.05, minEffect: small, minTrials: 3, quantifier: all }
claims:
  - id: batch-8-within-16x
    scope: extension
    text: A batch of 8 takes longer than a batch of 1, and less than 16 times as long.
    source: "greenrt sanity claim (a wide band: the point is that the re-run decides it as the reference did)"
    test: ratio
    ratioRange: [1, 16]
    a: { batchSize: [8] }
    b: { batchSize: [1] }
    where: { runtime: [onnxruntime], source: [pytorch], provider: [cpu], model: [mobilenet_v2] }
    match: [runtime, source, model, provider]
    metrics: [latencyMs]
  - id: larger-batch-takes-longer
    scope: extension
    text: A call with a batch of 8 takes longer than a call with a batch of 1.
    source: greenrt sanity claim
    test: less
    a: { batchSize: [1] }
    b: { batchSize: [8] }
    where: { runtime: [onnxruntime], source: [pytorch], provider: [cpu], model: [mobilenet_v2] }
    match: [runtime, source, model, provider]
    metrics: [latencyMs]
`;

const sizeOf = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? sizeOf(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);

describe.skipIf(!engine || missing !== null)('ae pack, ae load into an empty engine without network, re-run, ae evaluate', () => {
  let root = '';
  let reference = '';
  let pack = '';
  let second: SecondEngine | null = null;
  let experiment = '';

  beforeAll(async () => {
    ensureCliBuilt();
    // Short: the second engine's containerd sockets live below it.
    root = tempDir('gae.');
    experiment = writeExperiment(join(root, 'exp'), {
      name: 'aesmoke',
      runtime: 'onnxruntime',
      model: 'mobilenet_v2',
      modelFile: demoModel.file,
      batchSizes: [1, 8],
      repetitions: 5,
      warmupIterations: 3,
      measuredIterations: 20,
      extra: 'runner: docker\nclaims: aesmoke.claims.yaml\norder: shuffled',
    });
    writeFileSync(join(root, 'exp', 'aesmoke.claims.yaml'), claims);
    const started = performance.now();
    const r = await runCli(['run', experiment, '--artifacts', join(root, 'reference')], { timeoutMs: 25 * 60_000 });
    expect(r.code, r.stdout + r.stderr.slice(-3000)).toBe(0);
    reference = runDirIn(join(root, 'reference'))!;
    console.info(`[ae-pack.docker] reference run (10 trials; image built first when missing) ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 30 * 60_000);

  afterAll(async () => {
    await second?.stop();
  });

  it(
    "packs the reference run with its image; the pack holds one image archive whose digest is the run's",
    async () => {
      pack = join(root, 'pack');
      const started = performance.now();
      const p = await runCli(['ae', 'pack', reference, '--out', pack], { timeoutMs: 10 * 60_000 });
      const packS = (performance.now() - started) / 1000;
      expect(p.code, p.stdout + p.stderr).toBe(0);
      const record = contracts.assert<AeArtifactFile>(SchemaId.aeArtifact, JSON.parse(readFileSync(join(pack, 'artifact.json'), 'utf8')), 'artifact.json');
      const manifest = JSON.parse(readFileSync(join(reference, 'manifest.json'), 'utf8')) as RunManifest;
      expect(record.images.map((i) => [i.tag, i.configDigest])).toEqual(manifest.images.map((i) => [i.tag, i.configDigest]));
      expect(p.stdout).toContain(`config digest ${manifest.images[0]!.configDigest}`);
      expect(record.runs[0]!.claims.map((c) => c.verdict)).toEqual(['reproduced', 'reproduced']);
      console.info(`[ae-pack.docker] pack: ${(sizeOf(pack) / 2 ** 20).toFixed(1)} MiB in ${packS.toFixed(1)} s`);
    },
    10 * 60_000,
  );

  it(
    'loads the pack into an empty engine that has no network, which then holds the same image (config digest)',
    async () => {
      second = await startSecondEngine(root);
      // The engine's network namespace has a loopback only, and it is down: nothing can be fetched from it.
      const links = execFileSync('nsenter', ['-t', String(second.pid), '-n', 'ip', '-o', 'link'], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(links).toHaveLength(1);
      expect(links[0]).toMatch(/^1: lo: <LOOPBACK>/);
      expect((await second.engine.docker.listImages()).length).toBe(0);
      const started = performance.now();
      const l = await runCli(['ae', 'load', pack, '--artifacts', join(root, 'evaluator')], { env: { DOCKER_HOST: second.dockerHost }, timeoutMs: 10 * 60_000 });
      const loadS = (performance.now() - started) / 1000;
      expect(l.code, l.stdout + l.stderr).toBe(0);
      expect(l.stdout).toContain('every file matches SHA256SUMS');
      const record = JSON.parse(readFileSync(join(pack, 'artifact.json'), 'utf8')) as AeArtifactFile;
      for (const image of record.images) {
        expect(l.stdout).toMatch(new RegExp(`image ${image.tag.replace(/[.:/]/g, '\\$&')}\\s+loaded`));
        expect((await second.engine.docker.getImage(image.tag).inspect()).Id).toBe(image.configDigest);
      }
      console.info(`[ae-pack.docker] load into the empty engine: ${loadS.toFixed(1)} s`);
    },
    10 * 60_000,
  );

  it(
    're-runs the packed experiment on that engine (no build, no network) and every claim agrees with the reference (exit 0)',
    async () => {
      const record = JSON.parse(readFileSync(join(pack, 'artifact.json'), 'utf8')) as AeArtifactFile;
      const env = { DOCKER_HOST: second!.dockerHost };
      const r = await runCli(['run', join(pack, record.runs[0]!.experiment), '--artifacts', join(root, 'evaluator')], { env, timeoutMs: 15 * 60_000 });
      expect(r.code, r.stdout + r.stderr.slice(-3000)).toBe(0);
      const rerun = runDirIn(join(root, 'evaluator'))!;
      const manifest = JSON.parse(readFileSync(join(rerun, 'manifest.json'), 'utf8')) as RunManifest;
      expect(manifest.images.map((i) => [i.configDigest, i.obtained])).toEqual(record.images.map((i) => [i.configDigest, 'present']));
      const e = await runCli(['ae', 'evaluate', rerun, '--reference', join(pack, record.runs[0]!.folder), '--out', join(root, 'evaluation')]);
      expect(e.code, e.stdout + e.stderr).toBe(0);
      const evaluation = contracts.assert<AeEvaluationFile>(
        SchemaId.aeEvaluation,
        JSON.parse(readFileSync(join(root, 'evaluation', 'evaluation.json'), 'utf8')),
        'evaluation.json',
      );
      expect(evaluation.claims.map((c) => [c.id, c.outcome])).toEqual([
        ['batch-8-within-16x', 'agrees'],
        ['larger-batch-takes-longer', 'agrees'],
      ]);
    },
    20 * 60_000,
  );
});
