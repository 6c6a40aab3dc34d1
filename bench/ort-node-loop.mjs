// onnxruntime-node throughput with exactly the embedded runner's session options (see
// pipeline/runners/embedded/embedded-runner.ts). A fresh process per call, like ort_loop.py.
//   node bench/ort-node-loop.mjs <model.onnx> <threads> <warmup> <iters> [<inputs.bin>]   -> one JSON line
// With <inputs.bin>: the model's one float32 input is read from that file (raw little-endian float32,
// the input's shape at batch 1), so that this loop and ort_loop.py feed identical bytes; when the file
// does not exist yet, the embedded runner's seeded inputs are generated and written there first.
// The result names the ONNX Runtime library this process mapped (the binding's own, or the one
// LD_LIBRARY_PATH put first) and its SHA-256, so a comparison can say which build it measured.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ort from 'onnxruntime-node';
import { makeSeededInputs } from '../dist/runners/embedded/seeded-inputs.js';

const [model, threads, warmup, iters, inputFile] = process.argv.slice(2);
const session = await ort.InferenceSession.create(model, {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: Number(threads),
  interOpNumThreads: 1,
  executionMode: 'sequential',
});
const inputs = session.inputMetadata.map((m) => ({ name: m.name, type: m.type, dims: m.shape }));
let feeds = makeSeededInputs(inputs, { batchSize: 1, sequenceLength: 128, seed: 0 });
if (inputFile) {
  if (inputs.length !== 1 || inputs[0].type !== 'float32') throw new Error(`${model}: an inputs file needs exactly one float32 input`);
  const [only] = inputs;
  const seeded = feeds[only.name];
  if (existsSync(inputFile)) {
    const bytes = readFileSync(inputFile);
    if (bytes.byteLength !== seeded.data.byteLength) throw new Error(`${inputFile}: ${bytes.byteLength} bytes, the input needs ${seeded.data.byteLength}`);
    const data = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(data.buffer).set(bytes);
    feeds = { [only.name]: new ort.Tensor('float32', data, seeded.dims) };
  } else {
    writeFileSync(`${inputFile}.tmp`, new Uint8Array(seeded.data.buffer, seeded.data.byteOffset, seeded.data.byteLength));
    renameSync(`${inputFile}.tmp`, inputFile);
  }
}
for (let i = 0; i < Number(warmup); i++) await session.run(feeds);
const n = Number(iters);
const latenciesNs = new Array(n);
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const t0 = process.hrtime.bigint();
  await session.run(feeds);
  latenciesNs[i] = Number(process.hrtime.bigint() - t0);
}
const windowNs = Number(process.hrtime.bigint() - start);
await session.release();
const version = createRequire(import.meta.url)('onnxruntime-node/package.json').version;
process.stdout.write(`${JSON.stringify({ throughputPerS: n / (windowNs / 1e9), latenciesNs, windowNs, version, library: mappedLibrary() })}\n`);

/** The libonnxruntime this process mapped, with its SHA-256 (null when none is found). */
function mappedLibrary() {
  const line = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .find((l) => /\/libonnxruntime\.so[.\d]*$/.test(l));
  if (!line) return null;
  const path = realpathSync(line.slice(line.indexOf('/')));
  return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}
