import { windowSeconds } from './energy-math.js';
import type { Baseline, BaselineDomain, BaselineRecord, Recorded } from './types.js';
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
    reason:
      domains.length === 0
        ? `no idle baseline: ${missing.join('; ') || 'no power source configured'}`
        : missing.length
          ? `partial: ${missing.join('; ')}`
          : null,
    recorded,
  };
}

/** The JSON record of a baseline for the run manifest (power.baseline). */
export function baselineRecord(b: Baseline): BaselineRecord {
  return {
    startNs: b.startNs.toString(),
    endNs: b.endNs.toString(),
    durationMs: b.durationMs,
    domains: b.domains,
    reason: b.reason,
  };
}

/**
 * Rebuilds a baseline from its manifest record (on resume); the samples are not kept. A record without
 * a window (baseline skipped: power.baselineS 0, or no source) restores no baseline.
 */
export function baselineFromRecord(record: BaselineRecord): Baseline | null {
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

/**
 * The manifest's `power.baseline` read back on resume (the manifest schema checked it is an object): a
 * BaselineRecord when it has that shape, else null (a new baseline is then measured).
 */
export function readBaselineRecord(value: unknown): BaselineRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<Record<keyof BaselineRecord, unknown>>;
  const ns = (v: unknown) => v === undefined || (typeof v === 'string' && /^\d+$/.test(v));
  if (!ns(r.startNs) || !ns(r.endNs) || typeof r.durationMs !== 'number' || !Array.isArray(r.domains)) return null;
  if (r.reason !== null && typeof r.reason !== 'string') return null;
  return value as BaselineRecord;
}
