/**
 * trialTimeoutS applies to the embedded runtime as to the container runners: a real run loop
 * (runExperiment) with the real EmbeddedRunner on a real ONNX model, a measurement port that measures
 * nothing (FAKE: no power source here), and a trial that would take tens of seconds stopped at its
 * timeout and recorded exactly as the process runner records an entrypoint it killed at the timeout
 * (readTrialOutcome, shared with the docker runner; docker records the container's exit code 137).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts, type TrialResult } from '../contracts/index.js';
import { sha256Hex, silentProgress, systemClock } from '../core/index.js';
import { readTrialOutcome } from '../runners/index.js';
import { noPowerMeasurement, unavailableEnergy } from '../testing/fake-measurement.js';
import { runExperiment } from './run-experiment.js';
import { buildTrialResult } from './trial-result.js';
import { tempDir } from '../testing/temp-dir.js';

const tinyConv = fileURLToPath(new URL('../testing/fixtures/tiny-conv.onnx', import.meta.url));
const measurement = noPowerMeasurement;

describe('embedded trials past trialTimeoutS (real run loop, real onnxruntime-node)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('greenrt-embedded-timeout-');
    copyFileSync(tinyConv, join(dir, 'tiny-conv.onnx'));
    const lines = [
      'schemaVersion: 1',
      'name: embedded-timeout',
      'order: sequential',
      'runtimes:',
      '  - { name: embedded, providers: [cpu], sources: [pytorch] }',
      'models: [mobilenet_v2]',
      'batchSizes: [1]',
      'repetitions: 1',
      'warmupIterations: 1',
      // 10^6 inferences of tens of µs each: tens of seconds, far past the timeout
      'measuredIterations: 1000000',
      'trialTimeoutS: 0.5',
      'threads: 1',
      'power: { sources: [none], baselineS: 0 }',
      'prebuiltModels:',
      `  - { model: mobilenet_v2, source: pytorch, path: tiny-conv.onnx, sha256: "${sha256Hex(readFileSync(tinyConv))}" }`,
    ];
    writeFileSync(join(dir, 'timeout.yaml'), `${lines.join('\n')}\n`);
  });

  it('stops the trial at the timeout and records it as failed, as a timed-out process is recorded', async () => {
    const contracts = new Contracts();
    const started = Date.now();
    const outcome = await runExperiment(
      {
        contracts,
        clock: systemClock,
        progress: silentProgress,
        createMeasurement: async () => measurement,
        createFrameworkExecutor: async () => {
          throw new Error('no framework trials here');
        },
      },
      { experimentFile: join(dir, 'timeout.yaml'), artifactsDir: join(dir, 'artifacts'), confirmed: true, signal: new AbortController().signal },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(outcome.progress).toMatchObject({ total: 1, ok: 0, failed: 1 });
    const result = JSON.parse(readFileSync(join(outcome.runDir, 'trials', 'embedded.pytorch.mobilenet_v2.cpu.b1.r1.json'), 'utf8')) as TrialResult;
    expect(contracts.check('https://greenrt.dev/schemas/trial-result.schema.json', result)).toEqual([]);
    expect(result.runner.wallMs).toBeGreaterThanOrEqual(500);
    expect(result.runner.wallMs).toBeLessThan(10_000);

    // What the process runner returns for an entrypoint it killed at the same timeout (no output written).
    const killed = readTrialOutcome(
      { exitCode: null, timedOut: true, timeoutMs: 500, oomKilled: false, memoryLimitMiB: null, logTail: '' },
      join(dir, 'no-output.json'),
      result.trialId,
      contracts,
    );
    const processLike = buildTrialResult({
      runId: result.runId,
      trialId: result.trialId,
      orderIndex: result.orderIndex,
      config: result.config,
      runner: { kind: 'process' },
      execution: { ...killed, exitCode: null, startedNs: 0n, endedNs: 0n, wallMs: 0 },
      model: result.model,
      energy: unavailableEnergy,
      invalidReasons: [],
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
    });
    expect(killed.failure).toBe('timed out after 0.5 s');
    expect({ status: result.status, reasons: result.reasons, exitCode: result.runner.exitCode, latencies: result.timing }).toEqual({
      status: processLike.status,
      reasons: processLike.reasons,
      exitCode: processLike.runner.exitCode,
      latencies: processLike.timing,
    });
    expect(result.reasons).toEqual(['timed out after 0.5 s']);
  }, 120_000);
});
