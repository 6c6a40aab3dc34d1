import type { GpuState } from '../contracts/index.js';

/** A power source as named in experiment files (`power.sources`). */
export type PowerSourceName = 'nvml' | 'nvidia-smi' | 'rapl' | 'none';
/** A source that produces samples. */
export type SampledSourceName = Exclude<PowerSourceName, 'none'>;

/** How a domain's power is sampled. averagePowerW is smoothed by the sensor and is never integrated as instant. */
export type PowerQuantity = 'instantPowerW' | 'averagePowerW';

/** An energy counter of one domain. */
export interface CounterInfo {
  /** Smallest step of the counter as read, J (NVML: 1 mJ; RAPL sysfs: 1 µJ, hardware unit ~15-61 µJ). */
  resolutionJ: number;
  /** How often the hardware updates the counter, ms (null until detected). */
  updatePeriodMs: number | null;
  /** True when updatePeriodMs is only an upper bound (the counter changed on every read). */
  updatePeriodIsUpperBound: boolean;
  /** Assumed relative accuracy of the energy (ratio, e.g. 0.05 = ±5 %). */
  accuracyRel: number;
}

/** A power reading of one domain. */
export interface PowerInfo {
  quantity: PowerQuantity;
  /** For averagePowerW: the sensor's averaging window, ms (null if unknown). */
  averagingWindowMs: number | null;
  /** Assumed relative accuracy of one power reading (ratio). */
  accuracyRel: number;
}

/** One thing a source measures. JSON-safe (it goes into the run manifest). */
export interface DomainInfo {
  source: SampledSourceName;
  /** 'gpu:0', 'package-0', 'dram-0'. */
  domain: string;
  /** Distinct physical hardware, for totals: two sources measuring 'gpu:0' are the same GPU. */
  hardware: string;
  counter: CounterInfo | null;
  power: PowerInfo | null;
  /** Whether the domain reports a temperature (GPUs), used by the cool-down gate. */
  temperature: boolean;
  /** Human detail: device name, zone path. */
  label: string;
}

/** What `probe()` found for one configured source. JSON-safe. */
export interface SourceStatus {
  source: PowerSourceName;
  available: boolean;
  domains: DomainInfo[];
  /** Why the source (or part of it) does not work; null when it fully works. */
  reason: string | null;
  /** How to fix it; null when nothing to fix. */
  fix: string | null;
  /** Driver version, device names, zone paths. */
  detail: string | null;
}

/** A timestamped value: `tNs` is CLOCK_MONOTONIC ns, `v` in the series' unit. */
export interface TimedValue {
  tNs: bigint;
  v: number;
}

/** Samples of one domain over a span. */
export interface DomainSeries {
  info: DomainInfo;
  /** Cumulative energy in J (wrap-corrected, arbitrary origin), one value per counter read. */
  counter: TimedValue[];
  /** Power in W, quantity per info.power. */
  power: TimedValue[];
  /** Temperature in °C. */
  temperatureC: TimedValue[];
  /** Requested sampling rate of this domain, Hz. */
  requestedHz: number;
  /** Counter wraps corrected inside the span (count). */
  wraps: number;
  /** Read errors seen during the span. */
  errors: string[];
}

/** What a recording captured around one trial (or the baseline): input to `energyForWindow`. */
export interface Recorded {
  trialId: string;
  /** Recording span, CLOCK_MONOTONIC ns. Samples may reach slightly outside it (one on each side). */
  startNs: bigint;
  endNs: bigint;
  series: DomainSeries[];
  /** Configured sources that do not work, with reasons. */
  unavailable: SourceStatus[];
  /** GPU state at recording start and end. */
  gpuState: GpuState[];
}

/** Idle power of one domain. */
export interface BaselineDomain {
  source: SampledSourceName;
  domain: string;
  hardware: string;
  /** Mean idle power, W (null when it could not be measured). */
  powerW: number | null;
  provenance: 'counter' | 'integrated' | 'estimated' | 'unavailable';
  /** Mean idle temperature, °C (GPUs; null otherwise). */
  temperatureC: number | null;
}

/** The idle baseline measured before the run. */
export interface Baseline {
  startNs: bigint;
  endNs: bigint;
  durationMs: number;
  domains: BaselineDomain[];
  /** Why some or all domains have no baseline (null when complete). */
  reason: string | null;
  recorded: Recorded;
}

/** A baseline as the run manifest records it (`power.baseline`): nanoseconds as decimal strings, no samples. */
export interface BaselineRecord {
  startNs?: string;
  endNs?: string;
  durationMs: number;
  domains: BaselineDomain[];
  reason: string | null;
}

/** Cool-down gate settings (experiment `power.cooldown`, in ms here). */
export interface CooldownOptions {
  /** Rest before every trial, ms. */
  minMs: number;
  /** Longest wait, ms; the gate is not met past it. */
  maxMs: number;
  /** Met when power <= baseline x (1 + powerTolerance) (ratio). */
  powerTolerance: number;
  /** Met when GPU temperature <= baseline + this, °C. */
  temperatureToleranceC: number;
  /** How often the gate is evaluated, ms (default 1000). */
  pollMs?: number;
  /** Power is averaged over this trailing span when evaluated, ms (default 1000). */
  evaluateOverMs?: number;
  /** Baseline to compare with (default: the monitor's last measured baseline). */
  baseline?: Baseline | null;
}

/** The gate's outcome, as stored in TrialResult.cooldown. */
export interface CooldownResult {
  waitedMs: number;
  met: boolean;
  detail: string;
}
