import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContractError, EnvironmentError } from '../../core/index.js';
import { numpyRuntimeDir } from '../../testing/docker-test-image.js';
import type { TrialRequest } from '../runner.js';
import { ProcessRunner } from './process-runner.js';
import { tempDir } from '../../testing/temp-dir.js';

// The real harness (images/common) with the fake numpy runtime (pipeline/testing/runner-fixtures).
const python = process.env.GREENRT_PYTHON ?? 'python3';
const hasPython = (() => {
  try {
    execaSync(python, ['-c', 'import numpy, jsonschema']);
    return true;
  } catch {
    console.warn(`[process-runner.test] skipped: ${python} with numpy and jsonschema not found (pip install numpy jsonschema, or set GREENRT_PYTHON)`);
    return false;
  }
})();

const baseSpec: TrialRequest['spec'] = {
  schemaVersion: 1,
  trialId: 'ok-1',
  runtime: 'onnxruntime',
  source: 'pytorch',
  model: 'bert_base_uncased',
  provider: 'cpu',
  batchSize: 2,
  warmupIterations: 2,
  measuredIterations: 7,
  seed: 11,
  threads: 1,
  sequenceLength: 8,
};

/** Running (not a zombie waiting for a reaper that may never come in a sandbox). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(!hasPython)('ProcessRunner (real python, real harness, fake numpy runtime)', () => {
  let root: string;
  const fake = numpyRuntimeDir;
  const runner = new ProcessRunner({ python, adapterDirs: { onnxruntime: fake, pytorch: fake, tensorflow: fake, mxnet: fake } });
  const request = (trialId: string, extra: Partial<TrialRequest> = {}): TrialRequest => ({
    spec: { ...baseSpec, trialId },
    modelDir: join(root, 'model'),
    workDir: join(root, trialId),
    timeoutMs: 30_000,
    memoryLimitMiB: null,
    ...extra,
  });

  beforeAll(() => {
    root = tempDir('greenrt-process-runner-');
    mkdirSync(join(root, 'model'));
  });

  it('runs a trial end to end: validated output, phases inside the host window, log file', async () => {
    let startNs: bigint | undefined;
    const exec = await runner.runTrial(request('ok-a', { onProcessStart: (ns) => (startNs = ns) }));
    expect(exec.failure).toBeNull();
    expect(exec.exitCode).toBe(0);
    expect(exec.output?.latenciesMs).toHaveLength(7);
    expect(exec.output?.environment.framework).toBe('numpy-fake');
    expect(startNs).toBe(exec.startedNs);
    expect(BigInt(exec.output!.phases.load!.startNs) > exec.startedNs).toBe(true);
    expect(BigInt(exec.output!.phases.measure!.endNs) < exec.endedNs).toBe(true);
    const spec = JSON.parse(readFileSync(join(root, 'ok-a', 'trial.json'), 'utf8'));
    expect(spec.modelDir).toBe(join(root, 'model'));
    expect(existsSync(exec.logPath)).toBe(true);
  });

  it('a supplied ONNX file (modelFile) is the only model the entrypoint sees, as model.onnx, whatever else shares its folder', async () => {
    const supplied = join(root, 'supplied');
    mkdirSync(supplied);
    for (const name of ['model.onnx', 'a.onnx', 'b.onnx']) writeFileSync(join(supplied, name), name);
    const exec = await runner.runTrial(request('ok-file', { modelFile: join(supplied, 'b.onnx') }));
    expect(exec.failure).toBeNull();
    const spec = JSON.parse(readFileSync(join(root, 'ok-file', 'trial.json'), 'utf8'));
    expect(spec.modelDir).toBe(join(root, 'ok-file', 'model'));
    expect(readdirSync(spec.modelDir)).toEqual(['model.onnx']);
    expect(readFileSync(join(spec.modelDir, 'model.onnx'), 'utf8')).toBe('b.onnx');
    // A retry in the same work folder gets the same single entry.
    expect((await runner.runTrial(request('ok-file', { modelFile: join(supplied, 'a.onnx') }))).failure).toBeNull();
    expect(readFileSync(join(root, 'ok-file', 'model', 'model.onnx'), 'utf8')).toBe('a.onnx');
  });

  it('names exit without output, failed trials and garbage output', async () => {
    const exit1 = await runner.runTrial(request('exit1-a'));
    expect(exit1.failure).toBe('exited 1 without output: fake runtime: exiting 1 on purpose');
    const raised = await runner.runTrial(request('raise-a'));
    expect(raised.exitCode).toBe(3);
    expect(raised.output?.status).toBe('failed');
    expect(raised.failure).toBe('trial failed (exit 3): ValueError: fake runtime failed on purpose');
    const garbage = await runner.runTrial(request('garbage-a'));
    expect(garbage.output).toBeNull();
    expect(garbage.failure).toMatch(/^output does not match schema: not JSON/);
  });

  it('a spec that fails schemas/trial-spec.schema.json is refused before the harness starts, naming file and path; nothing is written', async () => {
    // The harness refuses such a spec too (exit 2: images/common/tests/test_run.py); greenrt no longer writes one.
    const error = await runner.runTrial(request('ok-bad', { spec: { ...baseSpec, trialId: 'ok-bad', batchSize: 0 } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toContain(
      `${join(root, 'ok-bad', 'trial.json')} does not match schema https://greenrt.dev/schemas/trial-spec.schema.json`,
    );
    expect((error as ContractError).errors).toContain('/batchSize: must be >= 1');
    expect(existsSync(join(root, 'ok-bad', 'trial.json'))).toBe(false);
    expect(existsSync(join(root, 'ok-bad', 'process.log'))).toBe(false);
  });

  it('kills the whole process group at the timeout', async () => {
    const started = performance.now();
    const exec = await runner.runTrial(request('hangchild-a', { timeoutMs: 1500 }));
    expect(exec.failure).toBe('timed out after 1.5 s');
    expect(exec.exitCode).toBeNull();
    expect(performance.now() - started).toBeLessThan(10_000);
    const childPid = Number(readFileSync(join(root, 'hangchild-a', 'out', 'child.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(childPid)).toBe(false);
  });

  it('an abort kills the process and rethrows the reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 500);
    await expect(runner.runTrial(request('hang-abort'), controller.signal)).rejects.toThrow('user pressed ctrl-c');
  });

  it('prepares a model, then a trial loads its weights', async () => {
    const out = join(root, 'prepared');
    const prep = await runner.prepareModel({
      spec: {
        schemaVersion: 1,
        framework: 'pytorch',
        model: 'resnet50',
        weights: 'random',
        seed: 5,
        referenceBatchSize: 2,
        sequenceLength: 8,
        exportOnnx: false,
        opset: 17,
      },
      outputDir: out,
      workDir: join(root, 'prepare-work'),
      timeoutMs: 30_000,
      memoryLimitMiB: null,
    });
    expect(prep.failure).toBeNull();
    expect(prep.prepared?.reference.inputs[0]?.name).toBe('pixel_values');
    const exec = await runner.runTrial(
      request('ok-prepared', { spec: { ...baseSpec, trialId: 'ok-prepared', runtime: 'pytorch', model: 'resnet50' }, modelDir: out }),
    );
    expect(exec.failure).toBeNull();
  });

  it('a missing interpreter is an EnvironmentError (exit 3) with the fix', async () => {
    const missing = new ProcessRunner({ python: '/nonexistent/python3', adapterDirs: { onnxruntime: numpyRuntimeDir } });
    const error = await missing.runTrial(request('ok-nopython')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain('GREENRT_PYTHON');
  });
});

describe('ProcessRunner environment (no Python needed)', () => {
  const runner = new ProcessRunner({ repoRoot: '/repo' });
  it('a cuda trial sees only the selected GPU, numbered in PCI bus order like NVML (the first by default)', () => {
    const cuda = { ...baseSpec, provider: 'cuda' as const };
    expect(runner.trialEnvironment({ spec: cuda, gpuDevices: ['GPU-1234abcd-0000'] })).toMatchObject({
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
      CUDA_VISIBLE_DEVICES: 'GPU-1234abcd-0000',
    });
    expect(runner.trialEnvironment({ spec: cuda })).toMatchObject({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', CUDA_VISIBLE_DEVICES: '0' });
    expect(runner.trialEnvironment({ spec: { ...cuda, provider: 'tensorrt' }, gpuDevices: ['1', '2'] }).CUDA_VISIBLE_DEVICES).toBe('1,2');
    expect(runner.trialEnvironment({ spec: baseSpec, gpuDevices: ['1'] }).CUDA_VISIBLE_DEVICES).toBeUndefined();
  });

  it('points CUDA and TensorRT at the run-scoped compile caches', () => {
    const env = runner.trialEnvironment({ spec: baseSpec, caches: { cudaComputeDir: '/run/cache/cuda', tensorrtEngineDir: '/run/cache/trt' } });
    expect(env).toMatchObject({ CUDA_CACHE_PATH: '/run/cache/cuda', CUDA_CACHE_MAXSIZE: '4294967296', GREENRT_TRT_ENGINE_CACHE: '/run/cache/trt' });
  });
});
