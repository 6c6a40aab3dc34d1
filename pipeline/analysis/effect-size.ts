/**
 * Cliff's delta and Holm's step-down correction.
 */

export type CliffsMagnitude = 'negligible' | 'small' | 'medium' | 'large';

/**
 * Magnitude thresholds for |delta| from Romano et al. (2006): below 0.147 negligible, below 0.33
 * small, below 0.474 medium, otherwise large.
 */
export const CLIFFS_THRESHOLDS = { small: 0.147, medium: 0.33, large: 0.474 } as const;

export interface CliffsDeltaResult {
  /** P(X > Y) - P(X < Y) over all pairs (unitless, -1..1); positive when x tends to be larger. */
  delta: number;
  magnitude: CliffsMagnitude;
}

export function cliffsMagnitude(delta: number): CliffsMagnitude {
  const d = Math.abs(delta);
  if (d < CLIFFS_THRESHOLDS.small) return 'negligible';
  if (d < CLIFFS_THRESHOLDS.medium) return 'small';
  if (d < CLIFFS_THRESHOLDS.large) return 'medium';
  return 'large';
}

/** Magnitudes in increasing order, for "at least" comparisons. */
export const CLIFFS_ORDER: readonly CliffsMagnitude[] = ['negligible', 'small', 'medium', 'large'];

/** Cliff's delta of x against y (sort-and-merge, O((n + m) log(n + m))). */
export function cliffsDelta(x: readonly number[], y: readonly number[]): CliffsDeltaResult {
  if (x.length === 0 || y.length === 0) throw new RangeError("Cliff's delta needs two non-empty samples");
  const ys = [...y].sort((a, b) => a - b);
  let dominance = 0;
  for (const v of x) {
    dominance += lowerBound(ys, v) - (ys.length - upperBound(ys, v));
  }
  const delta = dominance / (x.length * y.length);
  return { delta, magnitude: cliffsMagnitude(delta) };
}

/** Count of elements < v in an ascending array. */
function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Count of elements <= v in an ascending array. */
function upperBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Holm's step-down adjusted p-values, in the input order: sort ascending, multiply the i-th smallest
 * (0-based) by (m - i), carry the running maximum, cap at 1. Reject where adjusted p < alpha.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i]! - pValues[j]! || i - j);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}
