import type { ManifestBaseline } from '../contracts/index.js';
import { windowSeconds } from './energy-math.js';
import type { Baseline, BaselineDomain, Recorded } from './types.js';
import { readingForSeries, whyUnavailable } from './window-energy.js';

function meanTemperature(samples: { tNs: bigint; v: number }[], startNs: bigint, endNs: bigint): number | null {
  const inside = samples.filter((s) => s.tNs >= startNs && s.tNs <= endNs);
  return inside.length ? inside.reduce((sum, s) => sum + s.v, 0) / inside.length : null;
}

/** Idle power per source/domain over the whole recording: energy (best method) / duration. */
export function baselineFromRecorded(recorded: Recorded): Baseline {
  const w = { startNs: recorded.startNs, endNs: recorded.endNs };
  const seconds = windowSeconds(w);
  const missing: string[] = [];
  const domains: BaselineDomain[] = recorded.series.map((series) => {
    const r = readingForSeries(series, w, null);
    if (r.energyJ === null) missing.push(`${series.info.source} ${series.info.domain}: ${r.reason}`);
    return {
      source: series.info.source,
      domain: series.info.domain,
      hardware: series.info.hardware,
      powerW: r.energyJ === null || !(seconds > 0) ? null : Number((r.energyJ / seconds).toFixed(6)),
      provenance: r.provenance,
      temperatureC: series.info.temperature ? meanTemperature(series.temperatureC, w.startNs, w.endNs) : null,
    };
  });
  if (recorded.unavailable.length) missing.push(whyUnavailable(recorded.unavailable));
  return {
    startNs: recorded.startNs,
    endNs: recorded.endNs,
    durationMs: seconds * 1000,
    domains,
    reason: domains.length === 0 ? `no idle baseline: ${missing.join('; ') || 'no power source configured'}` : missing.length ? `partial: ${missing.join('; ')}` : null,
    recorded,
  };
}

/** The JSON record of a baseline for the run manifest (power.baseline). */
export function baselineRecord(b: Baseline): ManifestBaseline {
  return {
    startNs: b.startNs.toString(),
    endNs: b.endNs.toString(),
    durationMs: b.durationMs,
    domains: b.domains,
    reason: b.reason,
  };
}

/** Rebuilds a baseline from its (schema-checked) manifest record on resume; null when none was measured. The samples are not kept. */
export function baselineFromRecord(record: ManifestBaseline): Baseline | null {
  if (record.startNs === undefined || record.endNs === undefined) return null;
  const startNs = BigInt(record.startNs);
  const endNs = BigInt(record.endNs);
  return {
    startNs,
    endNs,
    durationMs: record.durationMs,
    domains: record.domains,
    reason: record.reason,
    recorded: { trialId: 'baseline', startNs, endNs, series: [], unavailable: [], gpuState: [] },
  };
}
