import { describe, expect, it } from 'vitest';
import { FakeNvidiaSmi, readSmiStreamFixture, smiHelpText } from '../testing/fake-nvidia-smi.js';
import { ManualClock } from '../testing/power-fake-clock.js';
import { parseQueryGpuHelp, parseSmiNumber, parseSmiTimestampMs } from './nvidia-smi-parse.js';
import { NvidiaSmiSource } from './nvidia-smi-source.js';
import { PowerMonitor } from './power-monitor.js';
import { energyForWindow } from './window-energy.js';
import { gpuUtilizationForWindow } from './gpu-utilization.js';

describe('nvidia-smi parsing', () => {
  it('reads numbers and the missing markers nvidia-smi prints', () => {
    expect(['71.20', ' 41', '[N/A]', 'N/A', '[Not Supported]', '[Unknown Error]', '', '0x0000000000000044', 'abc'].map(parseSmiNumber)).toEqual([
      71.2,
      41,
      null,
      null,
      null,
      null,
      null,
      0x44,
      null,
    ]);
    expect(parseSmiTimestampMs('2025/01/01 12:00:01.250')! - parseSmiTimestampMs('2025/01/01 12:00:00.000')!).toBe(1250);
    expect(parseSmiTimestampMs('garbage')).toBeNull();
    const fields = parseQueryGpuHelp(smiHelpText({ instant: true, computeCap: false }));
    expect(fields.has('power.draw.instant')).toBe(true);
    expect(fields.has('clocks.sm') && fields.has('clocks.current.sm')).toBe(true);
    expect(fields.has('YYYY/MM/DD')).toBe(false);
  });
});

describe('NvidiaSmiSource.probe', () => {
  const probe = async (options: ConstructorParameters<typeof FakeNvidiaSmi>[1]) =>
    new NvidiaSmiSource({ clock: new ManualClock(), smi: new FakeNvidiaSmi(new ManualClock(), options) }).probe();

  it('prefers power.draw.instant', async () => {
    const s = await probe({});
    expect(s.domains[0]!.power).toEqual({ quantity: 'instantPowerW', averagingWindowMs: null, accuracyRel: 0.05 });
    expect(s.reason).toBeNull();
  });

  it('labels power.draw a 1 s average on Ampere+ (and when the architecture is unknown)', async () => {
    const hopper = await probe({ helpText: smiHelpText({ instant: false, computeCap: true }) });
    expect(hopper.domains[0]!.power).toMatchObject({ quantity: 'averagePowerW', averagingWindowMs: 1000 });
    expect(hopper.reason).toContain('power.draw.instant is not offered by this driver');
    const unknown = await probe({ helpText: smiHelpText({ instant: false, computeCap: false }), gpuList: '0, Some GPU, GPU-x, 50.00\n' });
    expect(unknown.domains[0]!.power?.quantity).toBe('averagePowerW');
    const volta = await probe({ helpText: smiHelpText({ instant: false, computeCap: true }), gpuList: '0, Tesla V100, GPU-v, 50.00, 7.0\n' });
    expect(volta.domains[0]!.power?.quantity).toBe('instantPowerW');
  });

  it('says nvidia-smi is not installed, and how to fix it', async () => {
    const s = await probe({ missing: true });
    expect(s).toMatchObject({ available: false, reason: 'nvidia-smi not found on PATH' });
    expect(s.fix).toContain('Install the NVIDIA driver utilities');
  });
});

describe('NvidiaSmiSource stream', () => {
  async function record(options: { chunkLines?: number; latencyMs?: number; helpText?: string; streamLines?: string[] }) {
    const clock = new ManualClock();
    const smi = new FakeNvidiaSmi(clock, { streamLines: readSmiStreamFixture(), ...options });
    const monitor = new PowerMonitor({ clock, sources: [new NvidiaSmiSource({ clock, smi })], configured: ['nvidia-smi'], sampleHz: 10 });
    const recording = monitor.startRecording('t1');
    await clock.advance(0);
    const rec = await recording;
    await clock.advance(2950);
    const stopping = rec.stop();
    await clock.advance(200);
    const recorded = await stopping;
    await monitor.close();
    return { recorded, smi, streamStartNs: rec.startNs };
  }

  it('runs one long-lived -lms child and skips N/A, [Not Supported] and truncated lines', async () => {
    const { recorded, smi } = await record({});
    expect(smi.streamsStarted).toBe(1);
    const stream = smi.calls.find((c) => c.includes('-lms'))!;
    expect(stream).toEqual([
      '--query-gpu=timestamp,index,power.draw.instant,temperature.gpu,utilization.gpu',
      '--format=csv,noheader,nounits',
      '-lms',
      '100',
      '-i',
      '0',
    ]);
    const s = recorded.series[0]!;
    expect(s.power.length).toBe(29); // 31 lines with power, minus [N/A] and [Not Supported]
    expect(s.errors).toEqual(['power.draw.instant not available in a sample']);
    expect(s.temperatureC.length).toBe(31);
    // utilization.gpu sampled with power: 31 lines minus one [N/A]; 85 % while 200 W, 30 % otherwise.
    expect(s.utilizationPercent?.length).toBe(30);
    expect(new Set(s.utilizationPercent?.map((x) => x.v))).toEqual(new Set([30, 85]));
  });

  it('leaves utilization.gpu out of the query on a driver that lacks it (the other columns keep their places)', async () => {
    const { recorded, smi } = await record({
      helpText: smiHelpText({ instant: true, computeCap: true, utilization: false }),
      streamLines: readSmiStreamFixture().map((l) => l.split(', ').slice(0, 4).join(', ')),
    });
    expect(smi.calls.find((c) => c.includes('-lms'))![0]).toBe('--query-gpu=timestamp,index,power.draw.instant,temperature.gpu');
    expect(recorded.series[0]!.power.length).toBe(29);
    expect(recorded.series[0]!.utilizationPercent ?? []).toEqual([]);
  });

  it('integrates the instant power over exactly the window (synthetic 100 W / 200 W fixture)', async () => {
    const { recorded, streamStartNs } = await record({ latencyMs: 0 });
    const at = (ms: number) => (streamStartNs + BigInt(ms) * 1_000_000n).toString();
    const energy = energyForWindow(recorded, { startNs: at(500), endNs: at(1500) }, null, 10);
    // [0.5, 0.9] 40 J at 100 W; [0.9, 1.0] ramp 15 J; [1.0, 1.5] 100 J at 200 W.
    expect(energy.readings[0]).toMatchObject({ source: 'nvidia-smi', domain: 'gpu:0', provenance: 'integrated', energyJ: 155, coverage: 1 });
    expect(energy.totalEnergyJ).toBe(155);
    expect(energy.energyPerInferenceJ).toBe(15.5);
    // Utilisation sampled with power, averaged over the same window: 0.5–0.9 s at 30 % (5), 1.0–1.5 s at 85 % (6).
    expect(gpuUtilizationForWindow(recorded, { startNs: at(500), endNs: at(1500) })).toEqual({
      provenance: 'sampled',
      meanPercent: (5 * 30 + 6 * 85) / 11,
      samples: 11,
      instrument: 'nvidia-smi',
      reason: null,
    });
  });

  it("times samples by nvidia-smi's own timestamps, not by when buffered chunks arrive", async () => {
    const { recorded } = await record({ chunkLines: 5, latencyMs: 3 });
    const t = recorded.series[0]!.temperatureC.map((x) => x.tNs);
    const steps = new Set(t.slice(1).map((x, i) => x - t[i]!));
    expect([...steps]).toEqual([100_000_000n]);
  });
});

describe('NvidiaSmiSource: issue 11 defects', () => {
  const twoGpus = '0, NVIDIA H100 80GB HBM3, GPU-aaaa, [N/A], 9.0, 71.00\n1, NVIDIA H100 80GB HBM3, GPU-bbbb, 80.00, 9.0, 79.00\n';

  it('falls back to power.draw per GPU whose power.draw.instant reads [N/A] (estimated, with the reason) instead of dropping it', async () => {
    const clock = new ManualClock();
    const smi = new FakeNvidiaSmi(clock, {
      gpuList: twoGpus,
      streamLines: ['2025/01/01 12:00:00.000, 0, [N/A], 150.00, 40', '2025/01/01 12:00:00.000, 1, 90.00, 80.00, 41'],
    });
    const source = new NvidiaSmiSource({ clock, smi });
    const s = await source.probe();
    expect(s.domains.map((d) => [d.domain, d.power?.quantity])).toEqual([
      ['gpu:0', 'averagePowerW'],
      ['gpu:1', 'instantPowerW'],
    ]);
    expect(s.reason).toContain('GPU 0: power.draw.instant reads [N/A], so power.draw is used');
    expect(s.fix).toContain('R535');
    const got: string[] = [];
    const sink = {
      counter: () => undefined,
      wrap: () => undefined,
      power: (d: string, _t: bigint, v: number) => got.push(`${d} ${v}`),
      temperature: () => undefined,
      utilization: (d: string, _t: bigint, v: number) => got.push(`${d} util ${v}`),
      error: (d: string, _t: bigint, m: string) => got.push(`${d} error ${m}`),
    };
    await source.startStream(sink, 10);
    await clock.advance(50);
    expect(smi.calls.find((c) => c.includes('-lms'))![0]).toBe('--query-gpu=timestamp,index,power.draw.instant,power.draw,temperature.gpu,utilization.gpu');
    expect(got.slice(0, 2)).toEqual(['gpu:0 150', 'gpu:1 90']);
    await source.close();
  });

  it('states R535 (not 530) as the driver minimum for instant power', async () => {
    const s = await new NvidiaSmiSource({
      clock: new ManualClock(),
      smi: new FakeNvidiaSmi(new ManualClock(), { helpText: smiHelpText({ instant: false, computeCap: true }) }),
    }).probe();
    expect(s.fix).toContain('driver >= R535');
    expect(s.fix).not.toContain('530');
  });

  it('restarts the -lms child when it dies mid-run; the gap shows as lower coverage', async () => {
    const clock = new ManualClock();
    const smi = new FakeNvidiaSmi(clock, { streamLines: readSmiStreamFixture(), dieAfterLines: 12, latencyMs: 0 });
    const monitor = new PowerMonitor({ clock, sources: [new NvidiaSmiSource({ clock, smi, restartDelayMs: 400 })], configured: ['nvidia-smi'], sampleHz: 10 });
    const rec = await monitor.startRecording('t1');
    await clock.advance(2950);
    const stopping = rec.stop();
    await clock.advance(200);
    const recorded = await stopping;
    await monitor.close();
    expect(smi.streamsStarted).toBe(2);
    const s = recorded.series[0]!;
    expect(s.errors.some((e) => /nvidia-smi exited \(code 1\).*GPU is lost.*restarting it/.test(e))).toBe(true);
    const at = (ms: number) => (rec.startNs + BigInt(ms) * 1_000_000n).toString();
    const energy = energyForWindow(recorded, { startNs: at(500), endNs: at(2500) }, null, 10);
    const coverage = energy.readings[0]!.coverage!;
    expect(coverage).toBeGreaterThan(0.5);
    expect(coverage).toBeLessThan(0.9);
    // Samples resume after the restart.
    expect(s.power.some((p) => p.tNs > rec.startNs + 2_000_000_000n)).toBe(true);
  });

  it('measures only the selected GPU and records the others as context', async () => {
    const clock = new ManualClock();
    const smi = new FakeNvidiaSmi(clock, {
      gpuList: '0, NVIDIA H100 80GB HBM3, GPU-aaaa, 71.00, 9.0, 71.00\n1, NVIDIA H100 80GB HBM3, GPU-bbbb, 80.00, 9.0, 79.00\n',
      stateLines:
        '1, GPU-bbbb, NVIDIA H100 80GB HBM3, 1980, 2619, 700.00, 41, 80.00, 0x1, Enabled\n0, GPU-aaaa, NVIDIA H100 80GB HBM3, 1980, 2619, 700.00, 60, 300.00, 0x1, Enabled\n',
      computeApps: 'GPU-aaaa, 4242, 20000, python3, with, commas\n',
    });
    const source = new NvidiaSmiSource({ clock, smi, gpuIndices: [1] });
    const s = await source.probe();
    expect(s.domains.map((d) => d.domain)).toEqual(['gpu:1']);
    const state = await source.gpuState();
    expect(smi.calls.find((c) => c[0]!.startsWith('--query-gpu=index,uuid,name,clocks'))).toContain('1,0');
    expect(state.map((g) => [g.index, g.measured, g.otherProcesses])).toEqual([
      [1, true, []],
      [0, false, [{ pid: 4242, name: 'python3, with, commas', usedMemoryMiB: 20000 }]],
    ]);
  });
});
