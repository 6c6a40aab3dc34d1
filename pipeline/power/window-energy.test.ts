import { describe, expect, it } from 'vitest';
import { checkMeasurementRules } from './rules.js';
import type { DomainInfo, DomainSeries, Recorded, SourceStatus } from './types.js';
import { energyForWindow } from './window-energy.js';

const T0 = 10_000_000_000n;
const ns = (ms: number) => T0 + BigInt(ms) * 1_000_000n;
const ticks = (f: (ms: number) => number, toMs = 3000, stepMs = 100) =>
  [...Array(toMs / stepMs + 1).keys()].map((i) => ({ tNs: ns(i * stepMs), v: f(i * stepMs) }));

function info(source: DomainInfo['source'], domain: string, kinds: { counter?: boolean; power?: 'instantPowerW' | 'averagePowerW' }): DomainInfo {
  return {
    source,
    domain,
    hardware: domain,
    label: domain,
    temperature: domain.startsWith('gpu'),
    counter: kinds.counter ? { resolutionJ: 0.001, updatePeriodMs: 100, updatePeriodIsUpperBound: true, accuracyRel: 0.05 } : null,
    power: kinds.power ? { quantity: kinds.power, averagingWindowMs: kinds.power === 'averagePowerW' ? 1000 : null, accuracyRel: 0.05 } : null,
  };
}

function series(i: DomainInfo, parts: Partial<DomainSeries>): DomainSeries {
  return { info: i, counter: [], power: [], temperatureC: [], requestedHz: 10, wraps: 0, errors: [], ...parts };
}

function recorded(s: DomainSeries[], unavailable: SourceStatus[] = []): Recorded {
  return { trialId: 't', startNs: ns(0), endNs: ns(3000), series: s, unavailable, gpuState: [] };
}

const window = { startNs: ns(1000).toString(), endNs: ns(2000).toString() };
const nvmlGpu = series(info('nvml', 'gpu:0', { counter: true, power: 'instantPowerW' }), { counter: ticks((t) => t * 0.25), power: ticks(() => 250) });
const smiGpu = series(info('nvidia-smi', 'gpu:0', { power: 'instantPowerW' }), { power: ticks(() => 240) });
const pkg = series(info('rapl', 'package-0', { counter: true }), { counter: ticks((t) => t * 0.03) });

describe('energyForWindow totals', () => {
  it('counts a GPU measured by NVML and nvidia-smi once, preferring the counter', () => {
    const e = energyForWindow(recorded([nvmlGpu, smiGpu, pkg]), window, null, 4);
    expect(e.readings.map((r) => [r.source, r.domain, r.provenance, r.energyJ])).toEqual([
      ['nvml', 'gpu:0', 'counter', 250],
      ['nvidia-smi', 'gpu:0', 'integrated', 240],
      ['rapl', 'package-0', 'counter', 30],
    ]);
    expect(e).toMatchObject({ totalEnergyJ: 280, totalProvenance: 'counter', energyPerInferenceJ: 70, totalNetEnergyJ: null, reason: null });
  });

  it('uses integrated instant power over an averaged estimate, and an estimate only when nothing better exists', () => {
    const avgGpu = series(info('nvidia-smi', 'gpu:0', { power: 'averagePowerW' }), { power: ticks(() => 200) });
    const e = energyForWindow(recorded([avgGpu, pkg]), window, null, 1);
    expect(e.readings[0]).toMatchObject({ provenance: 'estimated', energyJ: 200 });
    expect(e.readings[0]!.reason).toContain('averaged power');
    expect(e).toMatchObject({ totalEnergyJ: 230, totalProvenance: 'estimated' });
    expect(e.reason).toContain('the total includes an estimate from averaged power');
  });

  it('marks a partial total when a configured source does not work', () => {
    const raplDown: SourceStatus = {
      source: 'rapl',
      available: false,
      domains: [],
      reason: '/sys/class/powercap/intel-rapl:0/energy_uj not readable',
      fix: 'run as root',
      detail: null,
    };
    const e = energyForWindow(recorded([nvmlGpu], [raplDown]), window, null, 1);
    expect(e.totalEnergyJ).toBe(250);
    expect(e.readings[1]).toMatchObject({ source: 'rapl', domain: 'host', provenance: 'unavailable', energyJ: null });
    expect(e.reason).toBe('not measured: rapl: /sys/class/powercap/intel-rapl:0/energy_uj not readable');
  });

  it('has no energy without a measure window, and says why', () => {
    expect(energyForWindow(recorded([nvmlGpu]), null, null, 1)).toMatchObject({
      totalEnergyJ: null,
      totalProvenance: 'unavailable',
      reason: 'the entrypoint reported no measure window',
    });
  });
});

describe('checkMeasurementRules', () => {
  it('flags a window outside the recording, low coverage, disagreement, throttling and other GPU processes', () => {
    const gappy = series(info('nvml', 'gpu:0', { counter: true, power: 'instantPowerW' }), { counter: ticks((t) => t * 0.25), power: ticks(() => 150) });
    const rec = recorded([gappy]);
    rec.gpuState = [
      { index: 0, atNs: '1', throttleReasons: ['GpuIdle', 'HwThermalSlowdown'], otherProcesses: [{ pid: 7, name: 'python3', usedMemoryMiB: 100 }] },
    ];
    const w = { startNs: ns(2500).toString(), endNs: ns(3500).toString() };
    const energy = energyForWindow(rec, w, null, 1);
    const reasons = checkMeasurementRules({ energy, recorded: rec, window: w });
    expect(reasons).toEqual([
      "measure window lies outside the power recording by 500.0 ms: are the entrypoint's markers CLOCK_MONOTONIC of this host?",
      'gpu:0 (nvml): samples cover 50.0 % of the measure window (< 90.0 %)',
      'gpu:0 (nvml): energy counter and integrated power disagree by 40.0 % (> 15.0 %)',
      'gpu:0 throttled (HwThermalSlowdown) at 1',
      'gpu:0 has other compute processes (7 python3) at 1',
    ]);
  });

  it('flags a window too short for the counter update period', () => {
    const w = { startNs: ns(1000).toString(), endNs: ns(1500).toString() };
    const energy = energyForWindow(recorded([pkg]), w, null, 1);
    expect(checkMeasurementRules({ energy, recorded: recorded([pkg]), window: w })).toEqual([
      'package-0 (rapl): the 500.0 ms window spans fewer than 10 counter updates (100 ms each); run more measured iterations',
    ]);
  });
});
