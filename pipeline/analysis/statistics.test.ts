import { readFileSync } from 'node:fs';
import { describe as suite, expect, it } from 'vitest';
import { iqr, mean, median, quantile, sampleSd, averageRanks } from './descriptive.js';
import { shapiroWilk } from './shapiro-wilk.js';
import { kruskalWallis, mannWhitneyU, spearman } from './rank-tests.js';
import { cliffsDelta, cliffsMagnitude, holmAdjust } from './effect-size.js';
import { chiSquareSf, lnGamma, normalSf, regularizedBeta, regularizedGammaP, regularizedGammaQ, studentTSf } from './special-functions.js';

// Reference values computed once with scipy/numpy by fixtures/make-reference.py.
interface Reference {
  scipy: string;
  descriptives: { x: number[]; median: number; q1: number; q3: number; iqr: number; mean: number; sd: number; q10: number; q90: number }[];
  shapiro: { kind: string; n: number; x: number[]; w: number; p: number }[];
  kruskal: { groups: number[][]; h: number; p: number }[];
  mannWhitney: { x: number[]; y: number[]; u: number; p: number; cliffsDelta: number }[];
  spearman: { x: number[]; y: number[]; rho: number; p: number }[];
  holm: { p: number[]; adjusted: number[] }[];
  special: {
    gammaQ: { a: number; x: number; q: number; p: number }[];
    betaI: { a: number; b: number; x: number; i: number }[];
    normalSf: { z: number; sf: number }[];
    chiSquareSf: { x: number; df: number; sf: number }[];
    studentTSf: { t: number; df: number; sf: number }[];
  };
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8')) as Reference;

/** |actual - expected| <= abs + rel·|expected|. */
function expectClose(actual: number, expected: number, rel = 1e-10, abs = 1e-12): void {
  const tol = abs + rel * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`expected ${actual} to be within ${tol} of ${expected} (diff ${actual - expected})`);
  }
}

suite('descriptives (numpy linear quantiles, sample SD)', () => {
  it.each(ref.descriptives.map((d) => [d.x.length, d] as const))('n=%i', (_n, d) => {
    expectClose(median(d.x), d.median);
    expectClose(quantile(d.x, 0.25), d.q1);
    expectClose(quantile(d.x, 0.75), d.q3);
    expectClose(quantile(d.x, 0.1), d.q10);
    expectClose(quantile(d.x, 0.9), d.q90);
    expectClose(iqr(d.x), d.iqr);
    expectClose(mean(d.x), d.mean);
    expectClose(sampleSd(d.x), d.sd);
  });
  it('rejects empty samples and SD of one value', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => sampleSd([3])).toThrow(/at least 2/);
  });
  it('gives ties the mean of their ranks', () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual({ ranks: [1.5, 4, 1.5, 6, 4, 4], tieSizes: [2, 3] });
  });
});

suite('Shapiro-Wilk (AS R94, as scipy)', () => {
  it.each(ref.shapiro.map((s) => [s.kind, s.n, s] as const))('%s n=%i', (_k, _n, s) => {
    const r = shapiroWilk(s.x);
    expectClose(r.w, s.w, 1e-9, 1e-9);
    expectClose(r.p, s.p, 1e-7, 1e-9);
    expect(r.warning).toBeNull();
  });
  it('flags zero range and needs 3 values', () => {
    expect(shapiroWilk([2, 2, 2, 2]).warning).toMatch(/zero range/);
    expect(() => shapiroWilk([1, 2])).toThrow(RangeError);
  });
});

suite('Kruskal-Wallis (tie-corrected, chi-square p)', () => {
  it.each(ref.kruskal.map((k, i) => [i, k] as const))('case %i', (_i, k) => {
    const r = kruskalWallis(k.groups);
    expectClose(r.h, k.h, 1e-10);
    expectClose(r.p, k.p, 1e-9);
    expect(r.df).toBe(k.groups.length - 1);
  });
  it('rejects identical values', () => {
    expect(() =>
      kruskalWallis([
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(/identical/);
  });
});

suite('Mann-Whitney U (asymptotic, tie + continuity corrected) and Cliff’s delta', () => {
  it.each(ref.mannWhitney.map((m, i) => [i, m] as const))('case %i', (_i, m) => {
    const r = mannWhitneyU(m.x, m.y);
    expectClose(r.u, m.u);
    expectClose(r.p, m.p, 1e-9);
    expectClose(cliffsDelta(m.x, m.y).delta, m.cliffsDelta);
  });
  it('labels magnitudes with the Romano et al. thresholds', () => {
    expect([0.1, -0.2, 0.4, -0.9, 0.147, 0.33, 0.474].map(cliffsMagnitude)).toEqual(['negligible', 'small', 'medium', 'large', 'small', 'medium', 'large']);
  });
  it('is p = 1 when all values are equal', () => {
    expect(mannWhitneyU([1, 1, 1], [1, 1]).p).toBe(1);
  });
});

suite('Spearman rho (t-distribution p)', () => {
  it.each(ref.spearman.map((s, i) => [i, s] as const))('case %i', (_i, s) => {
    const r = spearman(s.x, s.y);
    expectClose(r.rho, s.rho, 1e-12);
    expectClose(r.p, s.p, 1e-8, 1e-300);
  });
  it('is NaN for a constant input', () => {
    expect(spearman([1, 1, 1], [1, 2, 3]).rho).toBeNaN();
  });
});

suite('Holm step-down correction', () => {
  it.each(ref.holm.map((h, i) => [i, h] as const))('case %i', (_i, h) => {
    for (const [i, v] of holmAdjust(h.p).entries()) expectClose(v, h.adjusted[i]!);
  });
});

suite('special functions against scipy.special', () => {
  it('log-gamma at integers and halves', () => {
    expectClose(lnGamma(5), Math.log(24), 1e-14);
    expectClose(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
  });
  it('regularized incomplete gamma', () => {
    for (const g of ref.special.gammaQ) {
      expectClose(regularizedGammaQ(g.a, g.x), g.q, 1e-11, 1e-300);
      expectClose(regularizedGammaP(g.a, g.x), g.p, 1e-11, 1e-15);
    }
  });
  it('regularized incomplete beta', () => {
    for (const b of ref.special.betaI) expectClose(regularizedBeta(b.a, b.b, b.x), b.i, 1e-11, 1e-300);
  });
  it('normal, chi-square and t survival functions', () => {
    for (const s of ref.special.normalSf) expectClose(normalSf(s.z), s.sf, 1e-11, 1e-300);
    for (const s of ref.special.chiSquareSf) expectClose(chiSquareSf(s.x, s.df), s.sf, 1e-11, 1e-300);
    for (const s of ref.special.studentTSf) expectClose(studentTSf(s.t, s.df), s.sf, 1e-11, 1e-300);
  });
});
