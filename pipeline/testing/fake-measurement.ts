/**
 * FAKE host power monitor for run-loop tests on machines without power sources: measures nothing, and says so
 * (every window's energy is 'unavailable' with the reason 'fake: no power source').
 */
import type { MeasurementPort } from '../orchestrate/ports.js';

export const unavailableEnergy = {
  window: 'measure' as const,
  readings: [],
  totalEnergyJ: null,
  totalProvenance: 'unavailable' as const,
  energyPerInferenceJ: null,
  reason: 'fake: no power source',
};

export const noPowerMeasurement: MeasurementPort = {
  describeSources: async () => [],
  canMeasure: () => false,
  measureBaseline: async () => null,
  restoreBaseline: () => undefined,
  baselineTrace: () => null,
  waitForCooldown: async () => null,
  startRecording: async (trialId) => ({ stop: async () => ({ trialId, startNs: 0n, endNs: 0n, series: [], unavailable: [], gpuState: [] }) }),
  energyForWindow: () => ({ energy: unavailableEnergy, trace: null, gpuState: [], invalidReasons: [], warnings: [] }),
  close: async () => undefined,
};
