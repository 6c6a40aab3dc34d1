import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Contracts, SchemaId } from '../../contracts/index.js';
import { EmbeddedRunner } from './embedded-runner.js';
import { makeSeededInputs, mulberry32 } from './seeded-inputs.js';

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

describe('EmbeddedRunner', () => {
  it('runs a real ONNX model and returns a schema-valid output with ordered phases', async () => {
    const startHost = process.hrtime.bigint();
    const exec = await new EmbeddedRunner().runTrial({ spec: baseSpec, modelFile: fixture('tiny-conv.onnx') });
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
    const exec = await new EmbeddedRunner().runTrial({ spec: { ...baseSpec, model: 'bert_base_uncased' }, modelFile: fixture('tiny-text.onnx') });
    expect(exec.failure).toBeNull();
    expect(exec.output?.latenciesMs).toHaveLength(5);
  });

  it('gives the same checksum for the same seed and a different one for another seed', async () => {
    const runner = new EmbeddedRunner();
    const a = await runner.runTrial({ spec: baseSpec, modelFile: fixture('tiny-conv.onnx') });
    const b = await runner.runTrial({ spec: baseSpec, modelFile: fixture('tiny-conv.onnx') });
    const c = await runner.runTrial({ spec: { ...baseSpec, seed: 8 }, modelFile: fixture('tiny-conv.onnx') });
    expect(a.output?.outputChecksum).toBe(b.output?.outputChecksum);
    expect(a.output?.outputChecksum).not.toBe(c.output?.outputChecksum);
  });

  it('returns a failed output (not a throw) for a missing model file', async () => {
    const exec = await new EmbeddedRunner().runTrial({ spec: baseSpec, modelFile: '/nonexistent/model.onnx' });
    expect(exec.output?.status).toBe('failed');
    expect(exec.failure).toMatch(/embedded runtime failed/);
  });

  it('refuses providers other than cpu', async () => {
    const exec = await new EmbeddedRunner().runTrial({ spec: { ...baseSpec, provider: 'cuda' }, modelFile: fixture('tiny-conv.onnx') });
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
