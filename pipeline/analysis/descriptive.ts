/**
 * Descriptive statistics. Inputs are plain numbers in any unit; outputs keep the input's unit.
 * Quantiles use numpy's default ("linear", Hyndman & Fan type 7): h = (n - 1)·p, interpolating
 * between the order statistics around h.
 */

function requireValues(values: readonly number[], what: string): void {
  if (values.length === 0) throw new RangeError(`${what} of an empty sample is undefined`);
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: sample holds a non-finite value (${v})`);
  }
}

/** Ascending copy. */
export function sortedAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Quantile p in [0, 1] of an ascending sample (numpy 'linear'). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0, 1] (got ${p})`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/** Quantile p in [0, 1] (numpy 'linear'). */
export function quantile(values: readonly number[], p: number): number {
  requireValues(values, 'quantile');
  return quantileSorted(sortedAscending(values), p);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Interquartile range Q3 - Q1 (numpy 'linear' quantiles). */
export function iqr(values: readonly number[]): number {
  requireValues(values, 'IQR');
  const s = sortedAscending(values);
  return quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
}

export function mean(values: readonly number[]): number {
  requireValues(values, 'mean');
  // Two passes: the correction term removes most of the rounding error of the plain sum.
  let sum = 0;
  for (const v of values) sum += v;
  const m = sum / values.length;
  let correction = 0;
  for (const v of values) correction += v - m;
  return m + correction / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); undefined (throws) for n < 2. */
export function sampleSd(values: readonly number[]): number {
  requireValues(values, 'standard deviation');
  if (values.length < 2) throw new RangeError('sample standard deviation needs at least 2 values');
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * Average ranks (1-based; ties share the mean of the ranks they span, as scipy.stats.rankdata),
 * and the sizes of the tie groups (for tie corrections).
 */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}
