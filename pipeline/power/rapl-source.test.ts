import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/power-fake-clock.js';
import { createPowercapFixture, type PowercapFixture } from '../testing/power-fixture-powercap.js';
import { RaplSource } from './rapl-source.js';
import type { SampleSink } from './series-store.js';
import { tempDir } from '../testing/temp-dir.js';

const fixtures: PowercapFixture[] = [];
afterEach(() => {
  for (const f of fixtures.splice(0)) f.cleanup();
});

function fixture(...args: Parameters<typeof createPowercapFixture>): PowercapFixture {
  const f = createPowercapFixture(...args);
  fixtures.push(f);
  return f;
}

function collect() {
  const counters: { domain: string; tNs: bigint; v: number }[] = [];
  const wraps: string[] = [];
  const errors: string[] = [];
  const sink: SampleSink = {
    counter: (domain, tNs, v) => counters.push({ domain, tNs, v }),
    power: () => undefined,
    temperature: () => undefined,
    utilization: () => undefined,
    wrap: (domain) => wraps.push(domain),
    error: (domain, _t, message) => errors.push(`${domain}: ${message}`),
  };
  return { sink, counters, wraps, errors };
}

const intelTree = [
  { id: 'intel-rapl:0', name: 'package-0', energyUj: 1_000_000 },
  { id: 'intel-rapl:0:0', name: 'core', energyUj: 500 },
  { id: 'intel-rapl:0:1', name: 'dram', energyUj: 2_000_000 },
  { id: 'intel-rapl:1', name: 'package-1', energyUj: 3_000_000 },
  { id: 'intel-rapl:2', name: 'psys', energyUj: 9 },
];

describe('RaplSource', () => {
  it('finds package and DRAM zones once each (subzones are nested and linked at the top) and skips core and psys', async () => {
    const f = fixture(intelTree);
    const source = new RaplSource({ clock: new ManualClock(), fs: f.fs, powercapRoot: f.root, hwmonRoot: f.hwmonRoot });
    const status = await source.probe();
    expect(status.available).toBe(true);
    expect(status.reason).toBeNull();
    expect(status.domains.map((d) => d.domain)).toEqual(['package-0', 'package-1', 'dram-0']);
    expect(status.domains.every((d) => d.counter?.resolutionJ === 1e-6 && d.power === null)).toBe(true);
    expect(status.detail).toContain('skipped: intel-rapl:2 (psys), intel-rapl:0:0 (core)');
  });

  it('reads cumulative energy in J, stamped at the middle of each read', async () => {
    const clock = new ManualClock();
    const f = fixture(intelTree);
    const source = new RaplSource({ clock, fs: f.fs, powercapRoot: f.root, hwmonRoot: null });
    await source.probe();
    const c = collect();
    source.poll(c.sink);
    f.setEnergy('intel-rapl:0', 1_250_000);
    f.setEnergy('intel-rapl:0:1', 2_000_400);
    await clock.advance(100);
    source.poll(c.sink);
    const pkg = c.counters.filter((x) => x.domain === 'package-0').map((x) => x.v);
    const dram = c.counters.filter((x) => x.domain === 'dram-0').map((x) => x.v);
    expect(pkg).toEqual([0, 0.25]);
    expect(dram).toEqual([0, 0.0004]);
    expect(c.counters[3]!.tNs - c.counters[0]!.tNs).toBe(100_000_000n);
  });

  it('corrects a counter wrap-around with max_energy_range_uj', async () => {
    const clock = new ManualClock();
    const f = fixture([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 900_000, maxEnergyRangeUj: 1_000_000 }]);
    const source = new RaplSource({ clock, fs: f.fs, powercapRoot: f.root, hwmonRoot: null });
    await source.probe();
    const c = collect();
    source.poll(c.sink);
    f.setEnergy('intel-rapl:0', 100_000); // wrapped: 100 000 to the top + 100 000 after
    source.poll(c.sink);
    f.setEnergy('intel-rapl:0', 150_000);
    source.poll(c.sink);
    expect(c.counters.map((x) => x.v)).toEqual([0, 0.2, 0.25]);
    expect(c.wraps).toEqual(['package-0']);
  });

  it('explains a permission error and its fix (energy_uj is root-only since Linux 5.10)', async () => {
    const f = fixture([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 1, denied: true },
      { id: 'intel-rapl:0:2', name: 'dram', energyUj: 1, denied: true },
    ]);
    const status = await new RaplSource({ clock: new ManualClock(), fs: f.fs, powercapRoot: f.root, hwmonRoot: null }).probe();
    expect(status.available).toBe(false);
    expect(status.reason).toContain(join(f.root, 'intel-rapl:0', 'energy_uj'));
    expect(status.reason).toContain('root-only since Linux 5.10');
    expect(status.fix).toContain('Run greenrt as root');
    expect(status.fix).toContain(`sudo chmod a+r ${f.root}/intel-rapl:*/energy_uj`);
  });

  it('keeps the readable zones when only some are denied, and says which are not', async () => {
    const f = fixture([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 1 },
      { id: 'intel-rapl:0:2', name: 'dram', energyUj: 1, denied: true },
    ]);
    const status = await new RaplSource({ clock: new ManualClock(), fs: f.fs, powercapRoot: f.root, hwmonRoot: null }).probe();
    expect(status.available).toBe(true);
    expect(status.domains.map((d) => d.domain)).toEqual(['package-0']);
    expect(status.reason).toMatch(/some zones unusable: .*intel-rapl:0:2.*energy_uj.* not readable/);
  });

  it('says why when there is no powercap at all, or no RAPL zone in it', async () => {
    const empty = tempDir('greenrt-empty-');
    const missing = await new RaplSource({ clock: new ManualClock(), powercapRoot: join(empty, 'nope'), hwmonRoot: null }).probe();
    expect(missing).toMatchObject({ available: false, domains: [] });
    expect(missing.reason).toMatch(/does not exist: no powercap interface/);
    expect(missing.fix).toContain('modprobe intel_rapl_msr');
    const noZones = await new RaplSource({ clock: new ManualClock(), powercapRoot: empty, hwmonRoot: null }).probe();
    expect(noZones.reason).toMatch(/has no intel-rapl or amd-rapl package\/DRAM zones \(a VM or container\?\)/);
  });

  it('reads AMD zones (amd-rapl naming) and amd_energy sockets powercap lacks', async () => {
    const f = fixture([{ id: 'amd-rapl:0', name: 'package-0', energyUj: 10 }]);
    f.addAmdEnergy([111, 222_000]);
    const clock = new ManualClock();
    const source = new RaplSource({ clock, fs: f.fs, powercapRoot: f.root, hwmonRoot: f.hwmonRoot });
    const status = await source.probe();
    expect(status.domains.map((d) => `${d.domain} <- ${d.label}`)).toEqual(['package-0 <- amd-rapl:0 (package-0)', 'package-1 <- hwmon3 amd_energy Esocket1']);
    expect(status.detail).toContain('hwmon3 Esocket0 (powercap already provides package-0)');
  });
});
