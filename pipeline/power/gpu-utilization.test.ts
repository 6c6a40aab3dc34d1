import { describe, expect, it } from 'vitest';
import { gpuUtilizationForWindow } from './gpu-utilization.js';
import type { DomainSeries, Recorded } from './types.js';

const ms = (v: number) => BigInt(v) * 1_000_000n;
const series = (source: 'nvml' | 'nvidia-smi' | 'rapl', hardware: string, util: [number, number][] | undefined): DomainSeries => ({
  info: { source, domain: hardware, hardware, counter: null, power: null, temperature: source !== 'rapl', label: hardware },
  counter: [],
  power: [],
  temperatureC: [],
  requestedHz: 10,
  wraps: 0,
  errors: [],
  ...(util ? { utilizationPercent: util.map(([t, v]) => ({ tNs: ms(t), v })) } : {}),
});
const rec = (s: DomainSeries[], unavailable: Recorded['unavailable'] = []): Recorded => ({
  trialId: 't',
  startNs: 0n,
  endNs: ms(2000),
  series: s,
  unavailable,
  gpuState: [],
});
const window = { startNs: ms(500).toString(), endNs: ms(1500).toString() };

describe('gpuUtilizationForWindow', () => {
  it('averages the samples inside the window on every measured GPU (margin samples outside it are left out)', () => {
    const r = gpuUtilizationForWindow(
      rec([
        series('nvml', 'gpu:0', [
          [400, 0],
          [600, 40],
          [1000, 60],
          [1600, 100],
        ]),
        series('nvml', 'gpu:1', [[700, 80]]),
        series('rapl', 'package-0', undefined),
      ]),
      window,
    );
    expect(r).toEqual({ provenance: 'sampled', meanPercent: 60, samples: 3, instrument: 'nvml', reason: null });
  });

  it('prefers NVML over nvidia-smi for the same GPU', () => {
    const r = gpuUtilizationForWindow(rec([series('nvidia-smi', 'gpu:0', [[600, 10]]), series('nvml', 'gpu:0', [[600, 90]])]), window);
    expect(r).toMatchObject({ meanPercent: 90, instrument: 'nvml' });
  });

  it('is unavailable, with the reason, never a silent 0', () => {
    expect(gpuUtilizationForWindow(null, window).reason).toBe('no power recording for this trial');
    expect(gpuUtilizationForWindow(rec([]), null).reason).toBe('the trial reported no measure window');
    expect(gpuUtilizationForWindow(rec([series('rapl', 'package-0', undefined)]), window).reason).toBe('no GPU source (nvml or nvidia-smi) in power.sources');
    expect(
      gpuUtilizationForWindow(
        rec([], [{ source: 'nvml', available: false, domains: [], reason: 'libnvidia-ml.so.1 not found', fix: null, detail: null }]),
        window,
      ).reason,
    ).toBe('no GPU source worked (nvml: libnvidia-ml.so.1 not found)');
    expect(gpuUtilizationForWindow(rec([series('nvml', 'gpu:0', undefined)]), window).reason).toBe(
      'gpu:0: nvml recorded no utilisation (not supported by the driver)',
    );
    const short = gpuUtilizationForWindow(
      rec([
        series('nvml', 'gpu:0', [
          [400, 50],
          [1600, 50],
        ]),
      ]),
      window,
    );
    expect(short).toEqual({
      provenance: 'unavailable',
      meanPercent: null,
      samples: 0,
      instrument: null,
      reason: 'gpu:0: no utilisation sample inside the 1000 ms window (sampled at 10 Hz)',
    });
    // One GPU without samples makes the mean unavailable rather than the other GPU's alone.
    expect(gpuUtilizationForWindow(rec([series('nvml', 'gpu:0', [[600, 50]]), series('nvml', 'gpu:1', [])]), window).provenance).toBe('unavailable');
  });
});
