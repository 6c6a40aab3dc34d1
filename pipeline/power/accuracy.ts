/**
 * Assumed sensor accuracies (relative, ±), used in every reading's uncertaintyJ. They are
 * assumptions, stated once here and overridable through the sources' options.
 *
 * - NVML power and energy: NVIDIA documents "+/- 5% of current power draw" for board power
 *   (nvmlDeviceGetPowerUsage); nothing tighter is published for the energy counter.
 * - nvidia-smi reads the same sensors through NVML.
 * - RAPL package: model-based on older Intel parts, measured since Haswell; studies against
 *   external meters report agreement within a few percent for package energy. We assume ±5 %.
 * - RAPL DRAM: less validated and platform dependent; we assume ±10 %.
 */
export const defaultAccuracy = {
  nvml: 0.05,
  nvidiaSmi: 0.05,
  raplPackage: 0.05,
  raplDram: 0.1,
} as const;

/** nvidia-smi's power.draw and NVML's power usage average over 1 s on Ampere and later. */
export const AVERAGING_WINDOW_MS = 1000;

/** NVML's energy counter counts in mJ. */
export const NVML_COUNTER_RESOLUTION_J = 1e-3;

/** powercap's energy_uj counts in µJ. */
export const RAPL_COUNTER_RESOLUTION_J = 1e-6;
