import type { Clock } from '../core/index.js';
import type { NvmlLoader } from './nvml-api.js';
import { koffiNvmlLoader } from './nvml-binding.js';
import { NvmlSource } from './nvml-source.js';
import { NvidiaSmiSource } from './nvidia-smi-source.js';
import type { NvidiaSmiPort, SysfsReader } from './ports.js';
import { PowerMonitor } from './power-monitor.js';
import { RaplSource } from './rapl-source.js';
import type { PowerSource } from './source.js';
import type { PowerSourceName, SourceStatus } from './types.js';

/** The side effects power sources need; defaults are the real host. */
export interface PowerDeps {
  clock: Clock;
  /** sysfs reads (default node:fs). */
  sysfs?: SysfsReader;
  /** Default /sys/class/powercap. */
  powercapRoot?: string;
  /** Default /sys/class/hwmon (amd_energy); null skips it. */
  hwmonRoot?: string | null;
  /** nvidia-smi runner (default execa on PATH). */
  smi?: NvidiaSmiPort;
  /** NVML loader (default koffi over libnvidia-ml.so.1, loaded on first probe). */
  nvml?: NvmlLoader;
  /** GPUs to measure (default all). */
  gpuIndices?: number[];
  /** Other GPUs, recorded as context only (default: every GPU not measured). */
  contextGpuIndices?: number[];
}

export interface PowerSettings {
  /** As in experiment `power.sources` (the validated experiment always has them). */
  sources: PowerSourceName[];
  /** Requested sampling rate, Hz (experiment `power.sampleHz`). */
  sampleHz: number;
  /** Counter update-period detection burst at probe, ms (default 500; 0 skips). */
  updatePeriodBurstMs?: number;
}

/** One source object per configured sampled source name ('none' has no object). */
export function createPowerSources(names: PowerSourceName[], deps: PowerDeps): PowerSource[] {
  const sources: PowerSource[] = [];
  for (const name of new Set(names)) {
    if (name === 'rapl') sources.push(new RaplSource({ clock: deps.clock, fs: deps.sysfs, powercapRoot: deps.powercapRoot, hwmonRoot: deps.hwmonRoot }));
    if (name === 'nvml')
      sources.push(
        new NvmlSource({ clock: deps.clock, load: deps.nvml ?? koffiNvmlLoader(), gpuIndices: deps.gpuIndices, contextGpuIndices: deps.contextGpuIndices }),
      );
    if (name === 'nvidia-smi')
      sources.push(new NvidiaSmiSource({ clock: deps.clock, smi: deps.smi, gpuIndices: deps.gpuIndices, contextGpuIndices: deps.contextGpuIndices }));
  }
  return sources;
}

/** A monitor over the configured sources. Nothing is opened until probe()/start(). */
export function createPowerMonitor(settings: PowerSettings, deps: PowerDeps): PowerMonitor {
  const configured = settings.sources;
  return new PowerMonitor({
    clock: deps.clock,
    sources: createPowerSources(configured, deps),
    configured,
    sampleHz: settings.sampleHz,
    updatePeriodBurstMs: settings.updatePeriodBurstMs,
  });
}

/** For `greenrt doctor`: probes every source greenrt knows (or those given), then closes them. */
export async function probePowerSources(deps: PowerDeps, names: PowerSourceName[] = ['nvml', 'nvidia-smi', 'rapl']): Promise<SourceStatus[]> {
  // A probe never samples: the rate only labels the series it declares, which close() discards.
  const monitor = createPowerMonitor({ sources: names, sampleHz: 1 }, deps);
  try {
    return await monitor.probe();
  } finally {
    await monitor.close();
  }
}
