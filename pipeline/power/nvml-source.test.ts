import { describe, expect, it } from 'vitest';
import { FakeNvml, fakeNvmlLoader, missingNvmlLoader, synthesizeSteps } from '../testing/fake-nvml.js';
import { ManualClock } from '../testing/power-fake-clock.js';
import { NvmlReturn } from './nvml-api.js';
import { NvmlSource } from './nvml-source.js';
import { checkMeasurementRules, measurementWarnings } from './rules.js';

const steps = synthesizeSteps({ durationMs: 2000, powerW: () => 100, counterPeriodMs: 100, powerPeriodMs: 20, utilizationGpuPercent: () => 60 });

async function probe(gpu: ConstructorParameters<typeof FakeNvml>[1][number], options: { initReturn?: number } = {}) {
  const clock = new ManualClock();
  const source = new NvmlSource({ clock, load: fakeNvmlLoader(new FakeNvml(clock, [gpu], options)) });
  return { clock, source, status: await source.probe() };
}

describe('NvmlSource', () => {
  it('uses the energy counter and the instant power field where the driver has them', async () => {
    const { status } = await probe({ steps });
    expect(status).toMatchObject({ source: 'nvml', available: true, reason: null });
    expect(status.domains[0]).toMatchObject({
      domain: 'gpu:0',
      hardware: 'gpu:0',
      counter: { resolutionJ: 0.001, accuracyRel: 0.05 },
      power: { quantity: 'instantPowerW', averagingWindowMs: null },
      temperature: true,
    });
    expect(status.detail).toContain('driver 550.54.15-fake');
  });

  it('labels nvmlDeviceGetPowerUsage as a 1 s average on Hopper without the instant field', async () => {
    const { status } = await probe({ steps, cc: [9, 0], instantField: false });
    expect(status.domains[0]!.power).toEqual({ quantity: 'averagePowerW', averagingWindowMs: 1000, accuracyRel: 0.05 });
    expect(status.domains[0]!.label).toContain('power usage (1 s average)');
  });

  it('treats power usage as instant on GA100 (A100, cc 8.0) and older GPUs', async () => {
    const { status } = await probe({ steps, cc: [8, 0], instantField: false });
    expect(status.domains[0]!.power?.quantity).toBe('instantPowerW');
  });

  it('samples GPU utilisation with power where NVML has it, and says so where it does not', async () => {
    const without = synthesizeSteps({ durationMs: 2000, powerW: () => 100, counterPeriodMs: 100, powerPeriodMs: 20 });
    const { clock, source, status } = await probe({ steps: without });
    expect(status.available).toBe(true);
    expect(status.reason).toBe('GPU 0 (NVIDIA H100 80GB HBM3 (fake)): no GPU utilisation (nvmlDeviceGetUtilizationRates not supported)');
    const got: string[] = [];
    const sink = {
      counter: () => undefined,
      power: () => undefined,
      temperature: () => undefined,
      wrap: () => undefined,
      utilization: (d: string, _t: bigint, v: number) => got.push(`${d} util ${v}`),
      error: (d: string, _t: bigint, m: string) => got.push(`${d} error ${m}`),
    };
    await clock.advance(100);
    source.poll(sink);
    expect(got).toEqual([]);
  });

  it('integrates power on GPUs without the energy counter (pre-Volta) and says so', async () => {
    const { status } = await probe({ steps, cc: [6, 0], energyCounter: false, instantField: false });
    expect(status.available).toBe(true);
    expect(status.domains[0]!.counter).toBeNull();
    expect(status.reason).toContain('no energy counter (needs Volta or later)');
  });

  it('reads counter (J), power (W) and temperature stamped at the call', async () => {
    const { clock, source } = await probe({ steps });
    const got: string[] = [];
    const sink = {
      counter: (d: string, t: bigint, v: number) => got.push(`${d} counter ${v} @${t - 1_000_000_000_000n}`),
      power: (d: string, _t: bigint, v: number) => got.push(`${d} power ${v}`),
      temperature: (d: string, _t: bigint, v: number) => got.push(`${d} temp ${v}`),
      utilization: (d: string, _t: bigint, v: number) => got.push(`${d} util ${v}`),
      wrap: () => undefined,
      error: (d: string, _t: bigint, m: string) => got.push(`${d} error ${m}`),
    };
    await clock.advance(300);
    source.poll(sink);
    expect(got).toEqual(['gpu:0 counter 30 @300000000', 'gpu:0 power 100', 'gpu:0 temp 40', 'gpu:0 util 60']);
  });

  it('reports a missing library or a driver that is not loaded as unavailable, with the fix', async () => {
    const missing = await new NvmlSource({ clock: new ManualClock(), load: missingNvmlLoader() }).probe();
    expect(missing).toMatchObject({ available: false, reason: expect.stringContaining('libnvidia-ml.so.1 not found') });
    const { status } = await probe({ steps }, { initReturn: NvmlReturn.DRIVER_NOT_LOADED });
    expect(status.available).toBe(false);
    expect(status.reason).toContain('nvmlInit failed');
    expect(status.fix).toContain('lsmod | grep nvidia');
  });

  it('reports GPU state: clocks, limit, temperature, throttle reasons, persistence, other processes', async () => {
    const { source } = await probe({ steps, throttleMask: 0x4 | 0x40, processes: [{ pid: 99, usedMemoryBytes: 512 * 2 ** 20 }] });
    const [state] = await source.gpuState();
    expect(state).toEqual({
      index: 0,
      measured: true,
      atNs: '1000000000000',
      name: 'NVIDIA H100 80GB HBM3 (fake)',
      smClockMHz: 1980,
      memClockMHz: 2619,
      powerLimitW: 700,
      temperatureC: 40,
      powerW: 100,
      throttleReasons: ['SwPowerCap', 'HwThermalSlowdown'],
      persistenceMode: true,
      otherProcesses: [{ pid: 99, name: null, usedMemoryMiB: 512 }],
    });
  });

  it('measures only the selected GPU; other GPUs are context: their processes warn, never invalidate, never add energy', async () => {
    const clock = new ManualClock();
    const busy = { steps, processes: [{ pid: 4242, usedMemoryBytes: 2 ** 30 }] };
    const source = new NvmlSource({ clock, load: fakeNvmlLoader(new FakeNvml(clock, [busy, { steps }])), gpuIndices: [1] });
    const status = await source.probe();
    expect(status.domains.map((d) => d.domain)).toEqual(['gpu:1']);
    const state = await source.gpuState();
    expect(state.map((g) => [g.index, g.measured, g.otherProcesses?.length])).toEqual([
      [1, true, 0],
      [0, false, 1],
    ]);
    const recorded = { trialId: 't', startNs: 0n, endNs: 10n, series: [], unavailable: [], gpuState: state };
    const energy = {
      window: 'measure' as const,
      readings: [],
      totalEnergyJ: null,
      totalProvenance: 'unavailable' as const,
      energyPerInferenceJ: null,
      reason: null,
    };
    expect(checkMeasurementRules({ energy, recorded, window: { startNs: 0n, endNs: 10n } })).toEqual([]);
    expect(measurementWarnings(recorded)).toEqual([expect.stringContaining('activity on gpu:0, which is not measured: compute processes 4242')]);
    // The same process on the measured GPU makes the trial invalid (the existing rule).
    const onMeasured = { ...recorded, gpuState: state.map((g) => ({ ...g, measured: g.index === 0 })) };
    expect(checkMeasurementRules({ energy, recorded: onMeasured, window: { startNs: 0n, endNs: 10n } })).toEqual([
      expect.stringContaining('gpu:0 has other compute processes (4242)'),
    ]);
  });
});
