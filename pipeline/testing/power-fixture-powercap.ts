import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../core/index.js';
import type { SysfsReader } from '../power/ports.js';
import { nodeSysfsReader } from '../power/ports.js';

/** One zone of a FAKE powercap tree: `id` like 'intel-rapl:0' or 'intel-rapl:0:2'. */
export interface FixtureZone {
  id: string;
  name: string;
  energyUj: number;
  maxEnergyRangeUj?: number;
  /** Reads of energy_uj fail with EACCES (tests run as root, so chmod cannot emulate it). */
  denied?: boolean;
  /** A ticking counter: energy_uj reads as energyUj + powerW x (clock time since creation), wrapped. */
  powerW?: number;
}

export interface PowercapFixture {
  /** The fake /sys/class/powercap. */
  root: string;
  /** The fake /sys/class/hwmon. */
  hwmonRoot: string;
  /** Reader that injects EACCES for denied zones. */
  fs: SysfsReader;
  setEnergy(id: string, energyUj: number): void;
  /** Adds an amd_energy hwmon device with socket counters (µJ). */
  addAmdEnergy(sockets: number[]): void;
  cleanup(): void;
}

/**
 * FAKE (tests only): a powercap tree laid out like the kernel's: package zones at the top,
 * subzones nested inside them and also linked at the top (as sysfs does), each with name,
 * energy_uj and max_energy_range_uj.
 */
export function createPowercapFixture(zones: FixtureZone[], options: { clock?: Clock } = {}): PowercapFixture {
  const base = mkdtempSync(join(tmpdir(), 'greenrt-powercap-'));
  const root = join(base, 'powercap');
  const hwmonRoot = join(base, 'hwmon');
  mkdirSync(root, { recursive: true });
  mkdirSync(hwmonRoot, { recursive: true });
  const dirOf = new Map<string, string>();
  for (const z of [...zones].sort((a, b) => a.id.split(':').length - b.id.split(':').length)) {
    const parts = z.id.split(':');
    const parentId = parts.slice(0, -1).join(':');
    const dir = parts.length > 2 ? join(dirOf.get(parentId) ?? root, z.id) : join(root, z.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'name'), `${z.name}\n`);
    writeFileSync(join(dir, 'energy_uj'), `${z.energyUj}\n`);
    writeFileSync(join(dir, 'max_energy_range_uj'), `${z.maxEnergyRangeUj ?? 262143328850}\n`);
    if (parts.length > 2) symlinkSync(dir, join(root, z.id));
    dirOf.set(z.id, dir);
  }
  const denied = new Set(zones.filter((z) => z.denied).map((z) => join(dirOf.get(z.id)!, 'energy_uj')));
  const deniedLinks = new Set(zones.filter((z) => z.denied).map((z) => join(root, z.id, 'energy_uj')));
  const originNs = options.clock?.monotonicNs() ?? 0n;
  const ticking = new Map<string, FixtureZone>();
  for (const z of zones.filter((z) => z.powerW !== undefined)) {
    ticking.set(join(dirOf.get(z.id)!, 'energy_uj'), z);
    ticking.set(join(root, z.id, 'energy_uj'), z);
  }
  const fs: SysfsReader = {
    readFile(path) {
      if (denied.has(path) || deniedLinks.has(path)) {
        const e = new Error(`EACCES: permission denied, open '${path}'`) as NodeJS.ErrnoException;
        e.code = 'EACCES';
        throw e;
      }
      const tick = ticking.get(path);
      if (tick && options.clock) {
        const elapsedUs = Number(options.clock.monotonicNs() - originNs) / 1e3;
        const range = tick.maxEnergyRangeUj ?? 262143328850;
        return `${Math.round(tick.energyUj + tick.powerW! * elapsedUs) % range}\n`;
      }
      return nodeSysfsReader.readFile(path);
    },
    readDir: (path) => nodeSysfsReader.readDir(path),
  };
  return {
    root,
    hwmonRoot,
    fs,
    setEnergy(id, energyUj) {
      writeFileSync(join(dirOf.get(id)!, 'energy_uj'), `${energyUj}\n`);
    },
    addAmdEnergy(sockets) {
      const dir = join(hwmonRoot, 'hwmon3');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'name'), 'amd_energy\n');
      sockets.forEach((uj, i) => {
        writeFileSync(join(dir, `energy${i + 1}_label`), `Esocket${i}\n`);
        writeFileSync(join(dir, `energy${i + 1}_input`), `${uj}\n`);
      });
      writeFileSync(join(dir, `energy${sockets.length + 1}_label`), 'Ecore000\n');
      writeFileSync(join(dir, `energy${sockets.length + 1}_input`), '5\n');
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
