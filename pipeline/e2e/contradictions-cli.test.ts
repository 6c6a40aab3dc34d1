/**
 * Family 4 of the hostile-input corpus (issue 12): contradictions that `validate` must catch
 * without touching the host, instead of `run` failing later (or every trial failing), and the
 * embedded runtime honouring trialTimeoutS. Real CLI, temp folders.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialResult } from '../contracts/index.js';
import { sha256Hex } from '../core/index.js';
import { demoModel, ensureCliBuilt, readJson, runCli, runDirIn, tinyConv, writeExperiment } from './e2e-support.js';
import { tempDir } from '../testing/temp-dir.js';

let root: string;
beforeAll(() => {
  ensureCliBuilt();
  root = tempDir('greenrt-e2e-contra-');
}, 180_000);

/** An experiment whose prebuilt model file holds `bytes` (its sha256 right), with `extra` YAML. */
function experimentWith(name: string, o: { bytes?: Buffer; power?: string }): { file: string; artifacts: string } {
  const dir = join(root, name);
  const file = writeExperiment(dir, { name, repetitions: 1 });
  let yaml = readFileSync(file, 'utf8');
  if (o.bytes) {
    writeFileSync(join(dir, 'models', 'tiny-conv.onnx'), o.bytes);
    yaml = yaml.replace(/sha256: "[0-9a-f]{64}"/, `sha256: "${sha256Hex(o.bytes)}"`);
  }
  if (o.power) yaml = yaml.replace(/power:\n {2}sources: \[none\]\n/, `power:\n${o.power}\n`);
  writeFileSync(file, yaml);
  return { file, artifacts: join(dir, 'artifacts') };
}

async function refusedByValidateAndRun(e: { file: string; artifacts: string }, ...words: string[]): Promise<void> {
  for (const args of [
    ['validate', e.file],
    ['run', e.file, '--artifacts', e.artifacts],
  ]) {
    const r = await runCli(args);
    expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
    for (const w of words) expect(r.stderr).toContain(w);
  }
  expect(existsSync(e.artifacts)).toBe(false);
}

describe('family 4: contradictions validate catches', () => {
  it('power.required with only the "none" source', async () => {
    await refusedByValidateAndRun(
      experimentWith('req-none', { power: '  required: true\n  sources: [none]' }),
      '/power/required: power.required is true, but power.sources lists no source that measures ("none" measures nothing)',
    );
  });

  it('power.required with an empty source list', async () => {
    await refusedByValidateAndRun(experimentWith('req-empty', { power: '  required: true\n  sources: []' }), 'the list is empty');
  });

  it('power.required with host sources: valid, and validate says the host decides at run time', async () => {
    const r = await runCli(['validate', experimentWith('req-rapl', { power: '  required: true\n  sources: [rapl]' }).file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('power.required: whether rapl works is checked on the host when the run starts');
  });

  for (const [name, bytes, words] of [
    ['a text file named .onnx', Buffer.from('this is not a model\n'), 'byte 0 has wire type 4, which an ONNX model does not use'],
    ['a truncated ONNX file', readFileSync(tinyConv.file).subarray(0, 300), 'runs past the end of the file'],
    ['a zip archive (a PyTorch checkpoint)', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200)]), 'is not an ONNX model'],
    ['an empty file', Buffer.alloc(0), 'the file is empty'],
  ] as const) {
    it(`a prebuilt model that is not ONNX, right SHA-256: ${name}`, async () => {
      await refusedByValidateAndRun(experimentWith(name.replace(/\W+/g, '-'), { bytes: Buffer.from(bytes) }), 'is not an ONNX model', words);
    });
  }
});

describe('family 4: the embedded runtime honours trialTimeoutS', () => {
  it('a trial asked for 100 000 inferences with trialTimeoutS: 2 stops and fails "timed out after 2 s"', async () => {
    const dir = join(root, 'timeout');
    const file = writeExperiment(dir, {
      name: 'timeout',
      modelFile: demoModel.file,
      model: 'mobilenet_v2',
      repetitions: 1,
      measuredIterations: 100_000,
      extra: 'trialTimeoutS: 2',
    });
    const started = Date.now();
    const r = await runCli(['run', file, '--artifacts', join(dir, 'artifacts')], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(4);
    expect(Date.now() - started).toBeLessThan(45_000);
    const run = runDirIn(join(dir, 'artifacts'))!;
    const [trial] = (await import('node:fs')).readdirSync(join(run, 'trials'));
    const result = readJson<TrialResult>(join(run, 'trials', trial!));
    expect(result.status).toBe('failed');
    expect(result.reasons).toEqual(['timed out after 2 s']); // the docker and process runners' words for a timeout
    expect((await runCli(['verify', run])).code).toBe(0);
  }, 90_000);
});
