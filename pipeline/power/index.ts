/**
 * power: host energy measurement around trials. Sources (NVML, nvidia-smi, RAPL) sit behind one
 * `PowerSource` interface; `PowerMonitor` samples every working source continuously and cuts
 * recordings out of that stream; pure functions turn a recording and the entrypoint's measure
 * window into energy with provenance and uncertainty.
 *
 * Units: times are CLOCK_MONOTONIC ns (`*Ns`, bigint in memory, decimal strings on disk), spans in
 * ms (`*Ms`), energy in J (`energyJ`), power in W (`powerW`), rates in Hz, temperatures in °C.
 *
 * Orchestrator, in order:
 *   const m = await PowerMeasurement.open(spec.power, { clock })   // probes sources (no sampling yet)
 *   m.describeSources()                // -> SourceStatus[] for the manifest (available, reason, fix)
 *   m.canMeasure()                     // false -> stop if power.required
 *   m.measureBaseline(signal)          // idle baseline (power.baselineS) -> manifest record
 *   m.baselineTrace(runId)             // PowerTrace of the baseline, or null
 *   per trial:
 *     m.waitForCooldown(signal)        // -> { waitedMs, met, detail } (TrialResult.cooldown)
 *     const rec = await m.startRecording(trialId)   // before the container/process starts
 *     ... run the trial ...
 *     const recorded = await rec.stop()              // after it ends (also when it failed)
 *     m.energyForWindow(recorded, output.phases.measure ?? null, measuredIterations, ids)
 *       // -> { energy (TrialResult.energy), trace (PowerTrace), gpuState, invalidReasons }
 *   m.restoreBaseline(manifest.power.baseline)   // on resume, instead of a new baseline
 *   await m.close()
 *
 * Lower level (same flow): createPowerMonitor(settings, deps) -> PowerMonitor with probe(),
 * measureBaseline(durationMs), waitForCooldown(CooldownOptions), startRecording(trialId),
 * gpuStateSnapshot(), close(); energyForWindow(recorded, window, baseline, measuredIterations);
 * toPowerTrace(runId, recorded); checkMeasurementRules(...).
 *
 * `greenrt doctor`: formatPowerDoctor(await probePowerSources({ clock })).
 */
export { PowerMeasurement, type MeasuredWindow, type PowerMeasurementSettings } from './power-measurement.js';
export { PowerMonitor, type PowerMonitorOptions, type Recording } from './power-monitor.js';
export { createPowerMonitor, createPowerSources, probePowerSources, type PowerDeps, type PowerSettings } from './create-sources.js';
export { energyForWindow, readingForSeries } from './window-energy.js';
export { counterEnergy, integrateInstantPower, estimateFromAveragedPower, type SpanNs } from './energy-math.js';
export { baselineFromRecorded, baselineRecord, baselineFromRecord, readBaselineRecord } from './baseline.js';
export { checkCooldown } from './cooldown.js';
export { checkMeasurementRules, measurementWarnings, defaultMeasurementRules, type MeasurementRules } from './rules.js';
export { toPowerTrace } from './power-trace.js';
export { formatPowerDoctor } from './doctor.js';
export { updatePeriodFromReads, detectUpdatePeriods, type UpdatePeriod } from './update-period.js';
export { defaultAccuracy } from './accuracy.js';
export type { PowerSource } from './source.js';
export { RaplSource, type RaplSourceOptions } from './rapl-source.js';
export { NvmlSource, type NvmlSourceOptions } from './nvml-source.js';
export { NvidiaSmiSource, type NvidiaSmiSourceOptions } from './nvidia-smi-source.js';
export { koffiNvmlLoader } from './nvml-binding.js';
export { NvmlError, NvmlUnavailableError, decodeThrottleReasons, type NvmlBinding, type NvmlDevice, type NvmlLoader } from './nvml-api.js';
export { execaNvidiaSmi, nodeSysfsReader, type NvidiaSmiPort, type SysfsReader, type CommandResult, type LineStream } from './ports.js';
export type { SampleSink } from './series-store.js';
export type * from './types.js';
export { listGpus, type GpuDevice, type GpuInventory } from './gpu-inventory.js';
