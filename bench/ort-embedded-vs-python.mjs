// embeddedVsPythonOrtRatio: onnxruntime-node throughput (on the host, as the embedded runtime runs)
// / Python onnxruntime throughput (inside the onnxruntime CPU image, no CPU limit), same model,
// same session options, intra-op threads 1 and 2. Fresh process per run, order alternating.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpuImage } from './docker-setup.mjs';
import { benchDir, dockerExecJson, execOk, lastJson, log, median, removeContainer, repoRoot, round, startContainer } from './lib.mjs';

const modelFile = join(repoRoot, 'experiments', 'models', 'mobilenet_v2.pytorch.random-seed0.onnx');

export async function benchEmbeddedVsPython({ quick = false } = {}) {
  const image = await cpuImage('onnxruntime');
  const rounds = quick ? 2 : 6;
  const iters = quick ? 60 : 200;
  const warmup = 15;
  const container = await startContainer(image.imageId, {
    mounts: [
      { host: dirname(modelFile), container: '/models' },
      { host: join(benchDir, 'py'), container: '/bench' },
      { host: join(repoRoot, 'pipeline', 'testing', 'fixtures'), container: '/fixtures' },
    ],
  });
  const byThreads = {};
  const extra = {};
  const versions = {};
  try {
    for (const threads of [1, 2]) {
      const node = [];
      const python = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? ['node', 'python'] : ['python', 'node'];
        for (const kind of order) {
          if (kind === 'node') {
            const out = lastJson(
              (await execOk(process.execPath, [join(benchDir, 'ort-node-loop.mjs'), modelFile, String(threads), String(warmup), String(iters)])).stdout,
            );
            node.push(out);
            versions.onnxruntimeNode = out.version;
          } else {
            const out = await dockerExecJson(container, [
              'python3',
              '/bench/ort_loop.py',
              '--model',
              `/models/${modelFile.split('/').pop()}`,
              '--threads',
              String(threads),
              '--warmup',
              String(warmup),
              '--iters',
              String(iters),
            ]);
            python.push(out);
            versions.pythonOnnxruntime = out.version;
          }
        }
        log(`ort threads=${threads} round ${r}: node ${node.at(-1).throughputPerS.toFixed(1)}/s, python ${python.at(-1).throughputPerS.toFixed(1)}/s`);
      }
      const perRound = node.map((n, i) => n.throughputPerS / python[i].throughputPerS);
      // Best of N, as in the harness section: each side's least disturbed run.
      const best = (runs) => Math.max(...runs.map((x) => x.throughputPerS));
      byThreads[threads] = {
        ratio: round(best(node) / best(python)),
        medianOfRoundRatios: round(median(perRound)),
        perRoundRatios: perRound.map((x) => round(x)),
        nodeThroughputPerS: round(median(node.map((n) => n.throughputPerS)), 2),
        pythonThroughputPerS: round(median(python.map((p) => p.throughputPerS)), 2),
        nodeMedianLatencyMs: round(median(node.flatMap((n) => n.latenciesNs)) / 1e6, 3),
        pythonMedianLatencyMs: round(median(python.flatMap((p) => p.latenciesNs)) / 1e6, 3),
      };
    }
    extra.perCall = await perCallOverhead(container, quick);
    extra.resnet50 = await resnetRatio(container, quick);
  } finally {
    await removeContainer(container);
  }
  const ratios = Object.values(byThreads).map((t) => t.ratio);
  return {
    embeddedVsPythonOrtRatio: Math.min(...ratios),
    byThreads,
    versions,
    ...extra,
    model: 'experiments/models/mobilenet_v2.pytorch.random-seed0.onnx',
    image: image.tag,
    rounds,
    itersPerRun: iters,
    warmupPerRun: warmup,
    batchSize: 1,
  };
}

/** One run each way; `model` is a host path for Node and the same file under /models or /extra for Python. */
async function pair(container, hostModel, containerModel, threads, warmup, iters) {
  const node = lastJson(
    (await execOk(process.execPath, [join(benchDir, 'ort-node-loop.mjs'), hostModel, String(threads), String(warmup), String(iters)])).stdout,
  );
  const python = await dockerExecJson(container, [
    'python3',
    '/bench/ort_loop.py',
    '--model',
    containerModel,
    '--threads',
    String(threads),
    '--warmup',
    String(warmup),
    '--iters',
    String(iters),
  ]);
  return { node, python };
}

/**
 * What the binding itself costs per run(): a tiny graph (8x8 conv) where the kernels take
 * microseconds, so the difference in median latency is the call path (JS/N-API vs pybind11).
 */
async function perCallOverhead(container, quick) {
  const tiny = join(repoRoot, 'pipeline', 'testing', 'fixtures', 'tiny-conv.onnx');
  const rows = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) rows.push(await pair(container, tiny, '/fixtures/tiny-conv.onnx', 1, 200, 3000));
  const nodeUs = median(rows.map((x) => median(x.node.latenciesNs))) / 1000;
  const pythonUs = median(rows.map((x) => median(x.python.latenciesNs))) / 1000;
  return {
    model: 'pipeline/testing/fixtures/tiny-conv.onnx',
    nodeMedianUs: round(nodeUs, 2),
    pythonMedianUs: round(pythonUs, 2),
    nodeMinusPythonUs: round(nodeUs - pythonUs, 2),
  };
}

/** The same comparison on ResNet-50 (1 thread), when the harness section's prepared export is cached. */
async function resnetRatio(container, quick) {
  const cache = join(repoRoot, 'artifacts', 'models');
  const dirs = existsSync(cache)
    ? readdirSync(cache).filter((d) => d.startsWith('pytorch-resnet50-random-') && !d.includes('.') && existsSync(join(cache, d, 'model.onnx')))
    : [];
  if (dirs.length === 0) return { skipped: 'no prepared ResNet-50 export in artifacts/models (the harness section prepares one)' };
  const dir = dirs.sort((a, b) => statSync(join(cache, a)).mtimeMs - statSync(join(cache, b)).mtimeMs).at(-1); // newest image's export
  const id = (
    await execOk('docker', [
      'run',
      '-d',
      '--rm',
      '--network',
      'none',
      '--label',
      'greenrt.bench=1',
      '-v',
      `${join(cache, dir)}:/extra:ro`,
      '-v',
      `${join(benchDir, 'py')}:/bench:ro`,
      await containerImage(container),
      'sleep',
      'infinity',
    ])
  ).stdout.trim();
  try {
    const ratios = [];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      const { node, python } = await pair(id, join(cache, dir, 'model.onnx'), '/extra/model.onnx', 1, 3, quick ? 10 : 30);
      ratios.push(node.throughputPerS / python.throughputPerS);
    }
    return { threads: 1, ratio: round(median(ratios)), perRoundRatios: ratios.map((x) => round(x)), model: `artifacts/models/${dir}/model.onnx` };
  } finally {
    await removeContainer(id);
  }
}

async function containerImage(container) {
  return (await execOk('docker', ['inspect', '--format', '{{.Image}}', container])).stdout.trim();
}
