import { afterEach, describe, expect, it } from 'vitest';
import { Contracts, SchemaId } from '../contracts/index.js';
import { FakeNvml, fakeNvmlLoader, missingNvmlLoader, synthesizeSteps } from '../testing/fake-nvml.js';
import { ManualClock } from '../testing/power-fake-clock.js';
import { createPowercapFixture, type PowercapFixture } from '../testing/power-fixture-powercap.js';
import { NvmlSource } from './nvml-source.js';
import { PowerMonitor } from './power-monitor.js';
import { toPowerTrace } from './power-trace.js';
import { RaplSource } from './rapl-source.js';
import { energyForWindow } from './window-energy.js';

const contracts = new Contracts();
const fixtures: PowercapFixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});

/** GPU: 60 W idle, 300 W for 5-8 s, 100 W until 12 s, then 60 W; hot (70 °C) from 5 s to 12 s. */
const gpuPowerW = (t: number) => (t < 5000 ? 60 : t < 8000 ? 300 : t < 12000 ? 100 : 60);
const gpuTempC = (t: number) => (t < 5000 ? 40 : t < 12000 ? 70 : 41);

function setup() {
  const clock = new ManualClock();
  const nvml = new FakeNvml(clock, [
    { steps: synthesizeSteps({ durationMs: 20_000, powerW: gpuPowerW, counterPeriodMs: 100, powerPeriodMs: 20, temperatureC: gpuTempC }) },
  ]);
  const tree = createPowercapFixture(
    [
      // Small ranges so the package counter wraps every 0.35 s: the recording crosses many wraps.
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 6_000_000, maxEnergyRangeUj: 7_000_000, powerW: 20 },
      { id: 'intel-rapl:0:1', name: 'dram', energyUj: 0, powerW: 5 },
    ],
    { clock },
  );
  fixtures.push(tree);
  const sources = [new NvmlSource({ clock, load: fakeNvmlLoader(nvml) }), new RaplSource({ clock, fs: tree.fs, powercapRoot: tree.root, hwmonRoot: null })];
  const monitor = new PowerMonitor({ clock, sources, configured: ['nvml', 'rapl'], sampleHz: 10, updatePeriodBurstMs: 0 });
  return { clock, monitor };
}

const at = (ms: number) => (1_000_000_000_000n + BigInt(ms) * 1_000_000n).toString();
const cooldown = { powerTolerance: 0.1, temperatureToleranceC: 5, pollMs: 500 };

describe('PowerMonitor with fake NVML and a ticking powercap tree', () => {
  it('measures baseline, records a trial, and computes exact energy for the measure window', async () => {
    const { clock, monitor } = setup();
    const statuses = await monitor.probe();
    expect(statuses.map((s) => [s.source, s.available])).toEqual([
      ['nvml', true],
      ['rapl', true],
    ]);

    const baselineP = monitor.measureBaseline(2000);
    await clock.advance(2000);
    const baseline = await baselineP;
    expect(baseline.domains.map((d) => [d.domain, d.powerW, d.provenance, d.temperatureC])).toEqual([
      ['gpu:0', 60, 'counter', 40],
      ['package-0', 20, 'counter', null],
      ['dram-0', 5, 'counter', null],
    ]);

    await clock.advance(2500);
    const rec = await monitor.startRecording('trial-a');
    await clock.advance(4500);
    const recorded = await rec.stop();
    expect(recorded.series.find((s) => s.info.domain === 'package-0')!.wraps).toBeGreaterThan(10);
    expect(recorded.gpuState).toHaveLength(2);

    const energy = energyForWindow(recorded, { startNs: at(5000), endNs: at(8000) }, baseline, 100);
    const gpu = energy.readings.find((r) => r.domain === 'gpu:0')!;
    expect(gpu).toMatchObject({
      source: 'nvml',
      provenance: 'counter',
      energyJ: 900,
      netEnergyJ: 720,
      baselinePowerW: 60,
      coverage: 1,
      achievedHz: 10,
      counterUpdatePeriodMs: 100,
    });
    // Instant power sampled at 10 Hz misses half of the last 100 ms step: (300 + 100) / 2 x 0.1 s.
    expect(gpu.crossCheck).toEqual({ integratedJ: 890, disagreement: 0.011111 });
    // sqrt((5 % x 900 J)^2 + (300 W x 0.1 s update period)^2 + (sqrt2 x 1 mJ)^2)
    expect(gpu.uncertaintyJ).toBeCloseTo(Math.hypot(45, 30, Math.SQRT2 * 0.001), 5);
    expect(energy.readings.find((r) => r.domain === 'package-0')).toMatchObject({ provenance: 'counter', energyJ: 60, netEnergyJ: 0 });
    expect(energy.readings.find((r) => r.domain === 'dram-0')).toMatchObject({ provenance: 'counter', energyJ: 15, netEnergyJ: 0 });
    expect(energy).toMatchObject({
      window: 'measure',
      totalEnergyJ: 975,
      totalNetEnergyJ: 720,
      totalProvenance: 'counter',
      energyPerInferenceJ: 9.75,
      reason: null,
    });
    expect(contracts.check(`${SchemaId.trialResult}#/$defs/energy`, energy)).toEqual([]);

    const trace = toPowerTrace('run-1', recorded);
    expect(contracts.check(SchemaId.powerTrace, trace)).toEqual([]);
    expect(trace.series.map((s) => `${s.domain}:${s.quantity}`)).toEqual([
      'gpu:0:cumulativeEnergyJ',
      'gpu:0:instantPowerW',
      'package-0:cumulativeEnergyJ',
      'dram-0:cumulativeEnergyJ',
    ]);
    expect(trace.series[0]!.achievedHz).toBe(10);
    expect(trace.series[0]!.tMs[0]).toBe(0);
    await monitor.close();
  });

  it('holds trials at the cool-down gate: not met within the bound, then met once back near baseline', async () => {
    const { clock, monitor } = setup();
    const baselineP = monitor.measureBaseline(2000);
    await clock.advance(2000);
    await baselineP;
    await clock.advance(7000); // t = 9 s: the GPU draws 100 W at 70 °C

    const notMetP = monitor.waitForCooldown({ ...cooldown, minMs: 0, maxMs: 1500 });
    await clock.advance(2000);
    const notMet = await notMetP;
    expect(notMet).toMatchObject({ met: false, waitedMs: 1500 });
    expect(notMet.detail).toContain('gpu:0 (nvml) 100.0 W > 66.0 W (baseline 60.0 W x 1.10)');
    expect(notMet.detail).toContain('gpu:0 (nvml) 70.0 °C > 45.0 °C');

    // From t = 11 s: power returns to 60 W at 12 s; the trailing 1 s span is all idle at 13 s.
    const metP = monitor.waitForCooldown({ ...cooldown, minMs: 0, maxMs: 10_000 });
    await clock.advance(5000);
    const met = await metP;
    expect(met).toMatchObject({ met: true, waitedMs: 2000 });
    // The gate may evaluate just before the sampler's tick at the same instant: the last 100 ms is
    // then extrapolated from the trailing span (60.4 W), still well inside the tolerance.
    expect(met.detail).toMatch(/^met after 2\.0 s: gpu:0 \(nvml\) 60\.\d W <= 66\.0 W/);
    expect(met.detail).toContain('gpu:0 (nvml) 41.0 °C <= 45.0 °C (baseline 40.0 + 5)');
    await monitor.close();
  });

  it('reports every source as unavailable with the reason, and a null total (never 0)', async () => {
    const clock = new ManualClock();
    const monitor = new PowerMonitor({
      clock,
      sources: [new RaplSource({ clock, powercapRoot: '/nonexistent/powercap', hwmonRoot: null }), new NvmlSource({ clock, load: missingNvmlLoader() })],
      configured: ['rapl', 'nvml'],
      sampleHz: 10,
      updatePeriodBurstMs: 0,
    });
    await monitor.probe();
    expect(monitor.canMeasure()).toBe(false);
    const rec = await monitor.startRecording('t');
    await clock.advance(1000);
    const energy = energyForWindow(await rec.stop(), { startNs: at(100), endNs: at(900) }, null, 10);
    expect(energy.totalEnergyJ).toBeNull();
    expect(energy.energyPerInferenceJ).toBeNull();
    expect(energy.totalProvenance).toBe('unavailable');
    expect(energy.readings.map((r) => [r.source, r.domain, r.provenance, r.energyJ])).toEqual([
      ['rapl', 'host', 'unavailable', null],
      ['nvml', 'host', 'unavailable', null],
    ]);
    expect(energy.reason).toMatch(/^No power source measured this window: rapl: \/nonexistent\/powercap does not exist.*; nvml: libnvidia-ml\.so\.1 not found/);
    const cool = await monitor.waitForCooldown({ ...cooldown, minMs: 0, maxMs: 1000 });
    expect(cool).toEqual({ waitedMs: 0, met: true, detail: 'rested 0.0 s; no power source works, nothing to compare' });
    await monitor.close();
  });

  it('measures nothing when configured with "none", and says so', async () => {
    const clock = new ManualClock();
    const monitor = new PowerMonitor({ clock, sources: [], configured: ['none'], sampleHz: 10 });
    expect(await monitor.probe()).toEqual([
      { source: 'none', available: true, domains: [], reason: 'power.sources lists "none": energy is not measured', fix: null, detail: null },
    ]);
    const rec = await monitor.startRecording('t');
    await clock.advance(100);
    const energy = energyForWindow(await rec.stop(), { startNs: at(10), endNs: at(90) }, null, 1);
    expect(energy.readings).toEqual([expect.objectContaining({ source: 'none', domain: 'host', provenance: 'unavailable', energyJ: null })]);
    expect(energy.totalEnergyJ).toBeNull();
    await monitor.close();
  });

  it('detects the counter update period with a fast read burst at probe', async () => {
    const clock = new ManualClock({ autoAdvance: true });
    const nvml = new FakeNvml(clock, [{ steps: synthesizeSteps({ durationMs: 2000, powerW: () => 100, counterPeriodMs: 50, powerPeriodMs: 20 }) }]);
    const monitor = new PowerMonitor({
      clock,
      sources: [new NvmlSource({ clock, load: fakeNvmlLoader(nvml) })],
      configured: ['nvml'],
      sampleHz: 10,
      updatePeriodBurstMs: 500,
    });
    const [status] = await monitor.probe();
    expect(status!.domains[0]!.counter).toMatchObject({ updatePeriodMs: 50, updatePeriodIsUpperBound: false });
    await monitor.close();
  });
});
