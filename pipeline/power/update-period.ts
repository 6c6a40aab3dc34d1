import type { Clock } from '../core/index.js';
import type { PowerSource } from './source.js';
import type { DomainInfo, TimedValue } from './types.js';

/** How often a counter's value changes, from reads. */
export interface UpdatePeriod {
  updatePeriodMs: number;
  /** True when the value changed on every read: the period is at most the read interval. */
  upperBound: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The counter's update period from timestamped reads: the mean time between the reads that first
 * saw a new value. Reads must be faster than the updates for an estimate; when every read sees a
 * change, the result is an upper bound (the median read interval).
 */
export function updatePeriodFromReads(reads: TimedValue[]): UpdatePeriod | null {
  if (reads.length < 3) return null;
  const changes: bigint[] = [];
  const intervalsMs: number[] = [];
  for (let i = 1; i < reads.length; i++) {
    intervalsMs.push(Number(reads[i]!.tNs - reads[i - 1]!.tNs) / 1e6);
    if (reads[i]!.v !== reads[i - 1]!.v) changes.push(reads[i]!.tNs);
  }
  if (changes.length === reads.length - 1) return { updatePeriodMs: median(intervalsMs), upperBound: true };
  if (changes.length < 2) return null;
  const spanMs = Number(changes[changes.length - 1]! - changes[0]!) / 1e6;
  return { updatePeriodMs: spanMs / (changes.length - 1), upperBound: false };
}

/**
 * Reads counters in a fast burst (every `pollMs` for `durationMs`) and returns each one's update
 * period. `read` returns the current value of every counter by key.
 */
export async function detectUpdatePeriods(
  read: () => Map<string, TimedValue>,
  clock: Clock,
  options: { durationMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<Map<string, UpdatePeriod | null>> {
  const durationMs = options.durationMs ?? 500;
  const pollMs = options.pollMs ?? 1;
  const reads = new Map<string, TimedValue[]>();
  const endNs = clock.monotonicNs() + BigInt(Math.round(durationMs * 1e6));
  while (clock.monotonicNs() < endNs) {
    for (const [key, value] of read()) {
      const list = reads.get(key) ?? [];
      list.push(value);
      reads.set(key, list);
    }
    await clock.sleep(pollMs, options.signal);
  }
  return new Map([...reads].map(([key, list]) => [key, updatePeriodFromReads(list)]));
}

/**
 * Runs a fast burst of reads over polled sources and writes each counter domain's update period
 * into its DomainInfo (updatePeriodMs, updatePeriodIsUpperBound). `burstMs` 0 skips it.
 */
export async function detectCounterPeriods(polled: PowerSource[], domains: DomainInfo[], clock: Clock, burstMs: number, signal?: AbortSignal): Promise<void> {
  const counters = domains.filter((d) => d.counter);
  if (burstMs <= 0 || counters.length === 0) return;
  const ignore = () => undefined;
  const read = () => {
    const values = new Map<string, TimedValue>();
    for (const s of polled) {
      s.poll?.({
        counter: (d, tNs, v) => values.set(`${s.name}/${d}`, { tNs, v }),
        power: ignore,
        temperature: ignore,
        utilization: ignore,
        wrap: ignore,
        error: ignore,
      });
    }
    return values;
  };
  const periods = await detectUpdatePeriods(read, clock, { durationMs: burstMs, pollMs: 1, signal });
  for (const d of counters) {
    const p = periods.get(`${d.source}/${d.domain}`);
    if (p && d.counter) {
      d.counter.updatePeriodMs = Number(p.updatePeriodMs.toFixed(3));
      d.counter.updatePeriodIsUpperBound = p.upperBound;
    }
  }
}
