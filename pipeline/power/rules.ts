import type { TrialResult } from '../contracts/index.js';
import type { Recorded } from './types.js';

/** Measurement rules a trial must keep to be valid. Ratios are unitless. */
export interface MeasurementRules {
  /** Each counted reading must cover at least this share of the window (default 0.9). */
  minCoverage: number;
  /** Largest |counter - integrated| / counter allowed when both exist (default 0.15). */
  maxDisagreement: number;
  /** Achieved sampling rate must reach this share of the requested one (default 0.5). */
  minAchievedRateRatio: number;
  /** The window must span at least this many counter updates (default 10). */
  minCounterUpdatesPerWindow: number;
  /** GPU throttle reasons that invalidate a trial (default: thermal and hardware slowdowns). */
  invalidThrottleReasons: string[];
  /** Other compute processes on a measured GPU invalidate the trial (default true). */
  rejectOtherGpuProcesses: boolean;
}

export const defaultMeasurementRules: MeasurementRules = {
  minCoverage: 0.9,
  maxDisagreement: 0.15,
  minAchievedRateRatio: 0.5,
  minCounterUpdatesPerWindow: 10,
  // SwPowerCap is left out: a GPU at its power limit under full load is the workload, not a fault.
  invalidThrottleReasons: ['HwSlowdown', 'HwThermalSlowdown', 'SwThermalSlowdown', 'HwPowerBrakeSlowdown'],
  rejectOtherGpuProcesses: true,
};

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Reasons this trial breaks a measurement rule (empty when none). The orchestrator marks the
 * trial invalid with them; the cool-down gate is reported by the orchestrator itself.
 */
export function checkMeasurementRules(
  input: { energy: TrialResult['energy']; recorded: Recorded | null; window: { startNs: string | bigint; endNs: string | bigint } | null },
  rules: Partial<MeasurementRules> = {},
): string[] {
  const r = { ...defaultMeasurementRules, ...rules };
  const { energy, recorded, window } = input;
  const reasons: string[] = [];
  if (!recorded || !window) return reasons;
  const startNs = BigInt(window.startNs);
  const endNs = BigInt(window.endNs);
  const windowMs = Number(endNs - startNs) / 1e6;
  if (startNs < recorded.startNs || endNs > recorded.endNs) {
    const outMs = Math.max(Number(recorded.startNs - startNs), Number(endNs - recorded.endNs), 0) / 1e6;
    reasons.push(`measure window lies outside the power recording by ${outMs.toFixed(1)} ms: are the entrypoint's markers CLOCK_MONOTONIC of this host?`);
  }
  for (const reading of energy.readings) {
    if (reading.provenance === 'unavailable') continue;
    const name = `${reading.domain} (${reading.source})`;
    if (reading.coverage !== null && reading.coverage !== undefined && reading.coverage < r.minCoverage) {
      reasons.push(`${name}: samples cover ${pct(reading.coverage)} of the measure window (< ${pct(r.minCoverage)})`);
    }
    const d = reading.crossCheck?.disagreement;
    if (d !== undefined && Math.abs(d) > r.maxDisagreement) {
      reasons.push(`${name}: energy counter and integrated power disagree by ${pct(d)} (> ${pct(r.maxDisagreement)})`);
    }
    const series = recorded.series.find((s) => s.info.source === reading.source && s.info.domain === reading.domain);
    if (series && reading.achievedHz !== null && reading.achievedHz !== undefined && reading.achievedHz < r.minAchievedRateRatio * series.requestedHz) {
      reasons.push(`${name}: sampled at ${reading.achievedHz.toFixed(2)} Hz of ${series.requestedHz} Hz requested`);
    }
    const period = reading.counterUpdatePeriodMs;
    if (reading.provenance === 'counter' && period && windowMs < r.minCounterUpdatesPerWindow * period) {
      reasons.push(
        `${name}: the ${windowMs.toFixed(1)} ms window spans fewer than ${r.minCounterUpdatesPerWindow} counter updates (${period} ms each); run more measured iterations`,
      );
    }
  }
  for (const state of recorded.gpuState) {
    if (state.measured === false) continue; // context GPUs: see measurementWarnings
    const bad = (state.throttleReasons ?? []).filter((t) => r.invalidThrottleReasons.includes(t));
    if (bad.length) reasons.push(`gpu:${state.index} throttled (${bad.join(', ')}) at ${state.atNs}`);
    if (r.rejectOtherGpuProcesses && state.otherProcesses && state.otherProcesses.length > 0) {
      reasons.push(
        `gpu:${state.index} has other compute processes (${state.otherProcesses.map((p) => `${p.pid}${p.name ? ` ${p.name}` : ''}`).join(', ')}) at ${state.atNs}`,
      );
    }
  }
  return [...new Set(reasons)];
}

/**
 * Notes that do not invalidate a trial: activity on GPUs the trial neither runs on nor is measured
 * on (other users' processes, or power well above the GPU's own start reading). Their energy is never
 * in the trial's total, but they share the host's power supply, cooling and PCIe bus.
 */
export function measurementWarnings(recorded: Recorded | null): string[] {
  if (!recorded) return [];
  const warnings: string[] = [];
  for (const state of recorded.gpuState) {
    if (state.measured !== false) continue;
    if (state.otherProcesses && state.otherProcesses.length > 0) {
      const list = state.otherProcesses.map((p) => `${p.pid}${p.name ? ` ${p.name}` : ''}`).join(', ');
      warnings.push(
        `activity on gpu:${state.index}, which is not measured: compute processes ${list} at ${state.atNs} (its energy is not in this trial's total)`,
      );
    }
  }
  return [...new Set(warnings)];
}
