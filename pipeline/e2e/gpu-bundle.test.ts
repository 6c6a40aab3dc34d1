/**
 * make gpu-bundle: the bundle builds, stays within 64 MiB, and runs `doctor` on a machine without
 * npm or node: only its own xz-compressed node, a PATH of a few basic tools, a fresh HOME, a temp dir.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
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
});
