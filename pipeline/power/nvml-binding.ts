import {
  NvmlError,
  NvmlReturn,
  NvmlUnavailableError,
  type NvmlBinding,
  type NvmlDevice,
  type NvmlFieldReading,
  type NvmlLoader,
  type NvmlProcess,
} from './nvml-api.js';

/**
 * The real NVML binding: koffi over libnvidia-ml, loaded lazily (koffi's native module and the
 * library are only touched when a loader runs). Out-parameters are Buffers decoded by hand, so the
 * struct layouts are spelled out here (x86-64 / aarch64 Linux, little endian):
 *   nvmlFieldValue_t (40 B): fieldId u32 @0, scopeId u32 @4, timestamp i64 @8 (µs since 1970),
 *     latencyUsec i64 @16, valueType u32 @24, nvmlReturn u32 @28, value union (8 B) @32.
 *   nvmlProcessInfo_t v2/v3 (24 B): pid u32 @0, usedGpuMemory u64 @8, gpuInstanceId @16, computeInstanceId @20.
 *   nvmlProcessInfo_v1_t (16 B): pid u32 @0, usedGpuMemory u64 @8.
 *   nvmlUtilization_t (8 B): gpu u32 @0, memory u32 @4 (percent).
 */

type Fn = (...args: unknown[]) => unknown;
interface KoffiLib {
  func(name: string, result: unknown, args: unknown[]): Fn;
}
interface Koffi {
  load(path: string): KoffiLib;
  opaque(): unknown;
  pointer(type: unknown): unknown;
  out(type: unknown): unknown;
}

const FIELD_VALUE_SIZE = 40;
const NVML_VALUE_NOT_AVAILABLE = 0xffffffffffffffffn;

export interface KoffiNvmlOptions {
  /** Tried in order; default libnvidia-ml.so.1 then libnvidia-ml.so (the dynamic loader's search path). */
  libraryPaths?: string[];
}

/** A loader for the real library. Missing koffi or library -> NvmlUnavailableError with the fix. */
export function koffiNvmlLoader(options: KoffiNvmlOptions = {}): NvmlLoader {
  return async () => {
    let koffi: Koffi;
    try {
      koffi = ((await import('koffi')) as unknown as { default: Koffi }).default;
    } catch (e) {
      throw new NvmlUnavailableError(
        `the koffi native module could not be loaded (${(e as Error).message})`,
        'Reinstall dependencies (`npm ci`) on this platform; koffi ships prebuilt binaries for Linux x64 and arm64.',
      );
    }
    const paths = options.libraryPaths ?? ['libnvidia-ml.so.1', 'libnvidia-ml.so'];
    const failures: string[] = [];
    for (const path of paths) {
      try {
        return new KoffiNvml(koffi, koffi.load(path), path);
      } catch (e) {
        failures.push(`${path}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    throw new NvmlUnavailableError(
      `libnvidia-ml.so.1 not found (${failures.join('; ')})`,
      'Install the NVIDIA driver (it ships NVML); inside a container, run with the NVIDIA Container Toolkit (`--gpus all`). On a host without an NVIDIA GPU, drop "nvml" from power.sources.',
    );
  };
}

class KoffiNvml implements NvmlBinding {
  private readonly f: Record<string, Fn | null> = {};
  private readonly errorString: Fn;
  private readonly devicePtr: unknown;

  constructor(
    koffi: Koffi,
    // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held so the loaded library lives as long as its functions
    private readonly lib: KoffiLib,
    readonly libraryPath: string,
  ) {
    this.devicePtr = koffi.pointer(koffi.opaque());
    const dev = this.devicePtr;
    const fns: [string, unknown[]][] = [
      ['nvmlInit_v2', []],
      ['nvmlShutdown', []],
      ['nvmlSystemGetDriverVersion', ['void *', 'uint']],
      ['nvmlDeviceGetCount_v2', ['void *']],
      ['nvmlDeviceGetHandleByIndex_v2', ['uint', koffi.out(koffi.pointer(dev))]],
      ['nvmlDeviceGetName', [dev, 'void *', 'uint']],
      ['nvmlDeviceGetUUID', [dev, 'void *', 'uint']],
      ['nvmlDeviceGetCudaComputeCapability', [dev, 'void *', 'void *']],
      ['nvmlDeviceGetTotalEnergyConsumption', [dev, 'void *']],
      ['nvmlDeviceGetPowerUsage', [dev, 'void *']],
      ['nvmlDeviceGetFieldValues', [dev, 'int', 'void *']],
      ['nvmlDeviceGetTemperature', [dev, 'int', 'void *']],
      ['nvmlDeviceGetUtilizationRates', [dev, 'void *']],
      ['nvmlDeviceGetClockInfo', [dev, 'int', 'void *']],
      ['nvmlDeviceGetEnforcedPowerLimit', [dev, 'void *']],
      ['nvmlDeviceGetCurrentClocksEventReasons', [dev, 'void *']],
      ['nvmlDeviceGetCurrentClocksThrottleReasons', [dev, 'void *']],
      ['nvmlDeviceGetPersistenceMode', [dev, 'void *']],
      ['nvmlDeviceGetMigMode', [dev, 'void *', 'void *']],
      ['nvmlDeviceGetComputeRunningProcesses_v3', [dev, 'void *', 'void *']],
      ['nvmlDeviceGetComputeRunningProcesses_v2', [dev, 'void *', 'void *']],
      ['nvmlDeviceGetComputeRunningProcesses', [dev, 'void *', 'void *']],
    ];
    for (const [name, args] of fns) {
      try {
        this.f[name] = lib.func(name, 'int', args);
      } catch {
        this.f[name] = null; // older drivers lack newer entry points
      }
    }
    this.errorString = lib.func('nvmlErrorString', 'str', ['int']);
  }

  /** Calls an NVML function; throws NvmlError unless it returns NVML_SUCCESS. */
  call(name: string, ...args: unknown[]): void {
    const fn = this.f[name];
    if (!fn) throw new NvmlError(name, NvmlReturn.FUNCTION_NOT_FOUND, `${name} is not in ${this.libraryPath}`);
    const rc = fn(...args) as number;
    if (rc !== NvmlReturn.SUCCESS) throw new NvmlError(name, rc, String(this.errorString(rc)));
  }

  /** The first of several alternative entry points that exists. */
  pick(...names: string[]): string {
    return names.find((n) => this.f[n]) ?? names[0]!;
  }

  init(): void {
    this.call('nvmlInit_v2');
  }
  shutdown(): void {
    this.call('nvmlShutdown');
  }
  driverVersion(): string {
    const buf = Buffer.alloc(96);
    this.call('nvmlSystemGetDriverVersion', buf, buf.length);
    return cString(buf);
  }
  deviceCount(): number {
    const buf = Buffer.alloc(4);
    this.call('nvmlDeviceGetCount_v2', buf);
    return buf.readUInt32LE(0);
  }
  device(index: number): NvmlDevice {
    const out: unknown[] = [null];
    this.call('nvmlDeviceGetHandleByIndex_v2', index, out);
    return new KoffiNvmlDevice(this, out[0]);
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString('utf8', 0, end < 0 ? buf.length : end);
}

class KoffiNvmlDevice implements NvmlDevice {
  constructor(
    private readonly nvml: KoffiNvml,
    private readonly handle: unknown,
  ) {}

  private u32(name: string, ...before: unknown[]): number {
    const buf = Buffer.alloc(4);
    this.nvml.call(name, this.handle, ...before, buf);
    return buf.readUInt32LE(0);
  }
  private text(name: string, size: number): string {
    const buf = Buffer.alloc(size);
    this.nvml.call(name, this.handle, buf, size);
    return cString(buf);
  }

  name(): string {
    return this.text('nvmlDeviceGetName', 96);
  }
  uuid(): string {
    return this.text('nvmlDeviceGetUUID', 96);
  }
  cudaComputeCapability(): [number, number] {
    const major = Buffer.alloc(4);
    const minor = Buffer.alloc(4);
    this.nvml.call('nvmlDeviceGetCudaComputeCapability', this.handle, major, minor);
    return [major.readInt32LE(0), minor.readInt32LE(0)];
  }
  totalEnergyConsumptionMj(): number {
    const buf = Buffer.alloc(8);
    this.nvml.call('nvmlDeviceGetTotalEnergyConsumption', this.handle, buf);
    return Number(buf.readBigUInt64LE(0));
  }
  powerUsageMw(): number {
    return this.u32('nvmlDeviceGetPowerUsage');
  }
  fieldValue(fieldId: number): NvmlFieldReading {
    const buf = Buffer.alloc(FIELD_VALUE_SIZE);
    buf.writeUInt32LE(fieldId, 0); // scopeId 0: the GPU itself
    this.nvml.call('nvmlDeviceGetFieldValues', this.handle, 1, buf);
    const rc = buf.readUInt32LE(28);
    if (rc !== NvmlReturn.SUCCESS) throw new NvmlError(`nvmlDeviceGetFieldValues(field ${fieldId})`, rc, `field returned ${rc}`);
    return { value: decodeFieldValue(buf), timestampUs: Number(buf.readBigInt64LE(8)) };
  }
  temperatureC(): number {
    return this.u32('nvmlDeviceGetTemperature', 0); // NVML_TEMPERATURE_GPU
  }
  utilizationGpuPercent(): number {
    const buf = Buffer.alloc(8); // nvmlUtilization_t: gpu u32 @0, memory u32 @4
    this.nvml.call('nvmlDeviceGetUtilizationRates', this.handle, buf);
    return buf.readUInt32LE(0);
  }
  clockMHz(kind: 'sm' | 'mem'): number {
    return this.u32('nvmlDeviceGetClockInfo', kind === 'sm' ? 1 : 2); // NVML_CLOCK_SM, NVML_CLOCK_MEM
  }
  enforcedPowerLimitMw(): number {
    return this.u32('nvmlDeviceGetEnforcedPowerLimit');
  }
  clocksEventReasons(): number {
    const buf = Buffer.alloc(8);
    this.nvml.call(this.nvml.pick('nvmlDeviceGetCurrentClocksEventReasons', 'nvmlDeviceGetCurrentClocksThrottleReasons'), this.handle, buf);
    return Number(buf.readBigUInt64LE(0));
  }
  persistenceMode(): boolean {
    return this.u32('nvmlDeviceGetPersistenceMode') === 1;
  }
  migEnabled(): boolean {
    const current = Buffer.alloc(4);
    const pending = Buffer.alloc(4);
    this.nvml.call('nvmlDeviceGetMigMode', this.handle, current, pending);
    return current.readUInt32LE(0) === 1; // NVML_DEVICE_MIG_ENABLE
  }
  computeProcesses(): NvmlProcess[] {
    const name = this.nvml.pick('nvmlDeviceGetComputeRunningProcesses_v3', 'nvmlDeviceGetComputeRunningProcesses_v2', 'nvmlDeviceGetComputeRunningProcesses');
    const stride = name.endsWith('_v3') || name.endsWith('_v2') ? 24 : 16;
    // Processes can start between the two calls: leave room for a few more than counted.
    const count = Buffer.alloc(4);
    try {
      this.nvml.call(name, this.handle, count, null);
    } catch (e) {
      if (!(e instanceof NvmlError) || e.nvmlReturn !== NvmlReturn.INSUFFICIENT_SIZE) throw e;
    }
    const capacity = count.readUInt32LE(0) + 8;
    count.writeUInt32LE(capacity, 0);
    const infos = Buffer.alloc(capacity * stride);
    this.nvml.call(name, this.handle, count, infos);
    const n = count.readUInt32LE(0);
    const out: NvmlProcess[] = [];
    for (let i = 0; i < n; i++) {
      const used = infos.readBigUInt64LE(i * stride + 8);
      out.push({ pid: infos.readUInt32LE(i * stride), usedMemoryBytes: used === NVML_VALUE_NOT_AVAILABLE ? null : Number(used) });
    }
    return out;
  }
}

/** nvmlValue_t by nvmlValueType_t: 0 double, 1 uint, 2 ulong, 3 ullong, 4 sllong, 5 sint, 6 ushort. */
export function decodeFieldValue(buf: Buffer): number {
  const type = buf.readUInt32LE(24);
  switch (type) {
    case 0:
      return buf.readDoubleLE(32);
    case 1:
      return buf.readUInt32LE(32);
    case 2:
    case 3:
      return Number(buf.readBigUInt64LE(32));
    case 4:
      return Number(buf.readBigInt64LE(32));
    case 5:
      return buf.readInt32LE(32);
    case 6:
      return buf.readUInt16LE(32);
    default:
      throw new NvmlError('nvmlDeviceGetFieldValues', NvmlReturn.UNKNOWN, `unknown nvmlValueType_t ${type}`);
  }
}
