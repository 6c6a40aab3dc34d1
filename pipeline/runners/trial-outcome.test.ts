import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import { readPrepareOutcome, readTrialOutcome, type ProcessEnd } from './trial-outcome.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();
const dir = tempDir('greenrt-outcome-');

const end = (over: Partial<ProcessEnd> = {}): ProcessEnd => ({
  exitCode: 0,
  timedOut: false,
  timeoutMs: 1_800_000,
  oomKilled: false,
  memoryLimitMiB: 2048,
  logTail: 'line one\nlast words',
  ...over,
});
const okOutput = {
  schemaVersion: 1,
  trialId: 't1',
  status: 'ok',
  error: null,
  phases: { measure: { startNs: '10', endNs: '20' } },
  latenciesMs: [1.5],
  environment: { python: '3.11', framework: 'x', frameworkVersion: '1', device: 'cpu', providers: ['cpu'] },
};
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('readTrialOutcome', () => {
  it('ok output and exit 0: no failure', () => {
    const r = readTrialOutcome(end(), write('ok.json', okOutput), 't1', contracts);
    expect(r.failure).toBeNull();
    expect(r.output?.latenciesMs).toEqual([1.5]);
  });
  it('timeout and OOM win over whatever is on disk', () => {
    expect(readTrialOutcome(end({ timedOut: true, exitCode: null }), join(dir, 'none.json'), 't1', contracts).failure).toBe('timed out after 1800 s');
    expect(readTrialOutcome(end({ oomKilled: true, exitCode: 137 }), join(dir, 'none.json'), 't1', contracts).failure).toBe(
      'OOM-killed (memory limit 2048 MiB)',
    );
  });
  it('missing, non-JSON, invalid and foreign outputs', () => {
    expect(readTrialOutcome(end({ exitCode: 1 }), join(dir, 'none.json'), 't1', contracts).failure).toBe('exited 1 without output: last words');
    expect(readTrialOutcome(end(), write('bad.json', '{oops'), 't1', contracts).failure).toMatch(/^output does not match schema: not JSON/);
    expect(readTrialOutcome(end(), write('inv.json', { ...okOutput, latenciesMs: [-1] }), 't1', contracts).failure).toBe(
      'output does not match schema: /latenciesMs/0 must be >= 0',
    );
    expect(readTrialOutcome(end(), write('other.json', { ...okOutput, trialId: 't2' }), 't1', contracts).failure).toBe('output is for trial t2, expected t1');
  });
  it('failed status keeps the output and names the error; an ok output with a bad exit is still a failure', () => {
    const failed = readTrialOutcome(
      end({ exitCode: 3 }),
      write('failed.json', { ...okOutput, status: 'failed', error: { type: 'RuntimeError', message: 'CUDA missing' } }),
      't1',
      contracts,
    );
    expect(failed.output?.status).toBe('failed');
    expect(failed.failure).toBe('trial failed (exit 3): RuntimeError: CUDA missing');
    expect(readTrialOutcome(end({ exitCode: 1 }), write('ok2.json', okOutput), 't1', contracts).failure).toBe('exited 1 after writing an ok output');
  });
});

describe('readPrepareOutcome', () => {
  it('takes the harness JSON error line on exit 3', () => {
    const r = readPrepareOutcome(
      end({ exitCode: 3, logTail: 'Traceback...\n{"error": {"type": "OSError", "message": "no weights"}}' }),
      join(dir, 'none.json'),
      contracts,
    );
    expect(r.failure).toBe('prepare failed (exit 3): OSError: no weights');
  });

  it('says on exit 4 that pretrained weights differ from their pin, with the harness reason', () => {
    const r = readPrepareOutcome(
      end({ exitCode: 4, logTail: '{"error": {"type": "WeightsPinError", "message": "pretrained weights /x differ: sha256 a, the pin says b"}}' }),
      join(dir, 'none.json'),
      contracts,
    );
    expect(r.prepared).toBeNull();
    expect(r.failure).toBe(
      'prepare stopped (exit 4): pretrained weights differ from their catalogue pin: WeightsPinError: pretrained weights /x differ: sha256 a, the pin says b',
    );
  });
});
