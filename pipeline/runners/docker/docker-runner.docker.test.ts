import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../core/index.js';
import type { DockerEngine } from '../../docker/index.js';
import type { BuiltImage } from '../../images/index.js';
import { connectDockerOrSkip, ensureTestImage } from '../../testing/docker-test-image.js';
import type { TrialRequest } from '../runner.js';
import { DockerRunner } from './docker-runner.js';
import { removeOrphans } from './remove-orphans.js';
import { tempDir } from '../../testing/temp-dir.js';

const engine = await connectDockerOrSkip('docker-runner.docker.test');
const RUN_ID = `test-${process.pid}`;

const baseSpec: TrialRequest['spec'] = {
  schemaVersion: 1,
  trialId: 'ok-1',
  runtime: 'onnxruntime',
  source: 'pytorch',
  model: 'resnet50',
  provider: 'cpu',
  batchSize: 2,
  warmupIterations: 1,
  measuredIterations: 5,
  seed: 3,
  threads: null,
  sequenceLength: 16,
};

describe.skipIf(!engine)('DockerRunner (real Docker engine, fake numpy runtime image)', () => {
  const e = engine as DockerEngine;
  let image: BuiltImage;
  let runner: DockerRunner;
  let root: string;

  beforeAll(async () => {
    const test = await ensureTestImage(e);
    // Only tag and id matter to the runner; the rest of the record describes the fake image.
    image = {
      runtime: 'onnxruntime',
      flavour: 'cpu',
      tag: test.tag,
      imageId: test.imageId,
      repoDigests: [],
      sizeBytes: 0,
      created: '',
      contextHash: '',
      buildArgs: {},
      baseImage: null,
      baseImageId: null,
      built: test.built,
      durationMs: test.durationMs,
      description: null,
    };
    runner = new DockerRunner(e, { runId: RUN_ID });
    root = tempDir('greenrt-docker-runner-');
    mkdirSync(join(root, 'model')); // empty: the fake runtime falls back to seeded weights
  });

  afterAll(async () => {
    await removeOrphans(e, RUN_ID);
  });

  const request = (trialId: string, extra: Partial<TrialRequest> = {}): TrialRequest => {
    const workDir = join(root, trialId);
    return { spec: { ...baseSpec, trialId }, modelDir: join(root, 'model'), workDir, image, timeoutMs: 60_000, memoryLimitMiB: 512, ...extra };
  };

  it('runs a trial through the real harness, isolated: uid 10001, loopback only, read-only root, HOME=/tmp', async () => {
    let startNs: bigint | undefined;
    const exec = await runner.runTrial(request('ok-isolation', { onProcessStart: (ns) => (startNs = ns) }));
    expect(exec.failure).toBeNull();
    expect(exec.exitCode).toBe(0);
    expect(exec.output?.status).toBe('ok');
    expect(exec.output?.latenciesMs).toHaveLength(5);
    const pk = exec.output!.environment.packages!;
    expect(pk.uid).toBe('10001');
    expect(pk.gid).toBe('10001');
    expect(pk.netInterfaces).toBe('lo');
    expect(pk.rootWritable).toBe('no');
    expect(pk.home).toBe('/tmp');
    // Phase markers fall inside the host's window around the container: one clock domain.
    const load = BigInt(exec.output!.phases.load!.startNs);
    const measureEnd = BigInt(exec.output!.phases.measure!.endNs);
    expect(startNs).toBe(exec.startedNs);
    expect(load > exec.startedNs && measureEnd < exec.endedNs).toBe(true);
    expect(existsSync(exec.logPath)).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'ok-isolation', 'trial.json'), 'utf8')).modelDir).toBe('/greenrt/model');
    const left = await e.docker.listContainers({ all: true, filters: JSON.stringify({ label: [`greenrt.trial=ok-isolation`] }) });
    expect(left).toHaveLength(0);
    console.info(`[docker-runner] ok trial: container start to exit ${exec.wallMs.toFixed(0)} ms`);
  });

  it("mounts folders whose paths hold ':' (a run folder named by its time), which Binds strings cannot carry", async () => {
    const modelDir = join(root, 'model:copy');
    mkdirSync(modelDir);
    const exec = await runner.runTrial(request('ok-colon', { workDir: join(root, 'run:2026-12-07T18:00:00Z', 'ok-colon'), modelDir }));
    expect(exec.failure).toBeNull();
    expect(exec.output?.status).toBe('ok');
    expect(existsSync(join(root, 'run:2026-12-07T18:00:00Z', 'ok-colon', 'out', 'trial-output.json'))).toBe(true);
  });

  it('reports exit without output, with the last log line', async () => {
    const exec = await runner.runTrial(request('exit1-a'));
    expect(exec.exitCode).toBe(1);
    expect(exec.output).toBeNull();
    expect(exec.failure).toBe('exited 1 without output: fake runtime: exiting 1 on purpose');
    expect(exec.logTail).toContain('exiting 1 on purpose');
  });

  it('kills a hung container at the timeout and removes it', async () => {
    const started = performance.now();
    const exec = await runner.runTrial(request('hang-a', { timeoutMs: 2500 }));
    expect(exec.failure).toBe('timed out after 2.5 s');
    expect(performance.now() - started).toBeLessThan(15_000);
    const left = await e.docker.listContainers({ all: true, filters: JSON.stringify({ label: ['greenrt.trial=hang-a'] }) });
    expect(left).toHaveLength(0);
  });

  it('detects an OOM kill at the memory limit', async () => {
    const exec = await runner.runTrial(request('oom-a', { memoryLimitMiB: 256 }));
    expect(exec.failure).toBe('OOM-killed (memory limit 256 MiB)');
    expect(exec.exitCode).toBe(137);
  });

  it('rejects garbage output', async () => {
    const exec = await runner.runTrial(request('garbage-a'));
    expect(exec.exitCode).toBe(0);
    expect(exec.output).toBeNull();
    expect(exec.failure).toMatch(/^output does not match schema: not JSON/);
  });

  it('keeps a failed TrialOutput and names the error', async () => {
    const exec = await runner.runTrial(request('raise-a'));
    expect(exec.exitCode).toBe(3);
    expect(exec.output?.status).toBe('failed');
    expect(exec.failure).toBe('trial failed (exit 3): ValueError: fake runtime failed on purpose');
  });

  it('prepares a model (no network for random weights) and runs a trial on it', async () => {
    const out = join(root, 'prepared');
    const prep = await runner.prepareModel({
      spec: {
        schemaVersion: 1,
        framework: 'pytorch',
        model: 'resnet50',
        weights: 'random',
        seed: 5,
        referenceBatchSize: 2,
        sequenceLength: 16,
        exportOnnx: false,
        opset: 17,
      },
      outputDir: out,
      workDir: join(root, 'prepare-work'),
      image,
      timeoutMs: 60_000,
      memoryLimitMiB: 512,
    });
    expect(prep.failure).toBeNull();
    expect(prep.prepared?.files.map((f) => f.path)).toContain('native/weights.npy');
    const exec = await runner.runTrial(request('ok-prepared', { modelDir: out }));
    expect(exec.failure).toBeNull();
  });

  it('an abort kills and removes the container, then rethrows the reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 1000);
    await expect(runner.runTrial(request('hang-abort'), controller.signal)).rejects.toThrow('user pressed ctrl-c');
    const left = await e.docker.listContainers({ all: true, filters: JSON.stringify({ label: ['greenrt.trial=hang-abort'] }) });
    expect(left).toHaveLength(0);
  });

  it('a missing image is an EnvironmentError (exit 3) naming the fix', async () => {
    const missing = { ...image, imageId: 'greenrt-test/does-not-exist:0' };
    const error = await runner.runTrial(request('ok-noimage', { image: missing })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain('greenrt images build');
  });

  it('removeOrphans removes containers a crashed run left behind', async () => {
    const orphan = await e.docker.createContainer({
      Image: image.imageId,
      Cmd: ['sleep', '300'],
      Labels: { 'greenrt.run': RUN_ID, 'greenrt.trial': 'orphan' },
    });
    await orphan.start();
    const other = await e.docker.createContainer({ Image: image.imageId, Cmd: ['true'], Labels: { 'greenrt.run': `${RUN_ID}-other` } });
    try {
      const removed = await removeOrphans(e, RUN_ID);
      expect(removed).toContain(orphan.id);
      expect(removed).not.toContain(other.id);
      await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await other.remove({ force: true });
    }
  });
});
