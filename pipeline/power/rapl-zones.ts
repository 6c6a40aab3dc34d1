import { join } from 'node:path';
import type { SysfsReader } from './ports.js';

/** One RAPL energy counter greenrt reads. */
export interface RaplZone {
  /** 'package-0' or 'dram-0'. */
  domain: string;
  kind: 'package' | 'dram';
  /** Folder of the zone (powercap) or the hwmon device. */
  dir: string;
  /** File with the cumulative energy in µJ. */
  energyPath: string;
  /** Counter range in µJ (wraps to 0 past it); null when the counter does not wrap (amd_energy). */
  maxEnergyRangeUj: number | null;
  /** Where it came from, e.g. 'intel-rapl:0 (package-0)'. */
  label: string;
}

export interface ZoneDiscovery {
  zones: RaplZone[];
  /** Zones seen but not used and why (core and uncore are inside package; psys overlaps everything). */
  skipped: string[];
  /** Problems that stop a zone from being used (unreadable files). */
  problems: { path: string; error: NodeJS.ErrnoException }[];
  powercapExists: boolean;
}

const ZONE_ID = /^(intel|amd)-rapl(:\d+)+$/;

function errno(e: unknown): NodeJS.ErrnoException {
  return e instanceof Error ? (e as NodeJS.ErrnoException) : new Error(String(e));
}

/** Zone ids under the powercap root, nested subzones included, each once. */
function listZoneDirs(fs: SysfsReader, root: string): Map<string, string> {
  const dirs = new Map<string, string>();
  const visit = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = fs.readDir(dir);
    } catch {
      return;
    }
    for (const entry of entries.filter((e) => ZONE_ID.test(e)).sort()) {
      // Subzones appear both nested and as top-level links: the id says which zone it is.
      if (!dirs.has(entry)) dirs.set(entry, join(dir, entry));
      if (depth < 2) visit(join(dir, entry), depth + 1);
    }
  };
  visit(root, 0);
  return dirs;
}

/**
 * Finds package and DRAM counters: powercap zones named intel-rapl:* (Intel, and AMD Zen through
 * intel_rapl_msr) or amd-rapl:*, and the out-of-tree amd_energy hwmon driver's socket counters
 * for packages powercap does not provide.
 */
export function discoverRaplZones(fs: SysfsReader, powercapRoot: string, hwmonRoot: string | null): ZoneDiscovery {
  const out: ZoneDiscovery = { zones: [], skipped: [], problems: [], powercapExists: true };
  try {
    fs.readDir(powercapRoot);
  } catch {
    out.powercapExists = false;
  }
  const dirs = listZoneDirs(fs, powercapRoot);
  const packageOfZone = new Map<string, string>();
  let topLevelDram = 0;
  for (const [id, dir] of [...dirs].sort(([a], [b]) => a.split(':').length - b.split(':').length || a.localeCompare(b))) {
    let name: string;
    try {
      name = fs.readFile(join(dir, 'name')).trim();
    } catch (e) {
      out.problems.push({ path: join(dir, 'name'), error: errno(e) });
      continue;
    }
    const parentId = id.split(':').slice(0, -1).join(':');
    const pkg = /^package-(\d+)$/.exec(name);
    let domain: string;
    let kind: RaplZone['kind'];
    if (pkg) {
      domain = `package-${pkg[1]}`;
      kind = 'package';
      packageOfZone.set(id, pkg[1]!);
    } else if (name === 'dram') {
      const parentPkg = packageOfZone.get(parentId);
      domain = `dram-${parentPkg ?? topLevelDram++}`;
      kind = 'dram';
    } else {
      out.skipped.push(`${id} (${name})`);
      continue;
    }
    let maxEnergyRangeUj: number | null = null;
    try {
      maxEnergyRangeUj = Number(fs.readFile(join(dir, 'max_energy_range_uj')).trim());
    } catch (e) {
      out.problems.push({ path: join(dir, 'max_energy_range_uj'), error: errno(e) });
      continue;
    }
    out.zones.push({ domain, kind, dir, energyPath: join(dir, 'energy_uj'), maxEnergyRangeUj, label: `${id} (${name})` });
  }
  if (hwmonRoot) out.zones.push(...amdEnergyZones(fs, hwmonRoot, new Set(out.zones.map((z) => z.domain)), out));
  return out;
}

/** amd_energy hwmon: energyN_label 'Esocket0' with energyN_input in µJ (accumulated to 64 bits, no wrap). */
function amdEnergyZones(fs: SysfsReader, hwmonRoot: string, have: Set<string>, out: ZoneDiscovery): RaplZone[] {
  const zones: RaplZone[] = [];
  let devices: string[];
  try {
    devices = fs.readDir(hwmonRoot);
  } catch {
    return zones;
  }
  for (const dev of devices.sort()) {
    const dir = join(hwmonRoot, dev);
    let name: string;
    try {
      name = fs.readFile(join(dir, 'name')).trim();
    } catch {
      continue;
    }
    if (name !== 'amd_energy') continue;
    let files: string[];
    try {
      files = fs.readDir(dir);
    } catch {
      continue;
    }
    for (const file of files.filter((f) => /^energy\d+_label$/.test(f)).sort()) {
      let label: string;
      try {
        label = fs.readFile(join(dir, file)).trim();
      } catch (e) {
        out.problems.push({ path: join(dir, file), error: errno(e) });
        continue;
      }
      const socket = /^Esocket(\d+)$/.exec(label);
      if (!socket) continue;
      const domain = `package-${socket[1]}`;
      if (have.has(domain)) {
        out.skipped.push(`${dev} ${label} (powercap already provides ${domain})`);
        continue;
      }
      const energyPath = join(dir, file.replace('_label', '_input'));
      zones.push({ domain, kind: 'package', dir, energyPath, maxEnergyRangeUj: null, label: `${dev} amd_energy ${label}` });
    }
  }
  return zones;
}
