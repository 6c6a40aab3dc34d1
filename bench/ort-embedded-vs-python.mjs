// embeddedVsPythonOrtRatio: onnxruntime-node throughput (on the host, as the embedded runtime runs it:
// the npm package's own ONNX Runtime library, the embedded runner's session options) / Python
// onnxruntime throughput inside the onnxruntime CPU image (no CPU limit): same model, same input bytes,
// same session options, intra-op threads 1 and 2: the median of the per-round paired ratios with its 95 % interval
// (the worse thread count), and the same on ResNet-50 (1 thread); best-of-runs ratios are kept beside them.
// Beside it, in the same rounds, a third kind separates the two things that differ between the sides:
// Node on the image's own libonnxruntime (copied out of the image, put first by LD_LIBRARY_PATH). Its
// ratio to Python (sameLibraryRatio) is the call path alone (N-API binding vs pybind11, the same binary
// underneath); npm's library against the image's (npmBuildVsImageBuild) is the build alone: npm ships
// another build of the same release (with the WebGPU execution provider linked in, a 1.7x larger .text).
// Fresh process per run; the three kinds' order rotates every round.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { cpuImage, preparedPytorchModel } from './docker-setup.mjs';
import { benchDir, dockerExecJson, execOk, lastJson, log, median, pairedRatio, removeContainer, repoRoot, round, startContainer } from './lib.mjs';

const modelFile = join(repoRoot, 'experiments', 'models', 'mobilenet_v2.pytorch.random-seed0.onnx');

export async function benchEmbeddedVsPython({ quick = false } = {}) {
  const { bootstrapCi } = await import(join(repoRoot, 'dist', 'analysis', 'index.js'));
  const image = await cpuImage('onnxruntime');
  const rounds = quick ? 2 : 12;
  const iters = quick ? 60 : 200;
  const warmup = quick ? 15 : await studyWarmup();
  const work = join(repoRoot, 'artifacts', 'bench-ort');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'image-library'), { recursive: true });
  const container = await startContainer(image.imageId, {
    mounts: [
      { host: dirname(modelFile), container: '/models' },
      { host: join(benchDir, 'py'), container: '/bench' },
      { host: join(repoRoot, 'pipeline', 'testing', 'fixtures'), container: '/fixtures' },
      { host: work, container: '/work' },
    ],
  });
  const byThreads = {};
  const extra = {};
  const versions = {};
  try {
    let npmLibrary = null;
    const imageLibrary = await copyImageLibrary(container, join(work, 'image-library'));
    const sides = {
      node: { host: modelFile, inputs: join(work, 'mobilenet_v2.inputs.bin') },
      nodeImageLibrary: { host: modelFile, inputs: join(work, 'mobilenet_v2.inputs.bin'), env: { LD_LIBRARY_PATH: join(work, 'image-library') } },
      python: { container: `/models/${modelFile.split('/').pop()}`, inputs: '/work/mobilenet_v2.inputs.bin' },
    };
    // The inputs file is written by the first Node run (the embedded runner's seeded inputs).
    await runSide(container, sides.node, 1, 0, 1);
    for (const threads of [1, 2]) {
      const runs = { node: [], nodeImageLibrary: [], python: [] };
      for (let r = 0; r < rounds; r++) {
        const order = rotate(['node', 'nodeImageLibrary', 'python'], r);
        for (const kind of order) runs[kind].push(await runSide(container, sides[kind], threads, warmup, iters));
        const last = (k) => runs[k].at(-1).throughputPerS.toFixed(1);
        log(`ort threads=${threads} round ${r}: node ${last('node')}/s, node on the image's library ${last('nodeImageLibrary')}/s, python ${last('python')}/s`);
      }
      npmLibrary = checkLibraries(runs, imageLibrary);
      versions.onnxruntimeNode = runs.node[0].version;
      versions.pythonOnnxruntime = runs.python[0].version;
      byThreads[threads] = compareRuns(runs, bootstrapCi);
    }
    extra.libraries = {
      image: { file: imageLibrary.containerPath, sha256: imageLibrary.sha256 },
      npm: { file: npmLibrary.path.replace(`${repoRoot}/`, ''), sha256: npmLibrary.sha256 },
    };
    extra.perCall = await perCallOverhead(container, quick, work);
    extra.resnet50 = await resnetRatio(container, quick, work, bootstrapCi);
  } finally {
    await removeContainer(container);
  }
  const min = (key) => Math.min(...Object.values(byThreads).map((t) => t[key]));
  const worse = Object.values(byThreads).sort((a, b) => a.ratio - b.ratio)[0];
  return {
    embeddedVsPythonOrtRatio: worse.ratio,
    embeddedVsPythonOrtRatioCi95: worse.ratioCi95,
    embeddedVsPythonOrtRatioResnet50: extra.resnet50.ratio ?? null,
    embeddedVsPythonOrtRatioResnet50Ci95: extra.resnet50.ratioCi95 ?? null,
    embeddedSameLibraryVsPythonOrtRatio: min('sameLibraryRatio'),
    byThreads,
    versions,
    ...extra,
    model: 'experiments/models/mobilenet_v2.pytorch.random-seed0.onnx',
    image: image.tag,
    rounds,
    itersPerRun: iters,
    warmupPerRun: warmup,
    batchSize: 1,
    pinnedCpuOneThread: pinnedCpu,
  };
}

/**
 * Warm-up inferences per MobileNetV2 run: the study's own (experiments/paper.yaml `warmupIterations`, 100), so the
 * two sides are compared as a study measures them. With 15, a fresh process was still getting faster during the
 * 2-thread window, Node more than Python (12 runs each: the last quarter's median latency under the first quarter's
 * by a median of about 6 % in Node, 3 % in Python; why was not pinned down: V8's own threads used 0.2-0.4 % of the
 * CPU). The longer warm-up did not close the 2-thread gap, and it lowered the 1-thread figure (docs/PERFORMANCE.md).
 */
async function studyWarmup() {
  const { loadExperiment } = await import(join(repoRoot, 'dist', 'config', 'index.js'));
  const { Contracts } = await import(join(repoRoot, 'dist', 'contracts', 'index.js'));
  return (await loadExperiment(join(repoRoot, 'experiments', 'paper.yaml'), new Contracts())).spec.warmupIterations;
}

/**
 * The CPU every one-thread run is pinned to (the last; the host's own work tends to the first): on this VM the vCPUs
 * run at different speeds, and an unpinned process lands on either. Null on a one-CPU host. Two-thread runs are not
 * pinned (they need both CPUs).
 */
const pinnedCpu = availableParallelism() > 1 ? availableParallelism() - 1 : null;

/** Each kind's order in round r: the list rotated r places, so every kind runs first, middle and last. */
function rotate(kinds, r) {
  return kinds.map((_, i) => kinds[(i + r) % kinds.length]);
}

/**
 * One run of one side: Node on the host (with the side's environment) or Python in the container.
 * `side.inputs` is the raw float32 inputs file both sides read (host path for Node, /work path for Python).
 */
async function runSide(container, side, threads, warmup, iters) {
  // One thread: both sides on the same CPU (see pinnedCpu), so a pair compares the two bindings, not two vCPUs.
  const pin = threads === 1 && pinnedCpu !== null ? ['taskset', '-c', String(pinnedCpu)] : [];
  if (side.container) {
    const argv = [
      ...pin,
      'python3',
      '/bench/ort_loop.py',
      '--model',
      side.container,
      '--threads',
      String(threads),
      '--warmup',
      String(warmup),
      '--iters',
      String(iters),
    ];
    return dockerExecJson(container, side.inputs ? [...argv, '--input-file', side.inputs] : argv);
  }
  const args = [join(benchDir, 'ort-node-loop.mjs'), side.host, String(threads), String(warmup), String(iters)];
  if (side.inputs) args.push(side.inputs);
  const [command, ...rest] = [...pin, process.execPath, ...args];
  return lastJson((await execOk(command, rest, { env: { ...process.env, ...side.env } })).stdout);
}

/** The image's libonnxruntime (the one its Python package loads), copied to `dir` as libonnxruntime.so.1. */
async function copyImageLibrary(container, dir) {
  const found = await dockerExecJson(container, [
    'python3',
    '-c',
    'import glob, json, os, onnxruntime; d = os.path.join(os.path.dirname(onnxruntime.__file__), "capi"); print(json.dumps(sorted(glob.glob(os.path.join(d, "libonnxruntime.so.*")))))',
  ]);
  if (found.length !== 1) throw new Error(`expected one libonnxruntime.so.* in the image's onnxruntime package, found ${JSON.stringify(found)}`);
  await execOk('docker', ['cp', `${container}:${found[0]}`, join(dir, 'libonnxruntime.so.1')]);
  return { containerPath: found[0], hostPath: join(dir, 'libonnxruntime.so.1'), sha256: sha256(join(dir, 'libonnxruntime.so.1')) };
}

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Fails unless the Node runs mapped the library they were meant to; returns the npm runs' library. */
function checkLibraries(runs, imageLibrary) {
  for (const run of runs.nodeImageLibrary) {
    if (run.library?.sha256 !== imageLibrary.sha256)
      throw new Error(`the image-library Node run mapped ${JSON.stringify(run.library)}, not ${imageLibrary.hostPath}`);
  }
  const npm = runs.node[0].library;
  if (!npm || npm.sha256 === imageLibrary.sha256) throw new Error(`the npm Node run mapped ${JSON.stringify(npm)}; expected onnxruntime-node's own library`);
  return npm;
}

/**
 * Ratios of one thread count: the median of the per-round paired ratios with its 95 % bootstrap interval
 * (pairedRatio: how far this host's run-to-run noise lets one bench run pin the ratio down); the best-of-runs
 * ratio (each kind's least disturbed run) beside it.
 */
function compareRuns(runs, bootstrapCi) {
  const best = (kind) => Math.max(...runs[kind].map((x) => x.throughputPerS));
  const perRound = (a, b) => runs[a].map((x, i) => round(x.throughputPerS / runs[b][i].throughputPerS));
  const medianLatencyMs = (kind) => round(median(runs[kind].flatMap((x) => x.latenciesNs)) / 1e6, 3);
  const paired = pairedRatio(perRound('node', 'python'), bootstrapCi);
  return {
    ratio: paired.ratio,
    ratioCi95: paired.ci95,
    bestOfRunsRatio: round(best('node') / best('python')),
    sameLibraryRatio: round(median(perRound('nodeImageLibrary', 'python'))),
    // The npm build against the image's build, both under Node: the median of the per-round paired ratios, as the headline.
    npmBuildVsImageBuild: round(median(runs.node.map((x, i) => x.throughputPerS / runs.nodeImageLibrary[i].throughputPerS))),
    perRoundRatios: perRound('node', 'python'),
    sameLibraryPerRoundRatios: perRound('nodeImageLibrary', 'python'),
    nodeThroughputPerS: round(median(runs.node.map((x) => x.throughputPerS)), 2),
    nodeImageLibraryThroughputPerS: round(median(runs.nodeImageLibrary.map((x) => x.throughputPerS)), 2),
    pythonThroughputPerS: round(median(runs.python.map((x) => x.throughputPerS)), 2),
    nodeMedianLatencyMs: medianLatencyMs('node'),
    nodeImageLibraryMedianLatencyMs: medianLatencyMs('nodeImageLibrary'),
    pythonMedianLatencyMs: medianLatencyMs('python'),
  };
}

/** One run each way (Node as the embedded runtime runs), same input bytes; `hostModel` for Node, `containerModel` for Python. */
async function pair(container, work, name, hostModel, containerModel, threads, warmup, iters) {
  const inputs = { host: join(work, `${name}.inputs.bin`), container: `/work/${name}.inputs.bin` };
  const node = await runSide(container, { host: hostModel, inputs: inputs.host }, threads, warmup, iters);
  const python = await runSide(container, { container: containerModel, inputs: inputs.container }, threads, warmup, iters);
  return { node, python };
}

/**
 * What the binding itself costs per run(): a tiny graph (8x8 conv) where the kernels take
 * microseconds, so the difference in median latency is the call path (JS/N-API vs pybind11).
 */
async function perCallOverhead(container, quick, work) {
  const tiny = join(repoRoot, 'pipeline', 'testing', 'fixtures', 'tiny-conv.onnx');
  const rows = [];
  for (let r = 0; r < (quick ? 1 : 3); r++) rows.push(await pair(container, work, 'tiny-conv', tiny, '/fixtures/tiny-conv.onnx', 1, 200, 3000));
  const nodeUs = median(rows.map((x) => median(x.node.latenciesNs))) / 1000;
  const pythonUs = median(rows.map((x) => median(x.python.latenciesNs))) / 1000;
  return {
    model: 'pipeline/testing/fixtures/tiny-conv.onnx',
    nodeMedianUs: round(nodeUs, 2),
    pythonMedianUs: round(pythonUs, 2),
    nodeMinusPythonUs: round(nodeUs - pythonUs, 2),
  };
}

/** The same comparison on ResNet-50 (1 thread), on the export the harness section uses (prepared here when not cached). */
async function resnetRatio(container, quick, work, bootstrapCi) {
  const prepared = await preparedPytorchModel('resnet50');
  const onnx = prepared.onnxFile;
  if (!onnx || !existsSync(onnx) || dirname(onnx) !== prepared.dir) {
    throw new Error(`ResNet-50 was prepared in ${prepared.dir} without its model.onnx there: remove that folder and re-run`);
  }
  const id = await startContainer(await containerImage(container), {
    mounts: [
      { host: prepared.dir, container: '/extra' },
      { host: join(benchDir, 'py'), container: '/bench' },
      { host: work, container: '/work' },
    ],
  });
  try {
    const ratios = [];
    for (let r = 0; r < (quick ? 2 : 12); r++) {
      const { node, python } = await pair(id, work, 'resnet50', onnx, `/extra/${basename(onnx)}`, 1, 3, quick ? 10 : 30);
      ratios.push(node.throughputPerS / python.throughputPerS);
    }
    const paired = pairedRatio(ratios, bootstrapCi);
    return {
      threads: 1,
      ratio: paired.ratio,
      ratioCi95: paired.ci95,
      perRoundRatios: ratios.map((x) => round(x)),
      model: relative(repoRoot, onnx),
    };
  } finally {
    await removeContainer(id);
  }
}

async function containerImage(container) {
  return (await execOk('docker', ['inspect', '--format', '{{.Image}}', container])).stdout.trim();
}
