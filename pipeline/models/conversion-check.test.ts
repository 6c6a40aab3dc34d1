import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PreparedModel } from '../contracts/index.js';
import { checkConversion, compareOutputs } from './conversion-check.js';
import { tempDir } from '../testing/temp-dir.js';

const fixture = fileURLToPath(new URL('../testing/fixtures/tiny-conv.onnx', import.meta.url));

async function preparedDir(perturb: number): Promise<{ dir: string; prepared: PreparedModel }> {
  const dir = tempDir('greenrt-conv-');
  await copyFile(fixture, join(dir, 'model.onnx'));
  const input = Float32Array.from({ length: 2 * 3 * 8 * 8 }, (_, i) => Math.sin(i));
  const session = await ort.InferenceSession.create(fixture);
  const out = (await session.run({ pixel_values: new ort.Tensor('float32', input, [2, 3, 8, 8]) })).logits!.data as Float32Array;
  const reference = Float32Array.from(out, (v, i) => (i === 0 ? v + perturb : v));
  await writeFile(join(dir, 'in.bin'), Buffer.from(input.buffer));
  await writeFile(join(dir, 'out.bin'), Buffer.from(reference.buffer));
  const prepared = {
    onnx: { file: 'model.onnx', opset: 17, exporter: 'fixture', inputs: [], outputs: [] },
    reference: {
      inputs: [{ name: 'pixel_values', dtype: 'float32', shape: [2, 3, 8, 8], file: 'in.bin' }],
      output: { name: 'logits', dtype: 'float32', shape: [2, 4], file: 'out.bin' },
    },
  } as unknown as PreparedModel;
  return { dir, prepared };
}

describe('checkConversion (real onnxruntime-node)', () => {
  it('passes when ONNX reproduces the reference output', async () => {
    const { dir, prepared } = await preparedDir(0);
    const check = await checkConversion(dir, prepared);
    expect(check.maxAbsDiff).toBe(0);
    expect(check.argmaxAgreement).toBe(1);
    expect(check.withinTolerance).toBe(true);
  });

  it('fails when the outputs differ beyond tolerance, and reports the difference', async () => {
    const { dir, prepared } = await preparedDir(0.5);
    const check = await checkConversion(dir, prepared);
    expect(check.maxAbsDiff).toBeCloseTo(0.5, 5);
    expect(check.withinTolerance).toBe(false);
  });
});

describe('compareOutputs', () => {
  it('computes max abs diff and argmax agreement per sample', () => {
    const expected = Float32Array.from([1, 2, 3, 9, 1, 1]);
    const actual = Float32Array.from([1, 2, 3.0005, 1, 9, 1]);
    const check = compareOutputs(expected, actual, [2, 3]);
    expect(check.maxAbsDiff).toBeCloseTo(8, 5);
    expect(check.argmaxAgreement).toBe(0.5);
    expect(check.tolerance).toBeCloseTo(1e-3 + 9e-3, 9);
    expect(check.withinTolerance).toBe(false);
  });
});
