import type * as Ort from 'onnxruntime-node';
import { loadOrt } from '../runners/embedded/load-ort.js';
import { join } from 'node:path';
import type { PreparedModel, TensorFile } from '../contracts/index.js';
import { readInputFile } from '../core/index.js';

/** Largest reference tensor file read back (a batch of 64 ImageNet images in float32 is about 38 MiB). */
const maxTensorBytes = 1024 * 2 ** 20;

export interface ConversionCheck {
  maxAbsDiff: number;
  argmaxAgreement: number;
  tolerance: number;
  withinTolerance: boolean;
}

/**
 * Runs the exported ONNX model with onnxruntime-node (CPU) on the reference inputs the source
 * framework saved, and compares with the framework's own output on them.
 * Tolerance: absolute 1e-3 plus 1e-3 of the largest reference magnitude, since random-weight
 * models can have large activations and float32 kernels reorder sums differently.
 */
export async function checkConversion(preparedDir: string, prepared: PreparedModel): Promise<ConversionCheck> {
  if (!prepared.onnx) throw new Error(`${preparedDir}: the model has no ONNX export to check.`);
  const ort = loadOrt();
  const session = await ort.InferenceSession.create(join(preparedDir, prepared.onnx.file), { executionProviders: ['cpu'] });
  try {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const input of prepared.reference.inputs) feeds[input.name] = await readTensor(preparedDir, input);
    const outputs = await session.run(feeds);
    const refOut = prepared.reference.output;
    const actual = outputs[refOut.name] ?? Object.values(outputs)[0];
    if (!actual) throw new Error(`${preparedDir}: the ONNX model produced no output.`);
    const expected = (await readTensor(preparedDir, refOut)).data as Float32Array;
    const got = actual.data as Float32Array;
    if (got.length !== expected.length) {
      throw new Error(
        `${preparedDir}: ONNX output has ${got.length} values, the framework's has ${expected.length} (shapes ${JSON.stringify(actual.dims)} vs ${JSON.stringify(refOut.shape)}).`,
      );
    }
    return compareOutputs(expected, got, refOut.shape);
  } finally {
    await session.release();
  }
}

/** Pure comparison: max |a - b| and per-sample argmax agreement over the last dimension. */
export function compareOutputs(expected: Float32Array, actual: Float32Array, shape: readonly number[]): ConversionCheck {
  let maxAbsDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(expected[i]! - actual[i]!));
    maxRef = Math.max(maxRef, Math.abs(expected[i]!));
  }
  const samples = shape[0] ?? 1;
  const perSample = expected.length / samples;
  const lastDim = shape[shape.length - 1] ?? perSample;
  let agree = 0;
  let rows = 0;
  for (let r = 0; r < expected.length / lastDim; r++) {
    rows++;
    if (argmax(expected, r * lastDim, lastDim) === argmax(actual, r * lastDim, lastDim)) agree++;
  }
  const tolerance = 1e-3 + 1e-3 * maxRef;
  const argmaxAgreement = rows === 0 ? 1 : agree / rows;
  return { maxAbsDiff, argmaxAgreement, tolerance, withinTolerance: maxAbsDiff <= tolerance && argmaxAgreement === 1 };
}

function argmax(data: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (data[offset + i]! > data[offset + best]!) best = i;
  return best;
}

async function readTensor(dir: string, t: TensorFile): Promise<Ort.Tensor> {
  const bytes = await readInputFile(join(dir, t.file), maxTensorBytes, { noFollow: true });
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const count = t.shape.reduce((a, b) => a * b, 1);
  const data = t.dtype === 'float32' ? new Float32Array(buf) : t.dtype === 'int64' ? new BigInt64Array(buf) : new Int32Array(buf);
  if (data.length !== count) throw new Error(`${join(dir, t.file)} holds ${data.length} ${t.dtype} values, shape ${JSON.stringify(t.shape)} needs ${count}.`);
  return new (loadOrt().Tensor)(t.dtype, data, t.shape);
}
