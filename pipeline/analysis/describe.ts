/**
 * One call for the descriptives a report shows: median, quartiles, IQR, mean, sample SD, range,
 * and (optionally) seeded percentile-bootstrap 95% intervals for the median and the mean.
 */

import type { Descriptives } from '../contracts/index.js';
import { bootstrapCi, type BootstrapOptions } from './bootstrap.js';
import { mean, quantileSorted, sampleSd, sortedAscending } from './descriptive.js';

/** Descriptives of one sample; every value is in the unit of the sample (summary.json's schema, schemas/run-summary.schema.json). */
export type { Descriptives };

export interface DescribeOptions extends BootstrapOptions {
  /** Compute bootstrap intervals (default true). */
  intervals?: boolean;
}

export function describe(values: readonly number[], options: DescribeOptions = {}): Descriptives {
  if (values.length === 0) throw new RangeError('describe: empty sample');
  const sorted = sortedAscending(values);
  const n = sorted.length;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const withIntervals = (options.intervals ?? true) && n >= 2;
  return {
    n,
    median: quantileSorted(sorted, 0.5),
    q1,
    q3,
    iqr: q3 - q1,
    mean: mean(sorted),
    sd: n >= 2 ? sampleSd(sorted) : null,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    // Different sub-seeds so the two intervals do not share resamples by construction.
    ciMedian: withIntervals ? bootstrapCi(values, 'median', options) : null,
    ciMean: withIntervals ? bootstrapCi(values, 'mean', { ...options, seed: ((options.seed ?? 0) + 1) >>> 0 }) : null,
  };
}
