import type * as Ort from 'onnxruntime-node';
import { loadOrt } from './load-ort.js';
import { mulberry32 } from '../../core/index.js';

export { mulberry32 };

/** BERT-style vocabulary size used for random token ids (bert-base-uncased). */
export const VOCAB_SIZE = 30522;

export interface InputDescription {
  name: string;
  type: string;
  dims: readonly (number | string)[];
}

/**
 * One batch of seeded inputs for a graph: images get standard-normal float32 values,
 * token ids are uniform in [0, VOCAB_SIZE), attention masks are ones, token types zeros.
 * Dynamic dims: the first is the batch, later ones the sequence length.
 */
export function makeSeededInputs(
  inputs: readonly InputDescription[],
  options: { batchSize: number; sequenceLength: number; seed: number },
): Record<string, Ort.Tensor> {
  const random = mulberry32(options.seed);
  const feeds: Record<string, Ort.Tensor> = {};
  for (const input of inputs) {
    const dims = input.dims.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? options.batchSize : options.sequenceLength));
    if (typeof input.dims[0] === 'number' && (input.dims[0] as number) > 0 && input.dims[0] !== options.batchSize) {
      throw new Error(
        `Input "${input.name}" has a fixed batch dimension ${String(input.dims[0])}; batch ${options.batchSize} cannot be fed. Export the model with a dynamic batch axis.`,
      );
    }
    const size = dims.reduce((a, b) => a * b, 1);
    if (input.type === 'float32') {
      const data = new Float32Array(size);
      for (let i = 0; i < size; i += 2) {
        // Box-Muller: two standard normals from two uniforms.
        const u = 1 - random();
        const v = random();
        const r = Math.sqrt(-2 * Math.log(u));
        data[i] = r * Math.cos(2 * Math.PI * v);
        if (i + 1 < size) data[i + 1] = r * Math.sin(2 * Math.PI * v);
      }
      feeds[input.name] = new (loadOrt().Tensor)('float32', data, dims);
    } else if (input.type === 'int64' || input.type === 'int32') {
      const values = tokenValues(input.name, size, random);
      feeds[input.name] =
        input.type === 'int64'
          ? new (loadOrt().Tensor)(
              'int64',
              BigInt64Array.from(values, (v) => BigInt(v)),
              dims,
            )
          : new (loadOrt().Tensor)('int32', Int32Array.from(values), dims);
    } else {
      throw new Error(`Input "${input.name}" has element type ${input.type}, which greenrt cannot generate (float32, int64, int32 only).`);
    }
  }
  return feeds;
}

function tokenValues(name: string, size: number, random: () => number): number[] {
  const lower = name.toLowerCase();
  if (lower.includes('mask')) return new Array<number>(size).fill(1);
  if (lower.includes('type')) return new Array<number>(size).fill(0);
  return Array.from({ length: size }, () => Math.floor(random() * VOCAB_SIZE));
}
