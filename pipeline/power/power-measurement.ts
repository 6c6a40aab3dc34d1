import type { PowerTrace, TrialResult } from '../contracts/index.js';
import type { ExperimentSpec } from '../config/index.js';
import { baselineFromRecord, baselineRecord } from './baseline.js';
import { createPowerMonitor, type PowerDeps } from './create-sources.js';
import type { PowerMonitor, Recording } from './power-monitor.js';
import { toPowerTrace } from './power-trace.js';
import { checkMeasurementRules, measurementWarnings, type MeasurementRules } from './rules.js';
import type { BaselineRecord, CooldownResult, Recorded, SourceStatus } from './types.js';
import { gpuUtilizationForWindow } from './gpu-utilization.js';
import { energyForWindow } from './window-energy.js';

/** Experiment `power` settings as validated (schema defaults applied; seconds, as in the YAML) plus rule overrides. */
export type PowerMeasurementSettings = ExperimentSpec['power'] & {
  rules?: Partial<MeasurementRules>;
  updatePeriodBurstMs?: number;
};

/** What the monitor says about one trial's measure window. */
export interface MeasuredWindow {
  energy: TrialResult['energy'];
  /** The samples to store (null: nothing was sampled). */
  trace: PowerTrace | null;
  gpuState: TrialResult['gpuState'];
  /** Mean GPU utilisation over the window (sampled, or unavailable with the reason). */
  gpuUtilization?: TrialResult['gpuUtilization'];
  /** Measurement rules the window broke (the trial becomes invalid). */
  invalidReasons: string[];
  warnings: string[];
}

/**
 * The monitor as the run loop uses it (implements the orchestrator's MeasurementPort): settings
 * in seconds from the experiment, JSON records for the manifest, and one call that turns a
 * recording and the entrypoint's measure window into energy, trace, GPU state and rule violations.
 */
export class PowerMeasurement {
  private constructor(
    readonly monitor: PowerMonitor,
    private readonly settings: PowerMeasurementSettings,
  ) {}

  /** Builds the monitor and probes the sources (nothing samples until the baseline or a trial). */
  static async open(settings: PowerMeasurementSettings, deps: PowerDeps): Promise<PowerMeasurement> {
    const monitor = createPowerMonitor({ sources: settings.sources, sampleHz: settings.sampleHz, updatePeriodBurstMs: settings.updatePeriodBurstMs }, deps);
    await monitor.probe();
    return new PowerMeasurement(monitor, settings);
  }

  async describeSources(): Promise<SourceStatus[]> {
    return (await this.monitor.probe()).map((s) => ({ ...s }));
  }

  canMeasure(): boolean {
    return this.monitor.canMeasure();
  }

  /** Measures the idle baseline (power.baselineS); a manifest record, also when skipped. */
  async measureBaseline(signal?: AbortSignal): Promise<BaselineRecord> {
    const seconds = this.settings.baselineS;
    if (seconds <= 0) return { durationMs: 0, domains: [], reason: 'power.baselineS is 0: no idle baseline, net energy unavailable' };
    if (!this.canMeasure()) return { durationMs: 0, domains: [], reason: 'no power source works: no idle baseline' };
    return baselineRecord(await this.monitor.measureBaseline(seconds * 1000, signal));
  }

  /** The baseline's power trace (trialId 'baseline'), null before one was measured. */
  baselineTrace(runId: string): PowerTrace | null {
    const b = this.monitor.baseline;
    return b?.recorded.series.length ? toPowerTrace(runId, b.recorded) : null;
  }

  /** On resume: reuse the baseline recorded in the manifest instead of measuring a new one. */
  restoreBaseline(record: BaselineRecord | null): void {
    this.monitor.baseline = record ? baselineFromRecord(record) : null;
  }

  async waitForCooldown(signal?: AbortSignal): Promise<CooldownResult> {
    const c = this.settings.cooldown;
    return this.monitor.waitForCooldown(
      { minMs: c.minS * 1000, maxMs: c.maxS * 1000, powerTolerance: c.powerTolerance, temperatureToleranceC: c.temperatureToleranceC },
      signal,
    );
  }

  startRecording(trialId: string): Promise<Recording> {
    return this.monitor.startRecording(trialId);
  }

  /** Energy of exactly the measure window; trace, GPU state, mean GPU utilisation and rule violations of the trial. */
  energyForWindow(
    rec: Recorded | null,
    window: { startNs: string; endNs: string } | null,
    measuredIterations: number,
    ids: { runId: string; trialId: string },
  ): MeasuredWindow {
    const energy = energyForWindow(rec, window, this.monitor.baseline, measuredIterations);
    return {
      energy,
      trace: rec && rec.series.length > 0 ? toPowerTrace(ids.runId, rec) : null,
      gpuState: rec?.gpuState ?? [],
      gpuUtilization: gpuUtilizationForWindow(rec, window),
      invalidReasons: checkMeasurementRules({ energy, recorded: rec, window }, this.settings.rules),
      warnings: measurementWarnings(rec),
    };
  }

  close(): Promise<void> {
    return this.monitor.close();
  }
}
