/**
 * Shapiro-Wilk W test for normality: a port of Royston's Algorithm AS R94 (Applied Statistics 44,
 * 1995) following scipy's double-precision translation (scipy/stats/_ansari_swilk_statistics.pyx),
 * including its normal quantile (AS 111 `ppnd`) and tail area (AS 66 `alnorm`) so that W and p
 * agree with scipy.stats.shapiro to ~1e-9. Valid for 3 <= n <= 5000 (p is approximate above 5000).
 */

import type { ShapiroWilkResult } from '../contracts/index.js';
import { sortedAscending } from './descriptive.js';

/** W (unitless, 0..1; 1 = perfectly normal-looking), p of "the sample comes from a normal distribution", n, and why the result is degenerate (schemas/run-summary.schema.json). */
export type { ShapiroWilkResult };

const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -0.6714e-3];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];
const G = [-2.273, 0.459];
const SMALL = 1e-19;

/** Polynomial with coefficients c[0] + c[1]·x + ... (AS 181's POLY). */
function poly(c: readonly number[], x: number): number {
  let result = 0;
  for (let i = c.length - 1; i >= 0; i--) result = result * x + c[i]!;
  return result;
}

export function shapiroWilk(values: readonly number[]): ShapiroWilkResult {
  const n = values.length;
  if (n < 3) throw new RangeError(`Shapiro-Wilk needs at least 3 values (got ${n})`);
  const sorted = sortedAscending(values);
  // Shift by the middle value first, as scipy does (gh-15777): W is shift-invariant but the sums
  // below lose precision when the data sit far from zero.
  const shift = sorted[Math.floor(n / 2)]!;
  const x = sorted.map((v) => v - shift);
  const a = coefficients(n);
  const range = x[n - 1]! - x[0]!;
  if (range < SMALL) return { w: 1, p: 1, n, warning: 'all values are equal (zero range)' };

  let sx = 0;
  let sa = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]! / range;
    sa += signedCoefficient(a, i, n);
  }
  sa /= n;
  sx /= n;
  let ssa = 0;
  let ssx = 0;
  let sax = 0;
  for (let i = 0; i < n; i++) {
    const asa = signedCoefficient(a, i, n) - sa;
    const xsx = x[i]! / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  const ssassx = Math.sqrt(ssa * ssx);
  // 1 - W computed directly, to keep precision when W is very near 1 (large samples).
  const w1 = ((ssassx - sax) * (ssassx + sax)) / (ssa * ssx);
  const w = 1 - w1;
  return { w, p: pValue(w, w1, n), n, warning: null };
}

/** a_i with the sign of its position: -a for the lower half, +a for the upper, 0 in the middle. */
function signedCoefficient(a: readonly number[], i: number, n: number): number {
  const j = n - 1 - i;
  if (i === j) return 0;
  return i < j ? -a[i]! : a[j]!;
}

function coefficients(n: number): number[] {
  const half = Math.floor(n / 2);
  if (n === 3) return [Math.SQRT1_2];
  const m: number[] = [];
  let summ2 = 0;
  for (let i = 0; i < half; i++) {
    const v = ppnd((i + 1 - 0.375) / (n + 0.25));
    m.push(v);
    summ2 += v * v;
  }
  summ2 *= 2;
  const ssumm2 = Math.sqrt(summ2);
  const rsn = 1 / Math.sqrt(n);
  const a1 = poly(C1, rsn) - m[0]! / ssumm2;
  const a = m.slice();
  let first: number;
  let fac: number;
  if (n > 5) {
    const a2 = -m[1]! / ssumm2 + poly(C2, rsn);
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2 - 2 * m[1]! ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2));
    a[1] = a2;
    first = 2;
  } else {
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2) / (1 - 2 * a1 ** 2));
    first = 1;
  }
  a[0] = a1;
  for (let i = first; i < half; i++) a[i] = -m[i]! / fac;
  return a;
}

function pValue(w: number, w1: number, n: number): number {
  if (n === 3) {
    // Exact for n = 3; W >= 0.75 in theory, clamped as scipy does (gh-18322).
    if (w < 0.75) return 0;
    return 1 - (6 / Math.PI) * Math.acos(Math.sqrt(w));
  }
  let y = Math.log(w1);
  let m: number;
  let s: number;
  if (n <= 11) {
    const gamma = poly(G, n);
    if (y >= gamma) return SMALL;
    y = -Math.log(gamma - y);
    m = poly(C3, n);
    s = Math.exp(poly(C4, n));
  } else {
    const lnN = Math.log(n);
    m = poly(C5, lnN);
    s = Math.exp(poly(C6, lnN));
  }
  return alnormUpper((y - m) / s);
}

/** AS 111: normal quantile (about 7 significant digits), as used by AS R94. */
function ppnd(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.42) {
    const r = q * q;
    return (
      (q * (((-25.44106049637 * r + 41.39119773534) * r + -18.61500062529) * r + 2.50662823884)) /
      ((((3.13082909833 * r + -21.06224101826) * r + 23.08336743743) * r + -8.4735109309) * r + 1)
    );
  }
  let r = q > 0 ? 1 - p : p;
  if (!(r > 0)) return 0;
  r = Math.sqrt(-Math.log(r));
  const v = (((2.32121276858 * r + 4.85014127135) * r + -2.29796479134) * r + -2.78718931138) / ((1.63706781897 * r + 3.54388924762) * r + 1);
  return q < 0 ? -v : v;
}

/** AS 66: upper tail area of the standard normal, as used by AS R94. */
function alnormUpper(x: number): number {
  let z = x;
  let upper = true;
  if (!(z > 0)) {
    upper = false;
    z = -z;
  }
  if (!(z <= 7 || (upper && z <= 38))) return upper ? 0 : 1;
  const y = 0.5 * z * z;
  let temp: number;
  if (z <= 1.28) {
    temp = 0.5 - z * (0.398942280444 - (0.399903438504 * y) / (y + 5.75885480458 - 29.8213557808 / (y + 2.62433121679 + 48.6959930692 / (y + 5.92885724438))));
  } else {
    temp =
      (0.398942280385 * Math.exp(-y)) /
      (z -
        3.8052e-8 +
        1.00000615302 /
          (z +
            3.98064794e-4 +
            1.98615381364 /
              (z - 0.151679116635 + 5.29330324926 / (z + 4.8385912808 - 15.1508972451 / (z + 0.742380924027 + 30.789933034 / (z + 3.99019417011))))));
  }
  return upper ? temp : 1 - temp;
}
