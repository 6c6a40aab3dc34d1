/**
 * Precision of a configuration's median: the relative half-width of its seeded 95 % percentile-bootstrap
 * interval, (upper - lower) / 2 / median. With the summary's seed for the configuration
 * (`deriveSeed(plan seed, configurationId)`) and the values in repetition order, it is exactly the interval the
 * report shows, so the adaptive rule's decision and the report agree.
 */
import { bootstrapCi, type BootstrapOptions } from './bootstrap.js';
import { median as medianOf } from './descriptive.js';

export interface MedianPrecision {
  /** Median of the values (their unit). */
  median: number;
  lower: number;
  upper: number;
  /** (upper - lower) / 2 / median (ratio); null when the median is not positive or fewer than 2 values. */
  relativeHalfWidth: number | null;
}

export function medianPrecision(values: readonly number[], options: BootstrapOptions = {}): MedianPrecision | null {
  if (values.length === 0) return null;
  const median = medianOf(values);
  if (values.length < 2) return { median, lower: median, upper: median, relativeHalfWidth: null };
  const ci = bootstrapCi(values, 'median', options);
  const relativeHalfWidth = median > 0 && Number.isFinite(median) ? (ci.upper - ci.lower) / 2 / median : null;
  return { median, lower: ci.lower, upper: ci.upper, relativeHalfWidth };
}
