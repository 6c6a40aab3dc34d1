/**
 * The four cuda images on the real Docker engine, on a host with no GPU and no NVIDIA registry: built
 * from the local Debian base and hash-locked PyPI wheels through `greenrt images build --flavour cuda`,
 * then checked inside each with `greenrt images check` (every library resolves but the driver's, the
 * framework is a CUDA build, its kernel architectures are recorded). A derived image with the CUDA
 * wheels off the loader path must fail the check. The TensorRT variant, which needs NVIDIA's own
 * index, is refused with the reason by `images build` and by a run's pre-flight, before anything runs.
 * Slow on a fresh host (the images are about 18 GB of wheels and libraries); seconds once built.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DockerEngine } from '../docker/index.js';
import { buildFromContext, contextFromEntries, describeImage, type CudaBuildInfo, type ImageCheckResult } from '../images/index.js';
import { connectDockerOrSkip } from '../testing/docker-test-image.js';
import { ensureCliBuilt, runCli, writeExperiment, type CliResult } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';
import { compileSharedLibrary, findCompiler } from '../testing/c-compiler.js';

const run = promisify(execFile);
/** The TensorRT release requirements-tensorrt.in pins (tensorrt-cu12-libs==X). */
const TENSORRT_PIN = /^tensorrt-cu12-libs==(\S+)$/m.exec(
  readFileSync(fileURLToPath(new URL('../../images/onnxruntime/requirements-tensorrt.in', import.meta.url)), 'utf8'),
)![1]!;
const engine = await connectDockerOrSkip('gpu images');
const RUNTIMES = ['pytorch', 'tensorflow', 'mxnet', 'onnxruntime'] as const;

/** What each framework's build must say about GPU kernels (sm_XY machine code, compute_XY PTX). */
const EXPECTED: Record<(typeof RUNTIMES)[number], { cuda: string; has: string[]; lacks: string[] }> = {
  // torch 2.6.0+cu124: SASS for Maxwell to Hopper, nothing for Blackwell.
  pytorch: { cuda: '12.4', has: ['sm_50', 'sm_80', 'sm_86', 'sm_90'], lacks: ['sm_100', 'sm_120'] },
  // TensorFlow 2.15.1: SASS up to sm_75, PTX for compute_80: Ampere and newer JIT-compile.
  tensorflow: { cuda: '12.2', has: ['sm_75', 'compute_80'], lacks: ['sm_90', 'compute_90'] },
  // mxnet-cu112 1.9.1: SASS for sm_50/60/70/80/86 and no PTX: nothing runs on Hopper.
  mxnet: { cuda: '11.2', has: ['sm_50', 'sm_60', 'sm_70', 'sm_80', 'sm_86'], lacks: ['sm_90', 'compute_80', 'compute_86', 'compute_90'] },
  // onnxruntime-gpu 1.26.0's CUDA provider (as 1.21.0's): SASS sm_60 to sm_90 and compute_90 PTX.
  onnxruntime: { cuda: '12.4', has: ['sm_60', 'sm_86', 'sm_90', 'compute_90'], lacks: ['sm_50'] },
};

describe.skipIf(!engine)('cuda images: built without a GPU or a registry, checked inside', () => {
  const e = engine as DockerEngine;
  let build: CliResult;
  const tags = new Map<string, string>();

  beforeAll(async () => {
    ensureCliBuilt();
    build = await runCli(['images', 'build', '--flavour', 'cuda'], { timeoutMs: 50 * 60_000 });
    for (const line of build.stdout.split('\n')) {
      const tag = /^(greenrt\/([a-z]+):cuda-[0-9a-f]{12})\s/.exec(line);
      if (tag) tags.set(tag[2]!, tag[1]!);
    }
    console.log(`greenrt images build --flavour cuda (exit ${build.code}):\n${build.stdout}`);
  }, 55 * 60_000);

  it('builds all four with `greenrt images build --flavour cuda`', () => {
    if (build.code !== 0) console.error(build.stderr.slice(-6000));
    expect(build.code).toBe(0);
    expect([...tags.keys()].sort()).toEqual([...RUNTIMES].sort());
  });

  it.each(RUNTIMES)('%s: `greenrt images check` passes inside the image, without a GPU', async (runtime) => {
    const result = await runCli(['images', 'check', tags.get(runtime)!, '--json'], { timeoutMs: 10 * 60_000 });
    const check = JSON.parse(result.stdout) as ImageCheckResult;
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    expect(check.ok).toBe(true);
    const record = check.record!;
    expect(record.problems).toEqual([]);
    expect(record.cuda).toBe(EXPECTED[runtime].cuda);
    expect(record.librariesChecked).toBeGreaterThan(3);
    for (const arch of EXPECTED[runtime].has) expect(record.archs, `${runtime} ${arch}`).toContain(arch);
    for (const arch of EXPECTED[runtime].lacks) expect(record.archs, `${runtime} ${arch}`).not.toContain(arch);
    expect(record.minDriver).toBe(runtime === 'mxnet' ? '450.80.02' : '525.60.13');
    if (runtime === 'onnxruntime') {
      // The TensorRT probe: the provider's built-against TensorRT is read from the real library and is the
      // release requirements-tensorrt.in pins; no TensorRT here, by design in the cuda flavour.
      const trt = record.tensorrt!;
      expect(trt.builtAgainst).toBe('10.14.1');
      expect(TENSORRT_PIN.startsWith(`${trt.builtAgainst}.`)).toBe(true);
      expect(trt.resolved).toEqual({ 'libnvinfer.so.10': null, 'libnvonnxparser.so.10': null });
      expect(trt.session).toMatchObject({ verdict: 'tensorrt-missing', detail: expect.stringContaining('libnvinfer.so.10: cannot open shared object file') });
    }
  });

  it.each(RUNTIMES)(
    '%s: the harness tests (and the adapter tests, on the CPU, where the framework imports without a driver) pass inside the cuda image',
    async (runtime) => {
      // import mxnet needs libcuda.so.1, so its adapter tests cannot run without a GPU; the harness's can.
      const dirs = runtime === 'mxnet' ? ['/opt/greenrt/common/tests'] : ['/opt/greenrt/common/tests', '/opt/greenrt/runtime/tests'];
      const { stdout } = await run(
        'docker',
        ['run', '--rm', '--network', 'none', tags.get(runtime)!, 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...dirs],
        {
          timeout: 10 * 60_000,
          maxBuffer: 16 * 2 ** 20,
        },
      ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` }));
      expect(stdout, runtime).toMatch(/\d+ passed/);
      expect(stdout, runtime).not.toMatch(/\d+ (failed|error)/);
    },
    12 * 60_000,
  );

  it(
    "the fatbin reader agrees with the frameworks' own lists (PyTorch exactly; TensorFlow adds the sm_80 SASS a few kernels carry)",
    async () => {
      type CheckRecord = CudaBuildInfo & { archsInBinary: string[]; archsInBinaryCounts: Record<string, number> };
      const record = async (runtime: string) =>
        (JSON.parse((await runCli(['images', 'check', tags.get(runtime)!, '--json'])).stdout) as ImageCheckResult).record as CheckRecord;
      const torch = await record('pytorch');
      expect(torch.archsInBinary).toEqual(torch.archs);
      const tf = await record('tensorflow');
      expect(tf.archsInBinary.filter((a) => a !== 'sm_80')).toEqual(tf.archs);
      expect(tf.archsInBinaryCounts.compute_80!).toBeGreaterThan(tf.archsInBinaryCounts.sm_80 ?? 0);
    },
    5 * 60_000,
  );

  it(
    'the image keeps its build record, and greenrt reads it when describing the image',
    async () => {
      const tf = await describeImage(e, tags.get('tensorflow')!);
      expect(tf.cuda?.archs).toContain('compute_80');
      expect(tf.cuda?.minDriverPtxJit).toBe('535.54.03');
      const ort = await describeImage(e, tags.get('onnxruntime')!);
      expect(Object.keys(ort.cuda?.knownUnavailable ?? {})).toEqual(['libonnxruntime_providers_tensorrt.so']);
      // import mxnet needs the driver: the harness cannot describe the mxnet cuda image, its build record can.
      const mx = await describeImage(e, tags.get('mxnet')!);
      expect(mx.harnessError).toMatch(/libcuda\.so\.1/);
      expect(mx.cuda?.archs).toEqual(['sm_50', 'sm_60', 'sm_70', 'sm_80', 'sm_86']);
    },
    5 * 60_000,
  );

  it(
    'fails an image whose CUDA wheels are off the loader path (exit 4, naming the libraries)',
    async () => {
      const ctx = contextFromEntries(
        [
          {
            path: 'Dockerfile',
            type: 'file',
            data: Buffer.from(`FROM ${tags.get('onnxruntime')}\nUSER 0\nRUN rm /etc/ld.so.conf.d/greenrt-cuda.conf && ldconfig\nUSER greenrt\n`),
          },
        ],
        {},
        'greenrt-test/broken-ort',
        'cuda',
      );
      await buildFromContext(e, ctx, { labels: { 'dev.greenrt.runtime': 'onnxruntime', 'dev.greenrt.flavour': 'cuda' } });
      try {
        const result = await runCli(['images', 'check', ctx.tag], { timeoutMs: 5 * 60_000 });
        expect(result.code).toBe(4);
        expect(result.stdout).toContain('FAILED');
        expect(result.stdout).toMatch(/PROBLEM: .*libonnxruntime_providers_cuda\.so: unresolved .*libcublasLt\.so\.12/);
        expect(result.stdout).toMatch(
          /PROBLEM: CUDA session: ORT cannot load \S*\/libonnxruntime_providers_cuda\.so: lib\S+\.so\.\d+: cannot open shared object file/,
        );
      } finally {
        await e.docker
          .getImage(ctx.tag)
          .remove({ force: true })
          .catch(() => undefined);
      }
    },
    10 * 60_000,
  );

  /** A tensorrt-labelled image from the onnxruntime cuda image, with FAKE TensorRT libraries (or none) on the loader path. */
  async function checkTensorrtVariant(fake: { version: number; withoutPluginRegistry?: boolean } | null): Promise<CliResult & { check: ImageCheckResult }> {
    const entries: { path: string; type: 'file'; data: Buffer }[] = [];
    let dockerfile = `FROM ${tags.get('onnxruntime')}\n`;
    if (fake) {
      const cc = findCompiler()!;
      const dir = tempDir('greenrt-fake-trt-');
      const src = fileURLToPath(new URL('../testing/fake-libnvinfer.c', import.meta.url));
      const defines = [`VERSION=${fake.version}`, ...(fake.withoutPluginRegistry ? ['WITHOUT_PLUGIN_REGISTRY'] : [])];
      for (const soname of ['libnvinfer.so.10', 'libnvonnxparser.so.10']) {
        compileSharedLibrary(cc, src, join(dir, soname), { soname, defines });
        entries.push({ path: soname, type: 'file', data: readFileSync(join(dir, soname)) });
      }
      dockerfile +=
        'USER 0\nCOPY libnvinfer.so.10 libnvonnxparser.so.10 /opt/fake-tensorrt/\n' +
        'RUN echo /opt/fake-tensorrt > /etc/ld.so.conf.d/zz-fake-tensorrt.conf && ldconfig\nUSER greenrt\n';
    }
    const ctx = contextFromEntries([{ path: 'Dockerfile', type: 'file', data: Buffer.from(dockerfile) }, ...entries], {}, 'greenrt-test/trt-probe', 'tensorrt');
    await buildFromContext(e, ctx, { labels: { 'dev.greenrt.runtime': 'onnxruntime', 'dev.greenrt.flavour': 'tensorrt' } });
    try {
      const text = await runCli(['images', 'check', ctx.tag], { timeoutMs: 5 * 60_000 });
      const json = await runCli(['images', 'check', ctx.tag, '--json'], { timeoutMs: 5 * 60_000 });
      return { ...text, check: JSON.parse(json.stdout) as ImageCheckResult };
    } finally {
      await e.docker
        .getImage(ctx.tag)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }

  it.skipIf(!findCompiler())(
    'the TensorRT variant check fails without libnvinfer, and on a libnvinfer of another release (a FAKE one), naming both versions and the fix',
    async () => {
      const none = await checkTensorrtVariant(null);
      expect(none.code).toBe(4);
      expect(none.stdout).toContain('PROBLEM: TensorRT provider: libnvinfer.so.10 is not found by the loader');
      expect(none.stdout).toContain('PROBLEM: TensorRT session: tensorrt-missing: libnvinfer.so.10: cannot open shared object file');
      expect(none.stdout).toContain('TensorRT provider: built against 10.14.1, loads none');

      const older = await checkTensorrtVariant({ version: 100800 });
      expect(older.code).toBe(4);
      expect(older.stdout).toContain(
        'PROBLEM: TensorRT provider: built against TensorRT 10.14.1 but libnvinfer is 10.8.0; pin tensorrt-cu12-libs 10.14.* (images/onnxruntime/requirements-tensorrt.in)',
      );
      expect(older.check.record?.tensorrt?.resolved?.['libnvinfer.so.10']).toBe('/opt/fake-tensorrt/libnvinfer.so.10');

      const lacking = await checkTensorrtVariant({ version: 101401, withoutPluginRegistry: true });
      expect(lacking.code).toBe(4);
      expect(lacking.stdout).toMatch(
        /PROBLEM: TensorRT session: tensorrt-mismatch: \S+libonnxruntime_providers_tensorrt\.so: undefined symbol: getPluginRegistry/,
      );
    },
    15 * 60_000,
  );

  it.skipIf(!findCompiler())(
    'the TensorRT variant check passes a matching libnvinfer (a FAKE 10.14.1) on a host without a driver',
    async () => {
      const matching = await checkTensorrtVariant({ version: 101401 });
      if (matching.code !== 0) console.error(matching.stdout, matching.stderr);
      expect(matching.code).toBe(0);
      const trt = matching.check.record?.tensorrt;
      expect(trt).toMatchObject({ builtAgainst: '10.14.1', loaded: '10.14.1' });
      // Without a driver the session cannot start TensorRT: it fails on the driver, or the provider crashes once
      // every library loaded (the FAKE returns no plugin registry); neither is a TensorRT library problem.
      expect(['driver-only', 'crashed-after-load']).toContain(trt?.session?.verdict);
    },
    10 * 60_000,
  );

  it(
    'shows what a hostile image prints escaped: no raw control characters reach the terminal',
    async () => {
      const hostile = JSON.stringify({
        runtime: 'onnxruntime',
        flavour: 'cuda',
        cuda: '12.4\u001b]0;owned\u0007',
        cudnn: null,
        archs: ['sm_90'],
        archSource: 'x',
        minDriver: null,
        knownUnavailable: {},
        librariesChecked: 1,
        problems: ['\u001b[2J\u001b[31mred\r'],
        ok: false,
      });
      const script = `import sys\nprint(${JSON.stringify(hostile)})\nsys.exit(1)\n`;
      const ctx = contextFromEntries(
        [
          {
            path: 'Dockerfile',
            type: 'file',
            data: Buffer.from(`FROM ${tags.get('onnxruntime')}\nCOPY cuda_check.py /opt/greenrt/common/docker/cuda_check.py\n`),
          },
          { path: 'cuda_check.py', type: 'file', data: Buffer.from(script) },
        ],
        {},
        'greenrt-test/hostile-check',
        'cuda',
      );
      await buildFromContext(e, ctx, { labels: { 'dev.greenrt.runtime': 'onnxruntime', 'dev.greenrt.flavour': 'cuda' } });
      try {
        const result = await runCli(['images', 'check', ctx.tag], { timeoutMs: 5 * 60_000 });
        expect(result.code).toBe(4);
        expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
        expect(result.stdout).toContain('PROBLEM: \\x1b[2J\\x1b[31mred\\r');
        expect(result.stdout).toContain('CUDA 12.4\\x1b]0;owned\\x07');
      } finally {
        await e.docker
          .getImage(ctx.tag)
          .remove({ force: true })
          .catch(() => undefined);
      }
    },
    10 * 60_000,
  );

  it('refuses to check a cpu image or an unknown one (exit 2)', async () => {
    const cpu = await runCli(['images', 'check', 'greenrt/debian:bookworm']);
    expect(cpu.code).toBe(2);
    expect(cpu.stderr).toContain('was not built by greenrt images build');
    const unknown = await runCli(['images', 'check', 'greenrt/nothing:here']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('is not on this Docker engine');
  });
});

describe.skipIf(!engine)("the TensorRT variant needs NVIDIA's index: refused up front where it is unreachable", () => {
  let root = '';
  let closedIndex = '';
  beforeAll(async () => {
    ensureCliBuilt();
    root = tempDir('greenrt-trt-');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedIndex = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  const env = () => ({ GREENRT_NVIDIA_INDEX: closedIndex });

  it('`images build --flavour tensorrt` says why and what to do (exit 3)', async () => {
    const result = await runCli(['images', 'build', '--flavour', 'tensorrt'], { env: env() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`NVIDIA's package index ${closedIndex} is not reachable`);
    expect(result.stderr).toContain('PyPI carries no TensorRT library');
    expect(result.stderr).toContain('docker save / docker load');
  });

  it('`images build pytorch --flavour tensorrt` is bad input (exit 2): TensorRT is an onnxruntime provider', async () => {
    const result = await runCli(['images', 'build', 'pytorch', '--flavour', 'tensorrt'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runtime "pytorch" has no tensorrt flavour');
  });

  it('a run with tensorrt trials stops before any trial, writing nothing (exit 3)', async () => {
    const file = writeExperiment(root, {
      name: 'trt-plan',
      moreRuntimes: ['  - name: onnxruntime', '    providers: [tensorrt]', '    sources: [pytorch]'],
    });
    const artifacts = join(root, 'artifacts');
    const result = await runCli(['run', file, '--artifacts', artifacts], { env: env() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The TensorRT variant of the onnxruntime image cannot be built on this host');
    expect(existsSync(artifacts)).toBe(false);
  });
});
