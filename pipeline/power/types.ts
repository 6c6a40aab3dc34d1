import type { GpuState, ManifestBaseline, ManifestPowerDomain, ManifestPowerSource } from '../contracts/index.js';

/** A power source as named in experiment files (`power.sources`). */
export type PowerSourceName = 'nvml' | 'nvidia-smi' | 'rapl' | 'none';
/** A source that produces samples. */
export type SampledSourceName = Exclude<PowerSourceName, 'none'>;

/** How a domain's power is sampled. averagePowerW is smoothed by the sensor and is never integrated as instant. */
export type PowerQuantity = 'instantPowerW' | 'averagePowerW';

/**
 * One thing a source measures: 'gpu:0', 'package-0', 'dram-0', with its counter and power reading.
 * This and `SourceStatus` are the run manifest's records (`power.sources[]` in
 * schemas/run-manifest.schema.json), so they are the generated types. JSON-safe.
 */
export type DomainInfo = ManifestPowerDomain;
/** An energy counter of one domain (resolution, update period, accuracy). */
export type CounterInfo = NonNullable<DomainInfo['counter']>;
/** A power reading of one domain (instant or sensor-averaged, accuracy). */
export type PowerInfo = NonNullable<DomainInfo['power']>;
/** What `probe()` found for one configured source: available or not, why, and how to fix it. */
export type SourceStatus = ManifestPowerSource;

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
  /** GPU utilisation in % (GPU domains whose source reads it; absent or empty otherwise). */
  utilizationPercent?: TimedValue[];
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

/** Idle power of one domain (an entry of the manifest's `power.baseline.domains`). */
export type BaselineDomain = ManifestBaseline['domains'][number];

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
export type BaselineRecord = ManifestBaseline;

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
