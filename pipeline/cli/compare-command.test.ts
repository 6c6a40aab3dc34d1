import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contracts } from '../contracts/index.js';
import { FAKE_LATENCY_MS, fakeStudyResults, fakeTrialResult, writeFakeRun } from '../testing/trial-results.js';
import { compareCommand, parseTolerance } from './compare-command.js';
import { tempDir } from '../testing/temp-dir.js';

const contracts = new Contracts();
const artifacts = tempDir('greenrt-compare-');
const runs: Record<string, string> = {};
const allBut = (model: string) => Object.keys(FAKE_LATENCY_MS).filter((k) => !k.includes(model));

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: (t: string) => {
      out.stdout += t;
    },
    stderr: (t: string) => {
      out.stderr += t;
    },
  };
  return { out, io };
}

beforeAll(async () => {
  // A and B: same fake study, different seeds (same expected values: B reproduces A).
  runs.a = await writeFakeRun(artifacts, 'cmp-a', fakeStudyResults({ repetitions: 4, seed: 1 }), contracts);
  runs.b = await writeFakeRun(artifacts, 'cmp-b', fakeStudyResults({ repetitions: 4, seed: 500 }), contracts);
  // 30% slower everywhere: beyond any tolerance below 0.3 and beyond the intervals.
  runs.slow = await writeFakeRun(artifacts, 'cmp-slow', fakeStudyResults({ repetitions: 4, seed: 900, latencyScale: 1.3 }), contracts);
  // Same latencies, no energy.
  runs.noEnergy = await writeFakeRun(artifacts, 'cmp-noenergy', fakeStudyResults({ repetitions: 4, seed: 1, energy: 'unavailable' }), contracts);
  // Only the MobileNet half of the matrix; and only BERT (nothing shared).
  runs.half = await writeFakeRun(artifacts, 'cmp-half', fakeStudyResults({ repetitions: 4, seed: 3, omit: allBut('mobilenet') }), contracts);
  runs.cpu = await writeFakeRun(
    artifacts,
    'cmp-cpu',
    [1, 2, 3].map((repetition) =>
      fakeTrialResult({
        config: { runtime: 'embedded', model: 'mobilenet_v2', provider: 'cpu', batchSize: 1, repetition },
        latencyMs: 39,
        seed: repetition,
        orderIndex: repetition - 1,
      }),
    ),
    contracts,
  );
  mkdirSync(join(artifacts, 'not-a-run'));
}, 60_000);

describe('greenrt compare', () => {
  it('exit 0 when B reproduces A, with the table, the rule and the verdict', async () => {
    const { out, io } = capture();
    expect(await compareCommand(runs.a!, runs.b!, { tolerance: '0.1', metric: 'both' }, io)).toBe(0);
    expect(out.stdout).toContain('configuration');
    expect(out.stdout).toMatch(/pytorch\/pytorch\/resnet50\/cuda\/b1\s+latency \(ms\)\s+5\.\d+ \[/);
    expect(out.stdout).toContain('Rule (tolerance 10%): For each configuration in both runs');
    expect(out.stdout).toContain('VERDICT: B reproduces A: all 56 configuration-metric(s) agree');
    expect(out.stderr).toBe('');
  });

  it('exit 4 when B is 30% slower, naming the configurations that differ beyond their intervals', async () => {
    const { out, io } = capture();
    expect(await compareCommand(runs.a!, runs.slow!, { tolerance: '10%', metric: 'latency' }, io)).toBe(4);
    expect(out.stdout).toMatch(/VERDICT: B does NOT reproduce A: 28 of 28 configuration-metric\(s\) fail/);
    expect(out.stdout).toMatch(/Differ beyond their confidence intervals \(28\)/);
    expect(out.stdout).toMatch(/pytorch\/pytorch\/resnet50\/cuda\/b64\s+latency \(ms\).*1\.3\d*\s+NO\s+.*DIFFERS/);
  });

  it('a tolerance wide enough accepts the same runs (exit 0)', async () => {
    const { io } = capture();
    expect(await compareCommand(runs.a!, runs.slow!, { tolerance: '0.35', metric: 'latency' }, io)).toBe(0);
  });

  it('JSON output carries every row and the verdict', async () => {
    const { out, io } = capture();
    expect(await compareCommand(runs.a!, runs.slow!, { tolerance: '0.1', metric: 'energy', json: true }, io)).toBe(4);
    const json = JSON.parse(out.stdout);
    expect(json.reproduces).toBe(false);
    expect(json.rows).toHaveLength(28);
    expect(json.rows[0]).toMatchObject({ metric: 'energy', unit: 'J', verdict: 'differs' });
    expect(json.rows[0].ratio).toBeGreaterThan(1.2);
    expect(typeof json.rows[0].mannWhitneyP).toBe('number');
  });

  it('energy A has and B lacks fails the reproduction (exit 4); energy A lacks is bad input (exit 2)', async () => {
    const b = capture();
    expect(await compareCommand(runs.a!, runs.noEnergy!, { tolerance: '0.1', metric: 'energy' }, b.io)).toBe(4);
    expect(b.out.stdout).toContain('MISSING IN B');
    expect(b.out.stdout).toContain('B: energy unavailable');
    const a = capture();
    expect(await compareCommand(runs.noEnergy!, runs.a!, { tolerance: '0.1', metric: 'energy' }, a.io)).toBe(2);
    expect(a.out.stderr).toContain('run A has no energy value for any shared configuration');
  });

  it('compares shared configurations only and lists the others', async () => {
    const { out, io } = capture();
    expect(await compareCommand(runs.a!, runs.half!, { tolerance: '0.1', metric: 'latency' }, io)).toBe(0);
    expect(out.stdout).toMatch(/Only in A \(14, not compared\): mxnet\/mxnet\/resnet50\/cuda\/b1/);
    expect(out.stdout).toContain('all 14 configuration-metric(s) agree');
  });

  it('exit 2 when the runs share no configuration', async () => {
    const { out, io } = capture();
    expect(await compareCommand(runs.a!, runs.cpu!, { tolerance: '0.1', metric: 'both' }, io)).toBe(2);
    expect(out.stderr).toContain('cmp-a and cmp-cpu share no configuration (A has 28, B has 1)');
  });

  it('exit 2 on bad input: tolerance, metric, not a run folder, missing folder', async () => {
    for (const [a, b, opts, message] of [
      [runs.a, runs.b, { tolerance: 'ten', metric: 'both' }, '--tolerance "ten" is not a ratio'],
      [runs.a, runs.b, { tolerance: '-0.1', metric: 'both' }, 'is not a ratio'],
      [runs.a, runs.b, { tolerance: '0.1', metric: 'power' }, '--metric "power" must be latency, energy or both'],
      [runs.a, join(artifacts, 'not-a-run'), { tolerance: '0.1', metric: 'both' }, 'is not a run folder (no readable manifest.json in it)'],
      [join(artifacts, 'nope'), runs.b, { tolerance: '0.1', metric: 'both' }, 'is not a run folder (no such folder)'],
    ] as const) {
      const { out, io } = capture();
      expect(await compareCommand(a!, b!, opts, io)).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stdout).toBe('');
    }
  });

  it('parses tolerances as ratios or percentages', () => {
    expect(parseTolerance('0.1')).toBe(0.1);
    expect(parseTolerance('10%')).toBeCloseTo(0.1);
    expect(parseTolerance('.05')).toBe(0.05);
    expect(parseTolerance('0')).toBe(0);
    expect(parseTolerance('1e-1')).toBeNull();
    expect(parseTolerance('')).toBeNull();
    expect(parseTolerance('12')).toBeNull();
  });
});
