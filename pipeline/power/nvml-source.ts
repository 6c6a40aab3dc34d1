import type { GpuState } from '../contracts/index.js';
import type { Clock } from '../core/index.js';
import { AVERAGING_WINDOW_MS, defaultAccuracy, NVML_COUNTER_RESOLUTION_J } from './accuracy.js';
import {
  decodeThrottleReasons,
  NvmlError,
  NvmlField,
  NvmlReturn,
  NvmlUnavailableError,
  powerUsageIsAveraged,
  type NvmlBinding,
  type NvmlDevice,
  type NvmlLoader,
} from './nvml-api.js';
import type { SampleSink } from './series-store.js';
import { unavailableStatus, type PowerSource } from './source.js';
import type { DomainInfo, SourceStatus } from './types.js';

export interface NvmlSourceOptions {
  clock: Clock;
  load: NvmlLoader;
  /** GPUs to measure (NVML indices); default all. */
  gpuIndices?: number[];
  /**
   * Other GPUs whose state (power, clocks, processes) is recorded as context in gpuState with
   * `measured: false`; never sampled into energy. Default: every GPU not in gpuIndices.
   */
  contextGpuIndices?: number[];
  accuracyRel?: number;
}

interface Gpu {
  index: number;
  device: NvmlDevice;
  domain: string;
  hasCounter: boolean;
  /** 'field' = NVML_FI_DEV_POWER_INSTANT; 'usage' = nvmlDeviceGetPowerUsage. */
  powerFrom: 'field' | 'usage' | null;
  /** Whether nvmlDeviceGetUtilizationRates answers (sampled with power when it does). */
  hasUtilization: boolean;
  info: DomainInfo;
  lastMj: number | null;
  offsetMj: number;
}

const fixFor: Record<number, string> = {
  [NvmlReturn.DRIVER_NOT_LOADED]: 'Load the NVIDIA kernel driver (`nvidia-smi` must work first; check `lsmod | grep nvidia`).',
  [NvmlReturn.NO_PERMISSION]: 'Run greenrt as a user allowed to open /dev/nvidia* (the video group, or root).',
  [NvmlReturn.LIBRARY_NOT_FOUND]: 'Install the NVIDIA driver; it ships libnvidia-ml.',
};

/** NVIDIA GPUs through NVML: the energy counter (Volta+), instant power where the driver has it, and GPU utilisation. */
export class NvmlSource implements PowerSource {
  readonly name = 'nvml' as const;
  private nvml: NvmlBinding | null = null;
  private gpus: Gpu[] = [];
  private context: { index: number; device: NvmlDevice }[] = [];
  private status: SourceStatus | null = null;
  private initialized = false;

  constructor(private readonly options: NvmlSourceOptions) {}

  async probe(): Promise<SourceStatus> {
    this.status ??= await this.open();
    return this.status;
  }

  private async open(): Promise<SourceStatus> {
    try {
      this.nvml = await this.options.load();
    } catch (e) {
      if (e instanceof NvmlUnavailableError) return unavailableStatus('nvml', e.message, e.fix);
      return unavailableStatus('nvml', `NVML could not be loaded: ${(e as Error).message}`, 'Check the NVIDIA driver installation.');
    }
    const nvml = this.nvml;
    try {
      nvml.init();
      this.initialized = true;
    } catch (e) {
      this.nvml = null;
      const rc = e instanceof NvmlError ? e.nvmlReturn : NvmlReturn.UNKNOWN;
      return unavailableStatus('nvml', `nvmlInit failed: ${(e as Error).message}`, fixFor[rc] ?? 'Check the NVIDIA driver (`nvidia-smi` must work).');
    }
    const notes: string[] = [];
    let count: number;
    try {
      count = nvml.deviceCount();
    } catch (e) {
      return unavailableStatus('nvml', `nvmlDeviceGetCount failed: ${(e as Error).message}`, 'Check that the GPUs are visible (`nvidia-smi -L`).');
    }
    const indices = this.options.gpuIndices ?? [...Array(count).keys()];
    for (const index of indices) {
      if (index >= count) {
        notes.push(`GPU ${index} requested but NVML sees ${count}`);
        continue;
      }
      const gpu = this.openGpu(index, notes);
      if (gpu) this.gpus.push(gpu);
    }
    const measured = new Set(this.gpus.map((g) => g.index));
    const contextIndices = this.options.contextGpuIndices ?? [...Array(count).keys()].filter((i) => !measured.has(i));
    for (const index of contextIndices.filter((i) => i < count && !measured.has(i))) {
      const device = safe(() => nvml.device(index));
      if (device) this.context.push({ index, device });
    }
    const driver = safe(() => nvml.driverVersion());
    const detail = `driver ${driver ?? '?'}, ${nvml.libraryPath}; ${this.gpus.map((g) => g.info.label).join('; ') || 'no GPU'}`;
    if (this.gpus.length === 0) {
      return {
        ...unavailableStatus(
          'nvml',
          count === 0 ? 'NVML sees no GPU' : `no usable GPU (${notes.join('; ')})`,
          'Check that the GPU is visible (`nvidia-smi -L`).',
        ),
        detail,
      };
    }
    return { source: 'nvml', available: true, domains: this.gpus.map((g) => g.info), reason: notes.length ? notes.join('; ') : null, fix: null, detail };
  }

  private openGpu(index: number, notes: string[]): Gpu | null {
    let device: NvmlDevice;
    try {
      device = this.nvml!.device(index);
    } catch (e) {
      notes.push(`GPU ${index}: ${(e as Error).message}`);
      return null;
    }
    const name = safe(() => device.name()) ?? `GPU ${index}`;
    const cc = safe(() => device.cudaComputeCapability());
    const hasCounter = safe(() => device.totalEnergyConsumptionMj()) !== null;
    const hasField = safe(() => device.fieldValue(NvmlField.POWER_INSTANT)) !== null;
    const hasUsage = !hasField && safe(() => device.powerUsageMw()) !== null;
    const hasUtilization = safe(() => device.utilizationGpuPercent()) !== null;
    if (!hasUtilization) notes.push(`GPU ${index} (${name}): no GPU utilisation (nvmlDeviceGetUtilizationRates not supported)`);
    const averaged = powerUsageIsAveraged(cc, 'nvml');
    const accuracyRel = this.options.accuracyRel ?? defaultAccuracy.nvml;
    if (!hasCounter) notes.push(`GPU ${index} (${name}): no energy counter (needs Volta or later); power is integrated instead`);
    if (!hasCounter && !hasField && !hasUsage) {
      notes.push(`GPU ${index} (${name}): neither energy nor power is readable`);
      return null;
    }
    const domain = `gpu:${index}`;
    const power: DomainInfo['power'] = hasField
      ? { quantity: 'instantPowerW', averagingWindowMs: null, accuracyRel }
      : hasUsage
        ? { quantity: averaged ? 'averagePowerW' : 'instantPowerW', averagingWindowMs: averaged ? AVERAGING_WINDOW_MS : null, accuracyRel }
        : null;
    const powerLabel = hasField ? 'instant power field' : hasUsage ? (averaged ? 'power usage (1 s average)' : 'power usage (instant)') : 'no power';
    return {
      index,
      device,
      domain,
      hasCounter,
      lastMj: null,
      offsetMj: 0,
      powerFrom: hasField ? 'field' : hasUsage ? 'usage' : null,
      hasUtilization,
      info: {
        source: 'nvml',
        domain,
        hardware: domain,
        counter: hasCounter ? { resolutionJ: NVML_COUNTER_RESOLUTION_J, updatePeriodMs: null, updatePeriodIsUpperBound: false, accuracyRel } : null,
        power,
        temperature: true,
        label: `${domain} ${name}${cc ? ` (cc ${cc.join('.')})` : ''}: ${hasCounter ? 'energy counter, ' : ''}${powerLabel}`,
      },
    };
  }

  poll(sink: SampleSink): void {
    for (const g of this.gpus) {
      const d = g.device;
      const at = g.domain;
      if (g.hasCounter)
        this.timed(
          sink,
          at,
          () => d.totalEnergyConsumptionMj(),
          (t, mj) => sink.counter(at, t, this.continuous(g, sink, t, mj) / 1000),
        );
      if (g.powerFrom === 'field')
        this.timed(
          sink,
          at,
          () => d.fieldValue(NvmlField.POWER_INSTANT).value / 1000,
          (t, v) => sink.power(at, t, v),
        );
      if (g.powerFrom === 'usage')
        this.timed(
          sink,
          at,
          () => d.powerUsageMw() / 1000,
          (t, v) => sink.power(at, t, v),
        );
      this.timed(
        sink,
        at,
        () => d.temperatureC(),
        (t, v) => sink.temperature(at, t, v),
      );
      if (g.hasUtilization)
        this.timed(
          sink,
          at,
          () => d.utilizationGpuPercent(),
          (t, v) => sink.utilization(at, t, v),
        );
    }
  }

  /** The counter restarts from 0 when the driver reloads: keep the series going up, and say so. */
  private continuous(g: Gpu, sink: SampleSink, tNs: bigint, mj: number): number {
    if (g.lastMj !== null && mj < g.lastMj) {
      g.offsetMj += g.lastMj;
      sink.error(g.domain, tNs, `energy counter went back from ${g.lastMj} to ${mj} mJ (driver reloaded?)`);
    }
    g.lastMj = mj;
    return mj + g.offsetMj;
  }

  /** One read, stamped at the midpoint of the call (NVML calls take µs to ms). */
  private timed(sink: SampleSink, domain: string, read: () => number, put: (tNs: bigint, v: number) => void): void {
    const clock = this.options.clock;
    const t0 = clock.monotonicNs();
    try {
      const v = read();
      const t1 = clock.monotonicNs();
      put(t0 + (t1 - t0) / 2n, v);
    } catch (e) {
      sink.error(domain, t0, (e as Error).message);
    }
  }

  async gpuState(): Promise<GpuState[]> {
    const clock = this.options.clock;
    const all = [...this.gpus.map((g) => ({ ...g, measured: true })), ...this.context.map((c) => ({ ...c, powerFrom: null, measured: false }))];
    return all.map((g) => {
      const d = g.device;
      const throttle = safe(() => d.clocksEventReasons());
      const powerW = (g.powerFrom === 'field' ? safe(() => d.fieldValue(NvmlField.POWER_INSTANT).value / 1000) : null) ?? safe(() => d.powerUsageMw() / 1000);
      const limitMw = safe(() => d.enforcedPowerLimitMw());
      const processes = safe(() => d.computeProcesses());
      return {
        index: g.index,
        measured: g.measured,
        atNs: clock.monotonicNs().toString(),
        name: safe(() => d.name()),
        smClockMHz: safe(() => d.clockMHz('sm')),
        memClockMHz: safe(() => d.clockMHz('mem')),
        powerLimitW: limitMw === null ? null : limitMw / 1000,
        temperatureC: safe(() => d.temperatureC()),
        powerW,
        throttleReasons: throttle === null ? null : decodeThrottleReasons(throttle),
        persistenceMode: safe(() => d.persistenceMode()),
        otherProcesses:
          processes === null
            ? null
            : processes.map((p) => ({ pid: p.pid, name: null, usedMemoryMiB: p.usedMemoryBytes === null ? null : p.usedMemoryBytes / 2 ** 20 })),
      };
    });
  }

  async close(): Promise<void> {
    if (this.nvml && this.initialized) safe(() => this.nvml!.shutdown());
    this.initialized = false;
    this.nvml = null;
    this.gpus = [];
    this.context = [];
    this.status = null;
  }
}

/** The value, or null when NVML says it is not there (or fails). */
function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
