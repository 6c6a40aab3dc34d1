/**
 * make gpu-bundle: the bundle builds, stays within 64 MiB, and runs `doctor` on a machine without
 * npm or node: only its own xz-compressed node, a PATH of a few basic tools, a fresh HOME, a temp dir.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';

const which = (t: string) => spawnSync('sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim();
const tools = ['bash', 'dirname', 'mkdir', 'chmod', 'mv', 'mktemp', 'xz', 'python3', 'cat'];

describe.skipIf(!which('xz'))('gpu bundle', () => {
  let dir: string;
  let bundle: string;
  let buildMs = 0;
  beforeAll(async () => {
    dir = tempDir('greenrt-gpu-bundle-');
    bundle = join(dir, 'gpu-bundle');
    const started = Date.now();
    // Asynchronous: the build takes about a minute (xz -9), and a worker blocked that long misses vitest's RPC deadline.
    await promisify(execFile)(process.execPath, [join(packageRoot, 'scripts', 'gpu-bundle.mjs'), bundle], { cwd: packageRoot, maxBuffer: 16 * 2 ** 20 }).catch(
      (error: { code?: number; stderr?: string }) => {
        throw new Error(`gpu-bundle failed (${String(error.code)}): ${error.stderr ?? ''}`);
      },
    );
    buildMs = Date.now() - started;
  }, 600_000);

  it('stays within 64 MiB and records its size', () => {
    const summary = JSON.parse(readFileSync(join(bundle, 'bundle.json'), 'utf8')) as { totalBytes: number; node: string };
    expect(summary.totalBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(summary.node).toMatch(/^v20\./);
    // The first-contact script travels with the bundle (it finds run-gpu-check.sh beside it).
    expect(readFileSync(join(bundle, 'gpu-first-contact.sh'), 'utf8')).toContain('greenrt gpu-first-contact');
    console.info(`[gpu-bundle] ${summary.totalBytes} bytes, built in ${buildMs} ms`);
  });

  it('runs doctor, and doctor --measure (exit 3 without a GPU), with no npm or node on PATH and a fresh HOME', () => {
    const host = join(dir, 'host');
    const bin = join(host, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const t of tools) symlinkSync(which(t), join(bin, t));
    const copy = join(host, 'bundle');
    cpSync(bundle, copy, { recursive: true });
    const env = { PATH: bin, HOME: join(host, 'home'), GREENRT_PYTHON: '/nonexistent/python3' };
    expect(spawnSync('bash', ['-c', 'command -v npm || command -v npx || command -v node'], { env, encoding: 'utf8' }).stdout).toBe('');
    const doctor = spawnSync(join(bin, 'bash'), [join(copy, 'run-gpu-check.sh'), 'doctor'], { cwd: host, env, encoding: 'utf8', timeout: 120_000 });
    expect(doctor.stdout).toContain('Power sources:');
    expect([0, 3]).toContain(doctor.status);
    const measure = spawnSync(join(bin, 'bash'), [join(copy, 'run-gpu-check.sh'), '--artifacts', join(host, 'artifacts')], {
      cwd: host,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (!which('nvidia-smi')) {
      expect(measure.status).toBe(3);
      expect(measure.stdout).toContain('[MISS] NVIDIA GPU and driver');
    }
  }, 300_000);

  // FAKE GPU host: the C stand-in libnvidia-ml (pipeline/testing/fake-libnvidia-ml.c) on LD_LIBRARY_PATH, and a
  // Python whose torch and torchvision are labelled fakes (numpy and jsonschema are the real ones).
  it.skipIf(!which('cc') || which('nvidia-smi') !== '')(
    'on a fake-GPU host the bundle takes the process runner and gets past the parts check',
    () => {
      const host = join(dir, 'fake-gpu-host');
      const bin = join(host, 'bin');
      const lib = join(host, 'lib');
      const py = join(host, 'python');
      for (const d of [bin, lib, join(py, 'torch'), join(py, 'torchvision')]) mkdirSync(d, { recursive: true });
      for (const t of tools) symlinkSync(which(t), join(bin, t));
      const src = fileURLToPath(new URL('../testing/fake-libnvidia-ml.c', import.meta.url));
      spawnSync(which('cc'), ['-shared', '-fPIC', '-O1', '-o', join(lib, 'libnvidia-ml.so.1'), src], { encoding: 'utf8' });
      writeFileSync(
        join(py, 'torch', '__init__.py'),
        [
          '"""FAKE (tests only): a CUDA torch that has no GPU behind it; any real use fails."""',
          '__version__ = "2.6.0+fake"',
          'class version:',
          '    cuda = "12.4"',
          'class cuda:',
          '    @staticmethod',
          '    def is_available(): return True',
          '    @staticmethod',
          '    def get_device_name(index=0): return "Fake H100"',
          'def __getattr__(name): raise RuntimeError(f"FAKE torch has no {name}")',
          '',
        ].join('\n'),
      );
      // FAKE nvidia-smi: answers `-L` like the fake library's GPU (the cuda pre-flight asks it); nothing else.
      writeFileSync(
        join(bin, 'nvidia-smi'),
        '#!/bin/sh\n# FAKE (tests only)\n[ "$1" = "-L" ] && { echo "GPU 0: Fake H100 (UUID: GPU-fake-0)"; exit 0; }\necho "FAKE nvidia-smi: only -L" >&2; exit 9\n',
        { mode: 0o755 },
      );
      writeFileSync(join(py, 'torchvision', '__init__.py'), '"""FAKE (tests only)."""\n__version__ = "0.21.0+fake"\n');
      const copy = join(host, 'bundle');
      cpSync(bundle, copy, { recursive: true });
      // The interpreter itself (a version manager's shim needs its own environment).
      const python = spawnSync('python3', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).stdout.trim();
      const env = { PATH: bin, HOME: join(host, 'home'), LD_LIBRARY_PATH: lib, PYTHONPATH: py, FAKE_NVML_PROCESSES: '0', GREENRT_PYTHON: python };
      const measure = spawnSync(join(bin, 'bash'), [join(copy, 'run-gpu-check.sh'), '--artifacts', join(host, 'artifacts'), '--idle-seconds', '0'], {
        cwd: host,
        env,
        encoding: 'utf8',
        timeout: 240_000,
      });
      const out = `${measure.stdout}\n${measure.stderr}`;
      expect(measure.stdout).toContain('[ ok ] NVIDIA GPU and driver: 1 GPU(s) via nvml, driver 999.99-fake');
      expect(measure.stdout).toContain(`[ ok ] Python torch >= 2.5 on CUDA (${python}): torch 2.6.0+fake, CUDA 12.4, device Fake H100`);
      expect(measure.stdout).toContain('[ ok ] Python jsonschema');
      expect(measure.stdout).not.toContain('[MISS]');
      expect(measure.stdout).not.toContain('Docker with GPU access'); // --runner process: Docker is not asked
      expect(measure.stdout).toContain('Runner: process.');
      // Past the parts check: the fake torch cannot prepare a model, so the trials fail (exit 4), never exit 3.
      expect(out).not.toContain('cannot run: missing');
      // The trial's Python imports what the parts probe saw (the inherited PYTHONPATH is kept): here the fake torch.
      expect(out).toContain('could not be prepared: prepare failed (exit 3): RuntimeError: FAKE torch has no');
      expect(measure.status).toBe(4);
    },
    300_000,
  );
});
