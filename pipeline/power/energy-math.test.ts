import { describe, expect, it } from 'vitest';
import { GreenrtError } from '../core/index.js';
import { counterEnergy, estimateFromAveragedPower, integrateInstantPower, type SpanNs } from './energy-math.js';
import type { TimedValue } from './types.js';
import { updatePeriodFromReads } from './update-period.js';

const T0 = 5_000_000_000n;
const ms = (x: number) => T0 + BigInt(Math.round(x * 1e6));
const series = (pairs: [number, number][]): TimedValue[] => pairs.map(([t, v]) => ({ tNs: ms(t), v }));
const win = (a: number, b: number): SpanNs => ({ startNs: ms(a), endNs: ms(b) });

describe('counterEnergy', () => {
  it('interpolates the counter linearly at both window edges', () => {
    // 100 W: 10 J per 100 ms read.
    const reads = series([...Array(11).keys()].map((i) => [i * 100, i * 10]));
    const r = counterEnergy(reads, win(50, 950));
    expect(r.ok && r.energyJ).toBeCloseTo(90, 9);
    expect(r.ok && r.coverage).toBe(1);
    expect(r.ok && r.extrapolatedJ).toBe(0);
  });

  it('interpolates inside a read interval where the power changed (the documented linear assumption)', () => {
    // 100 W until 0.5 s, then 300 W; reads every 200 ms.
    const reads = series([
      [0, 0],
      [200, 20],
      [400, 40],
      [600, 80],
    ]);
    const r = counterEnergy(reads, win(100, 550));
    // E(100 ms) = 10 J; E(550 ms) = 40 + 40 x 150/200 = 70 J.
    expect(r.ok && r.energyJ).toBeCloseTo(60, 9);
  });

  it('extrapolates the part of the window outside the reads at the mean power and reports coverage', () => {
    const reads = series([
      [0, 0],
      [1000, 100],
    ]);
    const r = counterEnergy(reads, win(500, 1500));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.energyJ).toBeCloseTo(100, 9); // 50 J covered + 0.5 s x 100 W
    expect(r.extrapolatedJ).toBeCloseTo(50, 9);
    expect(r.coverage).toBeCloseTo(0.5, 12);
  });

  it('refuses a window the reads do not reach', () => {
    const r = counterEnergy(
      series([
        [0, 0],
        [100, 10],
      ]),
      win(200, 300),
    );
    expect(r).toEqual({ ok: false, reason: 'no counter reads overlap the window' });
  });
});

describe('integrateInstantPower', () => {
  // 100 W for samples before 500 ms, 200 W from 500 ms on, every 100 ms.
  const power = series([...Array(11).keys()].map((i) => [i * 100, i < 5 ? 100 : 200]));

  it('integrates with the trapezoid rule over exactly the clipped window', () => {
    const r = integrateInstantPower({ quantity: 'instantPowerW', samples: power }, win(250, 750), { maxGapS: 0.25 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 5 + 10 + 15 (the 100->200 W ramp) + 20 + 20 + 10 J.
    expect(r.energyJ).toBeCloseTo(80, 9);
    expect(r.coverage).toBe(1);
    expect(r.samplingErrorJ).toBeCloseTo(5, 9); // |200-100| W x 0.1 s / 2, one segment
    expect(r.samplesInWindow).toBe(5);
  });

  it('holds the nearest sample outside the samples and counts it as not covered', () => {
    const r = integrateInstantPower({ quantity: 'instantPowerW', samples: power }, win(-100, 400), { maxGapS: 0.25 });
    expect(r.ok && r.energyJ).toBeCloseTo(50, 9); // 0.1 s x 100 W held + 0.4 s x 100 W
    expect(r.ok && r.extrapolatedJ).toBeCloseTo(10, 9);
    expect(r.ok && r.coverage).toBeCloseTo(0.8, 12);
  });

  it('counts long gaps between samples as not covered', () => {
    const gappy = series([
      [0, 100],
      [100, 100],
      [200, 100],
      [900, 100],
      [1000, 100],
    ]);
    const r = integrateInstantPower({ quantity: 'instantPowerW', samples: gappy }, win(0, 1000), { maxGapS: 0.25 });
    expect(r.ok && r.energyJ).toBeCloseTo(100, 9);
    expect(r.ok && r.gapS).toBeCloseTo(0.7, 12);
    expect(r.ok && r.coverage).toBeCloseTo(0.3, 12);
  });

  it('refuses averaged power: a moving average is not the power at its timestamp', () => {
    const call = () => integrateInstantPower({ quantity: 'averagePowerW', samples: power }, win(0, 1000), { maxGapS: 0.25 });
    expect(call).toThrow(GreenrtError);
    expect(call).toThrow(/Cannot integrate averagePowerW/);
    try {
      call();
    } catch (e) {
      expect((e as GreenrtError).code).toBe('E_POWER_AVERAGED');
    }
  });
});

describe('estimateFromAveragedPower', () => {
  it('shifts the window by half the averaging window before integrating', () => {
    // A 1 s trailing average of a 100 W -> 300 W step at 1 s ramps from 1 s to 2 s.
    const avg = series([...Array(31).keys()].map((i) => [i * 100, i <= 10 ? 100 : i >= 20 ? 300 : 100 + (i - 10) * 20]));
    const r = estimateFromAveragedPower(avg, win(1000, 3000), { averagingWindowMs: 1000, maxGapS: 0.25 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Integrates [1.5 s, 3.5 s]; the samples end at 3.0 s, so 0.5 s is held at 300 W.
    // [1.5, 2.0]: mean of 200 and 300 W over 0.5 s = 125 J; [2.0, 3.0] 300 J; held 150 J.
    expect(r.energyJ).toBeCloseTo(575, 9);
    expect(r.smearJ).toBeCloseTo(Math.SQRT2 * 0.25 * 100, 9);
    expect(r.coverage).toBeCloseTo(0.75, 12);
  });
});

describe('updatePeriodFromReads', () => {
  it('finds the period of a counter read faster than it updates', () => {
    // Read every 10 ms; the counter steps every 100 ms.
    const reads = series([...Array(101).keys()].map((i) => [i * 10, Math.floor((i * 10) / 100) * 7]));
    expect(updatePeriodFromReads(reads)).toEqual({ updatePeriodMs: 100, upperBound: false });
  });

  it('gives an upper bound when every read sees a new value', () => {
    const reads = series([...Array(20).keys()].map((i) => [i * 100, i * 3]));
    expect(updatePeriodFromReads(reads)).toEqual({ updatePeriodMs: 100, upperBound: true });
  });
});
