import type { Clock } from '../core/index.js';
import {
  NvmlError,
  NvmlField,
  NvmlReturn,
  NvmlUnavailableError,
  type NvmlBinding,
  type NvmlDevice,
  type NvmlLoader,
  type NvmlProcess,
} from '../power/nvml-api.js';

/** One step of a replayed GPU: values that hold from `tMs` (ms after the fake was made) on. */
export interface NvmlStep {
  tMs: number;
  /** Cumulative energy, mJ. */
  energyMj?: number;
  /** nvmlDeviceGetPowerUsage, mW. */
  powerUsageMw?: number;
  /** NVML_FI_DEV_POWER_INSTANT, mW. */
  instantMw?: number;
  temperatureC?: number;
  /** nvmlDeviceGetUtilizationRates().gpu, %. */
  utilizationGpuPercent?: number;
}

export interface FakeGpu {
  name?: string;
  cc?: [number, number];
  steps: NvmlStep[];
  /** false: the energy counter is NOT_SUPPORTED (pre-Volta). */
  energyCounter?: boolean;
  /** false: the instant power field is NOT_SUPPORTED (older driver). */
  instantField?: boolean;
  smClockMHz?: number;
  memClockMHz?: number;
  powerLimitMw?: number;
  throttleMask?: number;
  persistence?: boolean;
  /** MIG mode; undefined: nvmlDeviceGetMigMode is NOT_SUPPORTED (pre-Ampere). */
  mig?: boolean;
  processes?: NvmlProcess[];
}

/**
 * FAKE (tests only): an NVML that replays recorded steps against a clock. Reads return the last
 * step at or before the clock's time, as a real counter holds its value between hardware updates.
 */
export class FakeNvml implements NvmlBinding {
  readonly libraryPath = 'fake-nvml';
  readonly originNs: bigint;
  reads = 0;
  shutdowns = 0;

  constructor(
    private readonly clock: Clock,
    private readonly gpus: FakeGpu[],
    private readonly options: { initReturn?: number } = {},
  ) {
    this.originNs = clock.monotonicNs();
  }

  init(): void {
    const rc = this.options.initReturn ?? NvmlReturn.SUCCESS;
    if (rc !== NvmlReturn.SUCCESS) throw new NvmlError('nvmlInit_v2', rc, rc === NvmlReturn.DRIVER_NOT_LOADED ? 'Driver Not Loaded' : 'error');
  }
  shutdown(): void {
    this.shutdowns++;
  }
  driverVersion(): string {
    return '550.54.15-fake';
  }
  deviceCount(): number {
    return this.gpus.length;
  }
  device(index: number): NvmlDevice {
    const gpu = this.gpus[index];
    if (!gpu) throw new NvmlError('nvmlDeviceGetHandleByIndex_v2', NvmlReturn.INVALID_ARGUMENT, 'Invalid Argument');
    const at = <K extends keyof NvmlStep>(key: K, call: string): number => {
      this.reads++;
      const nowMs = Number(this.clock.monotonicNs() - this.originNs) / 1e6;
      let value: number | undefined;
      for (const step of gpu.steps) {
        if (step.tMs > nowMs) break;
        if (step[key] !== undefined) value = step[key] as number;
      }
      if (value === undefined) throw new NvmlError(call, NvmlReturn.NOT_SUPPORTED, 'Not Supported');
      return value;
    };
    const unsupported = (call: string) => new NvmlError(call, NvmlReturn.NOT_SUPPORTED, 'Not Supported');
    return {
      name: () => gpu.name ?? 'NVIDIA H100 80GB HBM3 (fake)',
      uuid: () => `GPU-fake-${index}`,
      cudaComputeCapability: () => gpu.cc ?? [9, 0],
      totalEnergyConsumptionMj: () => {
        if (gpu.energyCounter === false) throw unsupported('nvmlDeviceGetTotalEnergyConsumption');
        return at('energyMj', 'nvmlDeviceGetTotalEnergyConsumption');
      },
      powerUsageMw: () => at('powerUsageMw', 'nvmlDeviceGetPowerUsage'),
      fieldValue: (fieldId) => {
        if (fieldId !== NvmlField.POWER_INSTANT || gpu.instantField === false) throw unsupported(`nvmlDeviceGetFieldValues(field ${fieldId})`);
        return { value: at('instantMw', 'nvmlDeviceGetFieldValues'), timestampUs: 0 };
      },
      temperatureC: () => at('temperatureC', 'nvmlDeviceGetTemperature'),
      utilizationGpuPercent: () => at('utilizationGpuPercent', 'nvmlDeviceGetUtilizationRates'),
      clockMHz: (kind) => (kind === 'sm' ? (gpu.smClockMHz ?? 1980) : (gpu.memClockMHz ?? 2619)),
      enforcedPowerLimitMw: () => gpu.powerLimitMw ?? 700_000,
      clocksEventReasons: () => gpu.throttleMask ?? 0x1,
      persistenceMode: () => gpu.persistence ?? true,
      migEnabled: () => {
        if (gpu.mig === undefined) throw unsupported('nvmlDeviceGetMigMode');
        return gpu.mig;
      },
      computeProcesses: () => gpu.processes ?? [],
    };
  }
}

export function fakeNvmlLoader(fake: FakeNvml): NvmlLoader {
  return async () => fake;
}

/** A loader that fails like a host without the NVIDIA driver. */
export function missingNvmlLoader(): NvmlLoader {
  return async () => {
    throw new NvmlUnavailableError('libnvidia-ml.so.1 not found (libnvidia-ml.so.1: cannot open shared object file)', 'Install the NVIDIA driver.');
  };
}

/**
 * Steps for a GPU whose power follows `powerW(tMs)` (piecewise constant per ms): the energy
 * counter updates every `counterPeriodMs` with the exact energy so far, instant power and
 * averaged usage (and GPU utilisation, when given) every `powerPeriodMs`.
 */
export function synthesizeSteps(options: {
  durationMs: number;
  powerW: (tMs: number) => number;
  counterPeriodMs: number;
  powerPeriodMs: number;
  temperatureC?: (tMs: number) => number;
  utilizationGpuPercent?: (tMs: number) => number;
}): NvmlStep[] {
  const steps = new Map<number, NvmlStep>();
  const step = (t: number) => steps.get(t) ?? steps.set(t, { tMs: t }).get(t)!;
  let energyMj = 0;
  for (let t = 0; t <= options.durationMs; t++) {
    if (t % options.counterPeriodMs === 0) step(t).energyMj = Math.round(energyMj);
    if (t % options.powerPeriodMs === 0) {
      const s = step(t);
      s.instantMw = options.powerW(t) * 1000;
      // A trailing 1 s mean, as Ampere+ reports power usage.
      let sum = 0;
      for (let k = Math.max(0, t - 999); k <= t; k++) sum += options.powerW(k);
      s.powerUsageMw = (sum / (t - Math.max(0, t - 999) + 1)) * 1000;
      s.temperatureC = options.temperatureC?.(t) ?? 40;
      if (options.utilizationGpuPercent) s.utilizationGpuPercent = options.utilizationGpuPercent(t);
    }
    energyMj += options.powerW(t); // W x 1 ms = mJ
  }
  return [...steps.values()].sort((a, b) => a.tMs - b.tMs);
}
