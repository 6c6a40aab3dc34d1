// onnxruntime-node throughput with exactly the embedded runner's session options (see
// pipeline/runners/embedded/embedded-runner.ts). A fresh process per call, like ort_loop.py.
//   node bench/ort-node-loop.mjs <model.onnx> <threads> <warmup> <iters>   -> one JSON line
import ort from 'onnxruntime-node';
import { createRequire } from 'node:module';
import { makeSeededInputs } from '../dist/runners/embedded/seeded-inputs.js';

const [model, threads, warmup, iters] = process.argv.slice(2);
const session = await ort.InferenceSession.create(model, {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: Number(threads),
  interOpNumThreads: 1,
  executionMode: 'sequential',
});
const inputs = session.inputMetadata.map((m) => ({ name: m.name, type: m.type, dims: m.shape }));
const feeds = makeSeededInputs(inputs, { batchSize: 1, sequenceLength: 128, seed: 0 });
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
process.stdout.write(`${JSON.stringify({ throughputPerS: n / (windowNs / 1e9), latenciesNs, windowNs, version })}\n`);
