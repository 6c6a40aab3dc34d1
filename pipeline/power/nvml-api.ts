/**
 * The slice of NVML greenrt uses, as an interface: the real binding (koffi over libnvidia-ml,
 * `nvml-binding.ts`) and the replay fake (`pipeline/testing/fake-nvml.ts`) both implement it.
 * Units are NVML's own (mW, mJ, MHz, °C); sources convert.
 */

export const NvmlReturn = {
  SUCCESS: 0,
  UNINITIALIZED: 1,
  INVALID_ARGUMENT: 2,
  NOT_SUPPORTED: 3,
  NO_PERMISSION: 4,
  NOT_FOUND: 6,
  INSUFFICIENT_SIZE: 7,
  DRIVER_NOT_LOADED: 9,
  LIBRARY_NOT_FOUND: 12,
  FUNCTION_NOT_FOUND: 13,
  GPU_IS_LOST: 15,
  UNKNOWN: 999,
} as const;

/** nvmlFieldValue_t field ids. */
export const NvmlField = { POWER_AVERAGE: 185, POWER_INSTANT: 186 } as const;

/** An NVML call failed; `nvmlReturn` is the nvmlReturn_t code. */
export class NvmlError extends Error {
  constructor(
    readonly call: string,
    readonly nvmlReturn: number,
    readonly text: string,
  ) {
    super(`${call}: ${text} (nvmlReturn ${nvmlReturn})`);
    this.name = 'NvmlError';
  }
  get notSupported(): boolean {
    return this.nvmlReturn === NvmlReturn.NOT_SUPPORTED || this.nvmlReturn === NvmlReturn.FUNCTION_NOT_FOUND;
  }
}

export interface NvmlProcess {
  pid: number;
  /** Bytes; null when NVML does not say (NVML_VALUE_NOT_AVAILABLE). */
  usedMemoryBytes: number | null;
}

export interface NvmlFieldReading {
  value: number;
  /** When NVML took the value: CPU time in µs since 1970. */
  timestampUs: number;
}

/** One GPU. Every method throws NvmlError on failure. */
export interface NvmlDevice {
  name(): string;
  uuid(): string;
  /** [major, minor]. */
  cudaComputeCapability(): [number, number];
  /** Energy since the driver loaded, mJ (Volta and later). */
  totalEnergyConsumptionMj(): number;
  /** Board power, mW: averaged over 1 s on Ampere (except GA100) and later, instant before. */
  powerUsageMw(): number;
  /** One field of nvmlDeviceGetFieldValues (scope 0 = GPU). */
  fieldValue(fieldId: number): NvmlFieldReading;
  temperatureC(): number;
  /** nvmlDeviceGetUtilizationRates().gpu: share of the last sample period (1/6 s to 1 s by product) in which a kernel ran, %. */
  utilizationGpuPercent(): number;
  clockMHz(kind: 'sm' | 'mem'): number;
  enforcedPowerLimitMw(): number;
  /** nvmlClocksEventReasons bitmask. */
  clocksEventReasons(): number;
  persistenceMode(): boolean;
  /** nvmlDeviceGetMigMode's current mode: true when MIG is enabled (Ampere and later; NOT_SUPPORTED before). */
  migEnabled(): boolean;
  computeProcesses(): NvmlProcess[];
}

export interface NvmlBinding {
  /** Where the library came from, for reports. */
  readonly libraryPath: string;
  init(): void;
  shutdown(): void;
  driverVersion(): string;
  deviceCount(): number;
  device(index: number): NvmlDevice;
}

/** Loads a binding; rejects with NvmlUnavailableError when the library cannot be loaded. */
export type NvmlLoader = () => Promise<NvmlBinding>;

/** The NVML library could not be loaded or initialised. */
export class NvmlUnavailableError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'NvmlUnavailableError';
  }
}

/** nvmlClocksEventReasons bits (nvml.h), named as nvidia-smi names them. */
export const throttleReasonBits: [number, string][] = [
  [0x1, 'GpuIdle'],
  [0x2, 'ApplicationsClocksSetting'],
  [0x4, 'SwPowerCap'],
  [0x8, 'HwSlowdown'],
  [0x10, 'SyncBoost'],
  [0x20, 'SwThermalSlowdown'],
  [0x40, 'HwThermalSlowdown'],
  [0x80, 'HwPowerBrakeSlowdown'],
  [0x100, 'DisplayClockSetting'],
];

export function decodeThrottleReasons(mask: number | bigint): string[] {
  const m = BigInt(mask);
  const names = throttleReasonBits.filter(([bit]) => (m & BigInt(bit)) !== 0n).map(([, name]) => name);
  const known = throttleReasonBits.reduce((acc, [bit]) => acc | BigInt(bit), 0n);
  const unknown = m & ~known;
  if (unknown !== 0n) names.push(`0x${unknown.toString(16)}`);
  return names;
}

/**
 * Whether nvmlDeviceGetPowerUsage (and nvidia-smi power.draw) is a 1 s average: on Ampere except
 * GA100 (compute capability 8.0) and later, per the NVML reference. Unknown counts as averaged.
 */
export function powerUsageIsAveraged(cc: [number, number] | null, tool: 'nvml' | 'nvidia-smi'): boolean {
  if (!cc) return true;
  const [major, minor] = cc;
  // nvidia-smi's documentation says "Ampere or newer" without the GA100 exception: keep it strict.
  if (tool === 'nvidia-smi') return major >= 8;
  return major > 8 || (major === 8 && minor > 0);
}
