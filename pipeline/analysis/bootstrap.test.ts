import { describe as suite, expect, it } from 'vitest';
import { bootstrapCi, deriveSeed, seededRandom } from './bootstrap.js';
import { describe } from './describe.js';

/** Standard normal draws from the seeded PRNG (Box-Muller). */
function normals(n: number, seed: number, mu = 0, sigma = 1): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = 1 - random();
    const v = random();
    out.push(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

suite('seeded percentile bootstrap', () => {
  const data = normals(12, 7, 50, 4);

  it('is deterministic for a seed and changes with the seed', () => {
    const a = bootstrapCi(data, 'median', { seed: 42 });
    expect(bootstrapCi(data, 'median', { seed: 42 })).toEqual(a);
    // The median's bootstrap distribution is discrete; the mean's is not, so seeds show there.
    expect(bootstrapCi(data, 'mean', { seed: 43 })).not.toEqual(bootstrapCi(data, 'mean', { seed: 42 }));
    expect(a.lower).toBeLessThan(a.upper);
  });

  it('brackets the sample statistic and stays inside the data range', () => {
    const ci = bootstrapCi(data, 'mean', { seed: 1 });
    const m = data.reduce((s, v) => s + v, 0) / data.length;
    expect(ci.lower).toBeLessThan(m);
    expect(ci.upper).toBeGreaterThan(m);
    expect(ci.lower).toBeGreaterThanOrEqual(Math.min(...data));
    expect(ci.upper).toBeLessThanOrEqual(Math.max(...data));
  });

  it('narrows as the confidence level drops', () => {
    const wide = bootstrapCi(data, 'mean', { seed: 3, confidence: 0.95 });
    const narrow = bootstrapCi(data, 'mean', { seed: 3, confidence: 0.5 });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('covers the true mean and median close to 95% of the time (n = 30)', () => {
    const runs = 300;
    let coveredMean = 0;
    let coveredMedian = 0;
    for (let r = 0; r < runs; r++) {
      const sample = normals(30, 1000 + r, 10, 2);
      const ciMean = bootstrapCi(sample, 'mean', { seed: r, resamples: 1000 });
      const ciMedian = bootstrapCi(sample, 'median', { seed: r, resamples: 1000 });
      if (ciMean.lower <= 10 && 10 <= ciMean.upper) coveredMean++;
      if (ciMedian.lower <= 10 && 10 <= ciMedian.upper) coveredMedian++;
    }
    // Percentile intervals undercover a little at n = 30; a broken resampler lands far outside.
    expect(coveredMean / runs).toBeGreaterThan(0.88);
    expect(coveredMean / runs).toBeLessThan(0.99);
    expect(coveredMedian / runs).toBeGreaterThan(0.88);
    expect(coveredMedian / runs).toBeLessThanOrEqual(1);
  });

  it('rejects bad arguments', () => {
    expect(() => bootstrapCi([], 'mean')).toThrow(RangeError);
    expect(() => bootstrapCi([1, 2], 'mean', { confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapCi([1, 2], 'mean', { resamples: 0 })).toThrow(/resamples/);
  });

  it('derives stable, label-dependent seeds', () => {
    expect(deriveSeed(0, 'pytorch/resnet50')).toBe(deriveSeed(0, 'pytorch/resnet50'));
    expect(deriveSeed(0, 'pytorch/resnet50')).not.toBe(deriveSeed(0, 'mxnet/resnet50'));
    expect(deriveSeed(1, 'pytorch/resnet50')).not.toBe(deriveSeed(0, 'pytorch/resnet50'));
  });
});

suite('describe', () => {
  it('reports quartiles, SD and intervals; no SD or intervals for one value', () => {
    const d = describe([4, 1, 3, 2], { seed: 5 });
    expect(d).toMatchObject({ n: 4, median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, mean: 2.5, min: 1, max: 4 });
    expect(d.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(d.ciMedian!.lower).toBeLessThanOrEqual(2.5);
    expect(d.ciMean!.upper).toBeGreaterThanOrEqual(2.5);
    expect(describe([7])).toMatchObject({ n: 1, median: 7, sd: null, ciMedian: null, ciMean: null });
    expect(describe([1, 2, 3], { intervals: false }).ciMean).toBeNull();
  });
});
