import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contracts, SchemaId } from '../../contracts/index.js';
import type { TrialRequest } from '../runner.js';
import { EmbeddedRunner } from './embedded-runner.js';
import { makeSeededInputs, mulberry32 } from './seeded-inputs.js';
import { tempDir } from '../../testing/temp-dir.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../testing/fixtures/${name}`, import.meta.url));
const baseSpec = {
  schemaVersion: 1 as const,
  trialId: 'embedded.pytorch.tiny.cpu.b2.r1',
  runtime: 'onnxruntime' as const,
  source: 'pytorch' as const,
  model: 'mobilenet_v2' as const,
  provider: 'cpu' as const,
  batchSize: 2,
  warmupIterations: 2,
  measuredIterations: 5,
  seed: 7,
  threads: 1,
  sequenceLength: 16,
};

const workRoot = tempDir('greenrt-embedded-');
let trials = 0;
/** A TrialRequest as run-trial.ts builds it for the embedded runtime (the modelDir is the file's folder). */
function request(spec: TrialRequest['spec'], modelFile: string, timeoutMs = 60_000): TrialRequest {
  return { spec, modelDir: dirname(modelFile), modelFile, workDir: join(workRoot, `t${++trials}`), timeoutMs, memoryLimitMiB: null };
}

describe('EmbeddedRunner', () => {
  it('runs a real ONNX model and returns a schema-valid output with ordered phases', async () => {
    const startHost = process.hrtime.bigint();
    const exec = await new EmbeddedRunner({ contracts: new Contracts() }).runTrial(request(baseSpec, fixture('tiny-conv.onnx')));
    expect(exec.failure).toBeNull();
    const output = new Contracts().assert<NonNullable<typeof exec.output>>(SchemaId.trialOutput, exec.output, 'output');
    expect(output.status).toBe('ok');
    expect(output.latenciesMs).toHaveLength(5);
    expect(output.latenciesMs.every((l) => l > 0)).toBe(true);
    const p = output.phases;
    const order = [p.load!.startNs, p.load!.endNs, p.warmup!.startNs, p.warmup!.endNs, p.measure!.startNs, p.measure!.endNs].map(BigInt);
    expect(order[0]! >= startHost).toBe(true);
    for (let i = 1; i < order.length; i++) expect(order[i]! >= order[i - 1]!).toBe(true);
    const windowMs = Number(order[5]! - order[4]!) / 1e6;
    const sum = output.latenciesMs.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(windowMs + 0.01);
    expect(typeof output.outputChecksum).toBe('number');
  });

  it('feeds token inputs for text models (int64 ids, mask, types)', async () => {
    const exec = await new EmbeddedRunner().runTrial(request({ ...baseSpec, model: 'bert_base_uncased' }, fixture('tiny-text.onnx')));
    expect(exec.failure).toBeNull();
    expect(exec.output?.latenciesMs).toHaveLength(5);
  });

  it('gives the same checksum for the same seed and a different one for another seed', async () => {
    const runner = new EmbeddedRunner();
    const a = await runner.runTrial(request(baseSpec, fixture('tiny-conv.onnx')));
    const b = await runner.runTrial(request(baseSpec, fixture('tiny-conv.onnx')));
    const c = await runner.runTrial(request({ ...baseSpec, seed: 8 }, fixture('tiny-conv.onnx')));
    expect(a.output?.outputChecksum).toBe(b.output?.outputChecksum);
    expect(a.output?.outputChecksum).not.toBe(c.output?.outputChecksum);
  });

  it('returns a failed output (not a throw) for a missing model file', async () => {
    const exec = await new EmbeddedRunner().runTrial(request(baseSpec, '/nonexistent/model.onnx'));
    expect(exec.output?.status).toBe('failed');
    expect(exec.failure).toMatch(/embedded runtime failed/);
    expect(exec.exitCode).toBe(1);
    expect(readFileSync(exec.logPath, 'utf8')).toContain(exec.failure!);
  });

  it('runs modelDir/model.onnx when no modelFile is given, and logs to workDir/embedded.log', async () => {
    const req = request(baseSpec, fixture('tiny-conv.onnx'));
    delete req.modelFile;
    const exec = await new EmbeddedRunner().runTrial(req);
    // The fixtures folder has no model.onnx: the failure names the file it looked for.
    expect(exec.failure).toMatch(/embedded runtime failed/);
    expect(readFileSync(join(req.workDir, 'embedded.log'), 'utf8')).toContain(join(dirname(fixture('tiny-conv.onnx')), 'model.onnx'));
  });

  it('throws when aborted, as every TrialRunner does', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(new EmbeddedRunner().runTrial(request(baseSpec, fixture('tiny-conv.onnx')), controller.signal)).rejects.toThrow(/interrupted by SIGINT/);
  });

  it('refuses providers other than cpu', async () => {
    const exec = await new EmbeddedRunner().runTrial(request({ ...baseSpec, provider: 'cuda' }, fixture('tiny-conv.onnx')));
    expect(exec.failure).toMatch(/provider "cpu" only/);
  });
});

describe('seeded inputs', () => {
  it('mulberry32 is deterministic', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('rejects a fixed batch dimension that differs from the batch size', () => {
    expect(() => makeSeededInputs([{ name: 'x', type: 'float32', dims: [1, 3] }], { batchSize: 8, sequenceLength: 4, seed: 0 })).toThrow(/dynamic batch/);
  });
});
