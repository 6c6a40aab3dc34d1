import type { Clock } from '../core/index.js';
import { defaultAccuracy, RAPL_COUNTER_RESOLUTION_J } from './accuracy.js';
import { nodeSysfsReader, type SysfsReader } from './ports.js';
import { discoverRaplZones, type RaplZone } from './rapl-zones.js';
import type { SampleSink } from './series-store.js';
import { unavailableStatus, type PowerSource } from './source.js';
import type { DomainInfo, SourceStatus } from './types.js';

export interface RaplSourceOptions {
  clock: Clock;
  fs?: SysfsReader;
  /** Default /sys/class/powercap (a fixture tree in tests). */
  powercapRoot?: string;
  /** Default /sys/class/hwmon, for amd_energy; null to skip. */
  hwmonRoot?: string | null;
  accuracy?: { package?: number; dram?: number };
}

interface ZoneState {
  zone: RaplZone;
  lastRawUj: number | null;
  /** Wrap-corrected energy since the first read, µJ. */
  totalUj: number;
}

function isPermissionError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** CPU package and DRAM energy from RAPL counters, read on the host (root-only since Linux 5.10). */
export class RaplSource implements PowerSource {
  readonly name = 'rapl' as const;
  private readonly fs: SysfsReader;
  private readonly root: string;
  private readonly hwmonRoot: string | null;
  private states: ZoneState[] = [];
  private status: SourceStatus | null = null;

  constructor(private readonly options: RaplSourceOptions) {
    this.fs = options.fs ?? nodeSysfsReader;
    this.root = options.powercapRoot ?? '/sys/class/powercap';
    this.hwmonRoot = options.hwmonRoot === undefined ? '/sys/class/hwmon' : options.hwmonRoot;
  }

  async probe(): Promise<SourceStatus> {
    this.status ??= this.discover();
    return this.status;
  }

  private discover(): SourceStatus {
    const found = discoverRaplZones(this.fs, this.root, this.hwmonRoot);
    const denied: string[] = [];
    const broken: string[] = [];
    for (const p of found.problems) (isPermissionError(p.error) ? denied : broken).push(`${p.path}: ${p.error.code ?? p.error.message}`);
    const readable: RaplZone[] = [];
    for (const zone of found.zones) {
      try {
        this.readUj(zone);
        readable.push(zone);
      } catch (e) {
        (isPermissionError(e) ? denied : broken).push(`${zone.energyPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
    this.states = readable.map((zone) => ({ zone, lastRawUj: null, totalUj: 0 }));
    const uid = typeof process.getuid === 'function' ? process.getuid() : null;
    const permissionFix =
      `Run greenrt as root, or grant read access until the next reboot: \`sudo chmod a+r ${this.root}/intel-rapl:*/energy_uj ${this.root}/intel-rapl:*/intel-rapl:*/energy_uj\` ` +
      '(a udev rule or systemd-tmpfiles entry makes it permanent), or drop "rapl" from power.sources.';
    const permissionReason = (files: string[]) =>
      `${files.join(', ')} not readable${uid === null ? '' : ` by uid ${uid}`} (energy_uj is root-only since Linux 5.10, CVE-2020-8694)`;
    if (readable.length === 0) {
      if (denied.length > 0) return unavailableStatus('rapl', permissionReason(denied), permissionFix);
      if (!found.powercapExists) {
        return unavailableStatus(
          'rapl',
          `${this.root} does not exist: no powercap interface (not Linux, or a VM or container that hides it)`,
          'RAPL is read on the host: run greenrt on bare-metal Linux with the intel_rapl_msr module loaded (`sudo modprobe intel_rapl_msr`, Intel and AMD Zen), or drop "rapl" from power.sources.',
        );
      }
      const extra = broken.length > 0 ? `; unreadable: ${broken.join(', ')}` : '';
      return unavailableStatus(
        'rapl',
        `${this.root} has no intel-rapl or amd-rapl package/DRAM zones (a VM or container?)${extra}`,
        'Load the RAPL driver on the host (`sudo modprobe intel_rapl_msr`); virtual machines usually do not expose RAPL. Otherwise drop "rapl" from power.sources.',
        found.skipped.length > 0 ? `skipped zones: ${found.skipped.join(', ')}` : null,
      );
    }
    const problems = [...(denied.length ? [permissionReason(denied)] : []), ...broken];
    return {
      source: 'rapl',
      available: true,
      domains: readable.map((z) => this.domainInfo(z)),
      reason: problems.length > 0 ? `some zones unusable: ${problems.join('; ')}` : null,
      fix: denied.length > 0 ? permissionFix : null,
      detail: [`zones: ${readable.map((z) => z.label).join(', ')}`, ...(found.skipped.length ? [`skipped: ${found.skipped.join(', ')}`] : [])].join('; '),
    };
  }

  private domainInfo(zone: RaplZone): DomainInfo {
    const accuracyRel =
      zone.kind === 'dram' ? (this.options.accuracy?.dram ?? defaultAccuracy.raplDram) : (this.options.accuracy?.package ?? defaultAccuracy.raplPackage);
    return {
      source: 'rapl',
      domain: zone.domain,
      hardware: zone.domain,
      counter: { resolutionJ: RAPL_COUNTER_RESOLUTION_J, updatePeriodMs: null, updatePeriodIsUpperBound: false, accuracyRel },
      power: null,
      temperature: false,
      label: zone.label,
    };
  }

  private readUj(zone: RaplZone): number {
    const text = this.fs.readFile(zone.energyPath).trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`not a µJ count: ${JSON.stringify(text.slice(0, 40))}`);
    return value;
  }

  poll(sink: SampleSink): void {
    const clock = this.options.clock;
    for (const s of this.states) {
      const t0 = clock.monotonicNs();
      let raw: number;
      try {
        raw = this.readUj(s.zone);
      } catch (e) {
        sink.error(s.zone.domain, t0, `read ${s.zone.energyPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        continue;
      }
      // The value was read between t0 and t1: its midpoint is the best time estimate.
      const t1 = clock.monotonicNs();
      const tNs = t0 + (t1 - t0) / 2n;
      if (s.lastRawUj !== null) {
        let delta = raw - s.lastRawUj;
        if (delta < 0) {
          if (s.zone.maxEnergyRangeUj === null) {
            sink.error(s.zone.domain, tNs, `counter went backwards (${s.lastRawUj} -> ${raw} µJ) and has no wrap range: reset?`);
            delta = 0;
          } else {
            // The counter wrapped at max_energy_range_uj: what remained to the top plus what came after.
            delta = s.zone.maxEnergyRangeUj - s.lastRawUj + raw;
            sink.wrap(s.zone.domain, tNs);
          }
        }
        s.totalUj += delta;
      }
      s.lastRawUj = raw;
      sink.counter(s.zone.domain, tNs, s.totalUj / 1e6);
    }
  }

  async close(): Promise<void> {
    this.states = [];
    this.status = null;
  }
}
