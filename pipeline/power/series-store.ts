import type { DomainInfo, DomainSeries, TimedValue } from './types.js';

/** Where sources put their samples. Times are CLOCK_MONOTONIC ns. */
export interface SampleSink {
  /** A cumulative energy value, J (wrap-corrected by the source). */
  counter(domain: string, tNs: bigint, energyJ: number): void;
  power(domain: string, tNs: bigint, powerW: number): void;
  temperature(domain: string, tNs: bigint, celsius: number): void;
  /** GPU utilisation (share of time a kernel ran), %. */
  utilization(domain: string, tNs: bigint, percent: number): void;
  /** The source corrected a counter wrap-around at tNs. */
  wrap(domain: string, tNs: bigint): void;
  error(domain: string, tNs: bigint, message: string): void;
}

interface Stored {
  info: DomainInfo;
  requestedHz: number;
  counter: TimedValue[];
  power: TimedValue[];
  temperatureC: TimedValue[];
  utilizationPercent: TimedValue[];
  wraps: bigint[];
  errors: { tNs: bigint; message: string }[];
}

/** Index of the first sample with tNs >= t (binary search on sorted samples). */
function lowerBound(xs: { tNs: bigint }[], t: bigint): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]!.tNs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [startNs, endNs] plus the nearest sample on each side, so edges can be interpolated. */
function sliceWithMargin(xs: TimedValue[], startNs: bigint, endNs: bigint): TimedValue[] {
  const from = Math.max(0, lowerBound(xs, startNs) - 1);
  const after = lowerBound(xs, endNs + 1n);
  return xs.slice(from, Math.min(xs.length, after + 1));
}

/** All samples of all domains since the sampler started, pruned by age. */
export class SeriesStore {
  private readonly byDomain = new Map<string, Stored>();

  /** Declares a domain; samples for undeclared domains are dropped. */
  declare(info: DomainInfo, requestedHz: number): void {
    const key = `${info.source}/${info.domain}`;
    if (!this.byDomain.has(key)) {
      this.byDomain.set(key, { info, requestedHz, counter: [], power: [], temperatureC: [], utilizationPercent: [], wraps: [], errors: [] });
    }
  }

  /** The sink a source writes to (domains are qualified by the source name). */
  forSource(source: string): SampleSink {
    const get = (domain: string) => this.byDomain.get(`${source}/${domain}`);
    // Samples must move forward in time; a read stamped at or before the previous one is dropped.
    const push = (xs: TimedValue[] | undefined, tNs: bigint, v: number) => {
      if (xs && (xs.length === 0 || xs[xs.length - 1]!.tNs < tNs)) xs.push({ tNs, v });
    };
    return {
      counter: (d, tNs, v) => push(get(d)?.counter, tNs, v),
      power: (d, tNs, v) => push(get(d)?.power, tNs, v),
      temperature: (d, tNs, v) => push(get(d)?.temperatureC, tNs, v),
      utilization: (d, tNs, v) => push(get(d)?.utilizationPercent, tNs, v),
      wrap: (d, tNs) => get(d)?.wraps.push(tNs),
      error: (d, tNs, message) => get(d)?.errors.push({ tNs, message }),
    };
  }

  /** Newest sample time of any series of a source (null when none), to wait for a fresh one. */
  latestNs(source: string): bigint | null {
    let latest: bigint | null = null;
    for (const s of this.byDomain.values()) {
      if (s.info.source !== source) continue;
      for (const xs of [s.counter, s.power]) {
        const t = xs[xs.length - 1]?.tNs;
        if (t !== undefined && (latest === null || t > latest)) latest = t;
      }
    }
    return latest;
  }

  /** Every series over [startNs, endNs], with one sample of margin on each side. */
  slice(startNs: bigint, endNs: bigint): DomainSeries[] {
    return [...this.byDomain.values()].map((s) => ({
      info: s.info,
      requestedHz: s.requestedHz,
      counter: sliceWithMargin(s.counter, startNs, endNs),
      power: sliceWithMargin(s.power, startNs, endNs),
      temperatureC: sliceWithMargin(s.temperatureC, startNs, endNs),
      utilizationPercent: sliceWithMargin(s.utilizationPercent, startNs, endNs),
      wraps: s.wraps.filter((t) => t >= startNs && t <= endNs).length,
      errors: [...new Set(s.errors.filter((e) => e.tNs >= startNs && e.tNs <= endNs).map((e) => e.message))],
    }));
  }

  /** Drops samples older than `beforeNs`, keeping the last one before it for interpolation. */
  prune(beforeNs: bigint): void {
    for (const s of this.byDomain.values()) {
      for (const xs of [s.counter, s.power, s.temperatureC, s.utilizationPercent]) {
        const cut = lowerBound(xs, beforeNs) - 1;
        if (cut > 0) xs.splice(0, cut);
      }
      s.wraps = s.wraps.filter((t) => t >= beforeNs);
      s.errors = s.errors.filter((e) => e.tNs >= beforeNs);
    }
  }
}
