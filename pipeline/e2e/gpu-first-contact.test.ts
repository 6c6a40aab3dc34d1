/**
 * scripts/gpu-first-contact.sh up to where it needs a GPU: on a host without one it writes its one text file
 * and stops with exit 3 saying so; the TensorFlow experiment it writes is a valid experiment.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../config/index.js';
import { Contracts, packageRoot } from '../contracts/index.js';
import { tempDir } from '../testing/temp-dir.js';

const script = join(packageRoot, 'scripts', 'gpu-first-contact.sh');
const hasNvidiaSmi = spawnSync('sh', ['-c', 'command -v nvidia-smi'], { encoding: 'utf8' }).stdout.trim() !== '';

describe('gpu-first-contact.sh', () => {
  it.skipIf(hasNvidiaSmi)('on a host without a GPU: exit 3, saying so, in the one file it writes', () => {
    const dir = tempDir('greenrt-first-contact-');
    const out = join(dir, 'first-contact.txt');
    const r = spawnSync('bash', [script, '--out', out], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('No NVIDIA GPU here: nvidia-smi is not on PATH.');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('=== 0. host');
    expect(text).toContain('needs an NVIDIA GPU and its driver; run it on the GPU host (exit 3)');
  });

  it('has --help, and refuses an unknown option with exit 2', () => {
    expect(spawnSync('bash', [script, '--help'], { encoding: 'utf8' }).stdout).toContain('--out FILE');
    const bad = spawnSync('bash', [script, '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown option --bogus');
  });

  it('times TensorFlow with a valid experiment (schema, combinations)', async () => {
    const text = readFileSync(script, 'utf8');
    const yaml = /<<'YAML'\n([\s\S]*?)\nYAML\n/.exec(text)![1]!;
    const file = join(tempDir('greenrt-first-contact-'), 'tf-jit.yaml');
    writeFileSync(file, `${yaml}\n`);
    const { spec } = await loadExperiment(file, new Contracts());
    expect(spec.runtimes[0]).toMatchObject({ name: 'tensorflow', providers: ['cuda'] });
    expect(spec.repetitions).toBe(2);
    expect(spec.trialTimeoutS).toBe(1800);
  });
});
