/**
 * Seeded percentile bootstrap. Resample the data with replacement `resamples` times, compute the
 * statistic on each resample, and take the (1 - confidence)/2 and (1 + confidence)/2 quantiles of
 * those values (numpy 'linear' quantiles) as the interval. Same data + same seed = same interval.
 * The percentile method is simple and transformation-invariant; with ~10 trials per configuration
 * its intervals are somewhat narrow (coverage a little under nominal), which the report should say.
 */

import { mean, median, quantileSorted } from './descriptive.js';
import { mulberry32 } from '../core/index.js';
import type { SummaryInterval } from '../contracts/index.js';

/** A confidence interval, in the unit of the data (summary.json's intervals). */
export type Interval = SummaryInterval;

export interface BootstrapOptions {
  /** Resamples drawn (count); default 2000. */
  resamples?: number;
  /** Confidence level in (0, 1); default 0.95. */
  confidence?: number;
  /** PRNG seed (uint32); default 0. */
  seed?: number;
}

export type BootstrapStatistic = 'median' | 'mean' | ((sample: readonly number[]) => number);

/** mulberry32 (pipeline/core): a small, fast 32-bit PRNG; floats in [0, 1). Fine for resampling. */
export const seededRandom: (seed: number) => () => number = mulberry32;

/** FNV-1a hash of a string mixed with a seed: a stable per-configuration seed. */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function bootstrapCi(values: readonly number[], statistic: BootstrapStatistic, options: BootstrapOptions = {}): Interval {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (values.length === 0) throw new RangeError('bootstrap of an empty sample is undefined');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1) (got ${confidence})`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer (got ${resamples})`);
  const stat = statistic === 'median' ? median : statistic === 'mean' ? mean : statistic;
  const random = seededRandom(options.seed ?? 0);
  const n = values.length;
  const sample = new Array<number>(n);
  const stats = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(random() * n)]!;
    stats[r] = stat(sample);
  }
  stats.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { lower: quantileSorted(stats, tail), upper: quantileSorted(stats, 1 - tail) };
}
