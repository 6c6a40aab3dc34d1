import type { TrialResult } from '../contracts/index.js';
import type { Recorded } from './types.js';

export type GpuUtilization = NonNullable<TrialResult['gpuUtilization']>;

/** Sources that sample GPU utilisation, in order of preference when both measured the same GPU. */
const PREFERENCE = ['nvml', 'nvidia-smi'] as const;

/**
 * Mean GPU utilisation ('gpu' %, the share of the driver's sample period in which a kernel ran) over
 * the measure window: the samples taken inside [startNs, endNs] on every measured GPU, averaged.
 * Never a silent value: no recording, no window, no GPU source, a source without utilisation or a
 * window too short for one sample each give `unavailable` with the reason.
 */
export function gpuUtilizationForWindow(rec: Recorded | null, window: { startNs: string; endNs: string } | null): GpuUtilization {
  const unavailable = (reason: string): GpuUtilization => ({ provenance: 'unavailable', meanPercent: null, samples: 0, instrument: null, reason });
  if (!rec) return unavailable('no power recording for this trial');
  if (!window) return unavailable('the trial reported no measure window');
  const startNs = BigInt(window.startNs);
  const endNs = BigInt(window.endNs);
  const gpus = rec.series.filter((s) => s.info.source === 'nvml' || s.info.source === 'nvidia-smi');
  if (gpus.length === 0) {
    const why = rec.unavailable.filter((u) => u.source === 'nvml' || u.source === 'nvidia-smi').map((u) => `${u.source}: ${u.reason ?? 'unavailable'}`);
    return unavailable(why.length > 0 ? `no GPU source worked (${why.join('; ')})` : 'no GPU source (nvml or nvidia-smi) in power.sources');
  }
  const values: number[] = [];
  const used = new Set<string>();
  const lacking: string[] = [];
  for (const hardware of [...new Set(gpus.map((s) => s.info.hardware))].sort()) {
    const candidates = gpus
      .filter((s) => s.info.hardware === hardware)
      .sort((a, b) => PREFERENCE.indexOf(a.info.source as never) - PREFERENCE.indexOf(b.info.source as never));
    const series = candidates.find((s) => (s.utilizationPercent ?? []).length > 0);
    if (!series) {
      lacking.push(`${hardware}: ${candidates.map((s) => s.info.source).join('/')} recorded no utilisation (not supported by the driver)`);
      continue;
    }
    const inside = (series.utilizationPercent ?? []).filter((x) => x.tNs >= startNs && x.tNs <= endNs).map((x) => x.v);
    if (inside.length === 0) {
      lacking.push(
        `${hardware}: no utilisation sample inside the ${(Number(endNs - startNs) / 1e6).toFixed(0)} ms window (sampled at ${series.requestedHz} Hz)`,
      );
      continue;
    }
    values.push(...inside);
    used.add(series.info.source);
  }
  if (lacking.length > 0) return unavailable(lacking.join('; '));
  const instrument = [...used][0] as GpuUtilization['instrument'];
  return { provenance: 'sampled', meanPercent: values.reduce((a, b) => a + b, 0) / values.length, samples: values.length, instrument, reason: null };
}
