/**
 * Rank-based tests, matching scipy.stats: Kruskal-Wallis H (`kruskal`), Mann-Whitney U
 * (`mannwhitneyu(method='asymptotic', use_continuity=True)`), Spearman rho (`spearmanr`).
 */

import { averageRanks } from './descriptive.js';
import { chiSquareSf, normalSf, studentTSf } from './special-functions.js';

export interface KruskalWallisResult {
  /** H statistic, tie-corrected (unitless). */
  h: number;
  /** Degrees of freedom: groups - 1. */
  df: number;
  /** p-value from the chi-square distribution with df degrees of freedom. */
  p: number;
}

/** Kruskal-Wallis H test that all groups come from the same distribution. */
export function kruskalWallis(groups: readonly (readonly number[])[]): KruskalWallisResult {
  if (groups.length < 2) throw new RangeError(`Kruskal-Wallis needs at least 2 groups (got ${groups.length})`);
  if (groups.some((g) => g.length === 0)) throw new RangeError('Kruskal-Wallis: every group needs at least one value');
  const all = groups.flat();
  const n = all.length;
  const { ranks, tieSizes } = averageRanks(all);
  const tieFactor = 1 - tieSum(tieSizes) / (n ** 3 - n);
  if (tieFactor === 0) throw new RangeError('Kruskal-Wallis: all values are identical');
  let offset = 0;
  let ssbn = 0;
  for (const g of groups) {
    let sum = 0;
    for (let i = 0; i < g.length; i++) sum += ranks[offset + i]!;
    ssbn += (sum * sum) / g.length;
    offset += g.length;
  }
  const h = ((12 / (n * (n + 1))) * ssbn - 3 * (n + 1)) / tieFactor;
  const df = groups.length - 1;
  return { h, df, p: chiSquareSf(h, df) };
}

export interface MannWhitneyResult {
  /** U statistic of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value (normal approximation, tie and continuity corrected). */
  p: number;
  /** The standardized statistic used for p (max(U1, U2) side). */
  z: number;
}

/** Two-sided Mann-Whitney U test (asymptotic, as scipy's method='asymptotic'). */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann-Whitney U needs two non-empty samples');
  const { ranks, tieSizes } = averageRanks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieSum(tieSizes) / (n * (n - 1))));
  if (!(sd > 0)) return { u: u1, p: 1, z: 0 };
  const z = (u - (n1 * n2) / 2 - 0.5) / sd;
  return { u: u1, p: Math.min(1, Math.max(0, 2 * normalSf(z))), z };
}

export interface SpearmanResult {
  /** Spearman's rank correlation (unitless, -1..1). */
  rho: number;
  /** Two-sided p-value from Student's t with n - 2 degrees of freedom. */
  p: number;
  n: number;
}

/** Spearman rank correlation of paired samples. */
export function spearman(x: readonly number[], y: readonly number[]): SpearmanResult {
  if (x.length !== y.length) throw new RangeError(`Spearman needs paired samples (got ${x.length} and ${y.length})`);
  const n = x.length;
  if (n < 3) throw new RangeError(`Spearman needs at least 3 pairs (got ${n})`);
  const rx = averageRanks(x).ranks;
  const ry = averageRanks(y).ranks;
  const rho = pearson(rx, ry);
  if (Number.isNaN(rho)) return { rho, p: NaN, n };
  const dof = n - 2;
  const t = rho * Math.sqrt(Math.max(0, dof / ((rho + 1) * (1 - rho))));
  return { rho, p: Math.min(1, 2 * studentTSf(Math.abs(t), dof)), n };
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  // Clamp: rounding can push |r| a hair above 1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function tieSum(tieSizes: readonly number[]): number {
  return tieSizes.reduce((s, t) => s + t ** 3 - t, 0);
}
