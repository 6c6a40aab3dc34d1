import { describe, expect, it } from 'vitest';
import { powerSettings } from '../testing/experiment-spec.js';
import { Contracts, SchemaId } from '../contracts/index.js';
import { systemClock } from '../core/index.js';
import { FakeNvidiaSmi } from '../testing/fake-nvidia-smi.js';
import { FakeNvml, fakeNvmlLoader, missingNvmlLoader, synthesizeSteps } from '../testing/fake-nvml.js';
import { ManualClock } from '../testing/power-fake-clock.js';
import { formatPowerDoctor, PowerMeasurement, probePowerSources } from './index.js';

const contracts = new Contracts();

describe('PowerMeasurement (the orchestrator-facing port)', () => {
  it('runs baseline, cool-down, recording and energy in order, producing schema-valid records', async () => {
    const clock = new ManualClock();
    const nvml = new FakeNvml(clock, [
      { steps: synthesizeSteps({ durationMs: 30_000, powerW: (t) => (t >= 3000 && t < 6000 ? 250 : 50), counterPeriodMs: 100, powerPeriodMs: 20 }) },
    ]);
    const m = await PowerMeasurement.open(
      { ...powerSettings({ sources: ['nvml', 'rapl'], sampleHz: 10, baselineS: 1, cooldown: { maxS: 5 } }), updatePeriodBurstMs: 0 },
      { clock, nvml: fakeNvmlLoader(nvml), powercapRoot: '/nonexistent', hwmonRoot: null },
    );
    expect(m.canMeasure()).toBe(true);
    const sources = await m.describeSources();
    expect(sources.map((s) => [s.source, s.available])).toEqual([
      ['nvml', true],
      ['rapl', false],
    ]);
    expect(JSON.parse(JSON.stringify(sources))).toEqual(sources); // JSON-safe for the manifest
    // Exactly the manifest's closed records (an extra field would make the manifest write fail).
    for (const s of sources) expect(contracts.check(`${SchemaId.runManifest}#/$defs/powerSource`, s)).toEqual([]);

    const baselineP = m.measureBaseline();
    await clock.advance(1000);
    const baseline = await baselineP;
    expect(baseline).toMatchObject({
      startNs: '1000000000000',
      endNs: '1001000000000',
      durationMs: 1000,
      domains: [{ domain: 'gpu:0', powerW: 50, provenance: 'counter' }],
    });
    expect(m.baselineTrace('run-1')?.trialId).toBe('baseline');
    expect(contracts.check(`${SchemaId.runManifest}#/$defs/baseline`, baseline)).toEqual([]);

    const coolP = m.waitForCooldown();
    await clock.advance(2000);
    expect(await coolP).toMatchObject({ met: true });

    const rec = await m.startRecording('trial-1');
    await clock.advance(6000);
    const recorded = await rec.stop();
    const out = m.energyForWindow(recorded, { startNs: '1003000000000', endNs: '1006000000000' }, 50, { runId: 'run-1', trialId: 'trial-1' });
    expect(out.energy).toMatchObject({ totalEnergyJ: 750, totalNetEnergyJ: 600, energyPerInferenceJ: 15, totalProvenance: 'counter' });
    expect(out.energy.reason).toContain('not measured: rapl: /nonexistent does not exist');
    expect(out.invalidReasons).toEqual([]);
    expect(out.gpuState).toHaveLength(2);
    expect(contracts.check(SchemaId.powerTrace, out.trace)).toEqual([]);
    expect(contracts.check(`${SchemaId.trialResult}#/$defs/energy`, out.energy)).toEqual([]);

    // A trial that produced no measure window still gets an energy object saying why.
    expect(m.energyForWindow(null, null, 50, { runId: 'run-1', trialId: 'x' }).energy).toMatchObject({
      totalEnergyJ: null,
      reason: 'nothing was recorded for this trial',
    });
    await m.close();
  });

  it('restores a baseline from its manifest record on resume', async () => {
    const clock = new ManualClock();
    const m = await PowerMeasurement.open(powerSettings({ sources: ['none'] }), { clock });
    m.restoreBaseline({
      startNs: '1',
      endNs: '2',
      durationMs: 0,
      domains: [{ source: 'nvml', domain: 'gpu:0', hardware: 'gpu:0', powerW: 42, provenance: 'counter', temperatureC: 30 }],
      reason: null,
    });
    expect(m.monitor.baseline?.domains[0]?.powerW).toBe(42);
    expect(await m.measureBaseline()).toEqual({ durationMs: 0, domains: [], reason: 'no power source works: no idle baseline' });
    await m.close();
  });
});

describe('doctor', () => {
  it('lists what works and, for each source that does not, why and how to fix it', async () => {
    const clock = new ManualClock();
    const statuses = await probePowerSources({
      clock,
      nvml: missingNvmlLoader(),
      smi: new FakeNvidiaSmi(clock, { missing: true }),
      powercapRoot: '/nonexistent',
      hwmonRoot: null,
    });
    const text = formatPowerDoctor(statuses);
    for (const s of statuses) expect(contracts.check(`${SchemaId.runManifest}#/$defs/powerSource`, s)).toEqual([]);
    expect(text).toContain('[FAIL] nvml');
    expect(text).toContain('why: libnvidia-ml.so.1 not found');
    expect(text).toContain('[FAIL] nvidia-smi');
    expect(text).toContain('why: nvidia-smi not found on PATH');
    expect(text).toContain('[FAIL] rapl');
    expect(text).toContain('fix: RAPL is read on the host');
    expect(text).toContain('No power source works on this host');
  });

  it('probes the real host without throwing: each source works or says why and how to fix it', async () => {
    const statuses = await probePowerSources({ clock: systemClock });
    console.log(formatPowerDoctor(statuses));
    expect(statuses.map((s) => s.source)).toEqual(['nvml', 'nvidia-smi', 'rapl']);
    for (const s of statuses) expect(s.available ? s.domains.length > 0 : Boolean(s.reason && s.fix)).toBe(true);
  });
});
