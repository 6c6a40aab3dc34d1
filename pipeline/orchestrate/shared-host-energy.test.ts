import { describe, expect, it } from 'vitest';
import { energyForWindow } from '../power/window-energy.js';
import type { DomainInfo, DomainSeries, Recorded } from '../power/index.js';
import { sharedCpuEnergyReason, withoutSharedCpuEnergy } from './shared-host-energy.js';

// Counters: GPU 250 W, CPU package 30 W over a 1 s window (the same shapes as power/window-energy.test.ts).
const T0 = 10_000_000_000n;
const ns = (ms: number) => T0 + BigInt(ms) * 1_000_000n;
const ticks = (wattsPerMs: number) => [...Array(31).keys()].map((i) => ({ tNs: ns(i * 100), v: i * 100 * wattsPerMs }));
const counterInfo = (source: DomainInfo['source'], domain: string): DomainInfo => ({
  source,
  domain,
  hardware: domain,
  label: domain,
  temperature: false,
  power: null,
  counter: { resolutionJ: 0.001, updatePeriodMs: 100, updatePeriodIsUpperBound: true, accuracyRel: 0.05 },
});
const series = (i: DomainInfo, wattsPerMs: number): DomainSeries => ({
  info: i,
  counter: ticks(wattsPerMs),
  power: [],
  temperatureC: [],
  requestedHz: 10,
  wraps: 0,
  errors: [],
});
const recorded: Recorded = {
  trialId: 't',
  startNs: ns(0),
  endNs: ns(3000),
  unavailable: [],
  gpuState: [],
  series: [series(counterInfo('nvml', 'gpu:0'), 0.25), series(counterInfo('rapl', 'package-0'), 0.03)],
};
const window = { startNs: ns(1000).toString(), endNs: ns(2000).toString() };

describe('withoutSharedCpuEnergy', () => {
  it("leaves CPU (RAPL) energy out of the trial's energy, saying why; GPU energy stays", () => {
    expect(energyForWindow(recorded, window, null, 10).totalEnergyJ).toBe(280);
    const e = energyForWindow(withoutSharedCpuEnergy(recorded), window, null, 10);
    expect(e.totalEnergyJ).toBe(250);
    expect(e.energyPerInferenceJ).toBe(25);
    expect(e.readings.find((r) => r.source === 'rapl')).toMatchObject({
      provenance: 'unavailable',
      energyJ: null,
      reason: expect.stringContaining('shared host'),
    });
    expect(e.reason).toContain(sharedCpuEnergyReason);
  });

  it('changes nothing on a host without RAPL', () => {
    const gpuOnly = { ...recorded, series: recorded.series.slice(0, 1) };
    expect(withoutSharedCpuEnergy(gpuOnly)).toBe(gpuOnly);
  });
});
