import { GreenrtError } from '../core/index.js';
import type { PowerQuantity, TimedValue } from './types.js';

/**
 * Pure energy arithmetic over one window [startNs, endNs] (CLOCK_MONOTONIC ns). Times inside are
 * seconds from the window start. Every function reports how much of the window its samples cover
 * and how much energy was extrapolated, so callers can state coverage and uncertainty.
 */

export interface SpanNs {
  startNs: bigint;
  endNs: bigint;
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: string };

interface Point {
  t: number;
  v: number;
}

function toPoints(samples: TimedValue[], w: SpanNs): Point[] {
  return samples.map((s) => ({ t: Number(s.tNs - w.startNs) / 1e9, v: s.v }));
}

/** Linear interpolation of sorted points at t, t within [first.t, last.t]. */
export function interpolateAt(points: { t: number; v: number }[], t: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  if (b.t === a.t) return b.v;
  return a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t);
}

/** Root-sum-square of independent uncertainty terms. */
export function rss(...terms: number[]): number {
  return Math.sqrt(terms.reduce((sum, x) => sum + x * x, 0));
}

export function windowSeconds(w: SpanNs): number {
  return Number(w.endNs - w.startNs) / 1e9;
}

export interface CounterWindow {
  /** Energy over the window, J (covered part from the counter, the rest extrapolated). */
  energyJ: number;
  windowS: number;
  /** Part of the window between the first and last counter read, s. */
  coveredS: number;
  /** coveredS / windowS (ratio). */
  coverage: number;
  /** Energy added for the uncovered part at the recording's mean power, J. */
  extrapolatedJ: number;
  /** Mean power over the covered part, W. */
  meanPowerW: number;
}

/**
 * Energy from a cumulative counter (J, wrap-corrected), linearly interpolated at the window edges.
 * Parts of the window outside the reads are extrapolated at the mean power of all reads.
 */
export function counterEnergy(samples: TimedValue[], w: SpanNs): Outcome<CounterWindow> {
  const windowS = windowSeconds(w);
  if (!(windowS > 0)) return { ok: false, reason: 'the window has no length' };
  if (samples.length < 2) return { ok: false, reason: `${samples.length} counter read(s) in the recording, need 2 or more` };
  const pts = toPoints(samples, w);
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const c0 = Math.max(0, first.t);
  const c1 = Math.min(windowS, last.t);
  if (c1 <= c0) return { ok: false, reason: 'no counter reads overlap the window' };
  const coveredJ = interpolateAt(pts, c1) - interpolateAt(pts, c0);
  const recordingMeanW = (last.v - first.v) / (last.t - first.t);
  const coveredS = c1 - c0;
  const extrapolatedJ = (windowS - coveredS) * recordingMeanW;
  return {
    ok: true,
    energyJ: coveredJ + extrapolatedJ,
    windowS,
    coveredS,
    coverage: coveredS / windowS,
    extrapolatedJ,
    meanPowerW: coveredJ / coveredS,
  };
}

export interface IntegratedWindow {
  energyJ: number;
  windowS: number;
  coveredS: number;
  /** Covered time spanned by sample gaps longer than maxGapS, s (counted as not covered). */
  gapS: number;
  /** (coveredS - gapS) / windowS (ratio). */
  coverage: number;
  /** Energy added outside the samples by holding the nearest sample, J. */
  extrapolatedJ: number;
  /** Discretisation error estimate, J: per segment half the |left - right Riemann| difference, in quadrature. */
  samplingErrorJ: number;
  minW: number;
  maxW: number;
  /** Samples strictly inside the window (count). */
  samplesInWindow: number;
}

function trapezoid(samples: TimedValue[], w: SpanNs, maxGapS: number): Outcome<IntegratedWindow> {
  const windowS = windowSeconds(w);
  if (!(windowS > 0)) return { ok: false, reason: 'the window has no length' };
  if (samples.length === 0) return { ok: false, reason: 'no power samples in the recording' };
  const pts = toPoints(samples, w);
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const c0 = Math.max(0, first.t);
  const c1 = Math.min(windowS, last.t);
  if (c1 <= c0 && pts.length > 1) return { ok: false, reason: 'no power samples overlap the window' };
  let energyJ = 0;
  let gapS = 0;
  let samplingVar = 0;
  let minW = Infinity;
  let maxW = -Infinity;
  let inside = 0;
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    const lo = Math.max(a.t, c0);
    const hi = Math.min(b.t, c1);
    if (hi <= lo) continue;
    const pLo = interpolateAt([a, b], lo);
    const pHi = interpolateAt([a, b], hi);
    const dt = hi - lo;
    energyJ += ((pLo + pHi) / 2) * dt;
    samplingVar += ((Math.abs(pHi - pLo) * dt) / 2) ** 2;
    if (b.t - a.t > maxGapS) gapS += dt;
    minW = Math.min(minW, pLo, pHi);
    maxW = Math.max(maxW, pLo, pHi);
  }
  for (const p of pts) if (p.t > 0 && p.t < windowS) inside++;
  if (!Number.isFinite(minW)) minW = maxW = first.v;
  const extrapolatedJ = c0 * first.v + Math.max(0, windowS - Math.max(c1, c0)) * last.v;
  const coveredS = Math.max(0, c1 - c0);
  return {
    ok: true,
    energyJ: energyJ + extrapolatedJ,
    windowS,
    coveredS,
    gapS,
    coverage: Math.max(0, coveredS - gapS) / windowS,
    extrapolatedJ,
    samplingErrorJ: Math.sqrt(samplingVar),
    minW,
    maxW,
    samplesInWindow: inside,
  };
}

/**
 * Trapezoid integration of instant power (W) over exactly the window: power is interpolated at the
 * window edges, segments are clipped. Refuses averaged power: a sensor's moving average is not
 * the power at its timestamp (use `estimateFromAveragedPower`).
 */
export function integrateInstantPower(
  series: { quantity: PowerQuantity; samples: TimedValue[] },
  w: SpanNs,
  options: { maxGapS: number },
): Outcome<IntegratedWindow> {
  if (series.quantity !== 'instantPowerW') {
    throw new GreenrtError(
      'E_POWER_AVERAGED',
      `Cannot integrate ${series.quantity} as instant power: the sensor averages over its own window, so integrating it smears energy across the window edges. Use estimateFromAveragedPower (provenance "estimated").`,
    );
  }
  return trapezoid(series.samples, w, options.maxGapS);
}

export interface AveragedWindow extends IntegratedWindow {
  /** Edge error from the sensor's averaging window, J. */
  smearJ: number;
}

/**
 * An estimate from averaged power (e.g. nvidia-smi power.draw, a 1 s average on Ampere+). A
 * trailing average of width W lags the power by W/2, so the window is shifted by +W/2 before
 * integrating; what stays wrong is the smearing at each edge, bounded by W/4 x the power range.
 */
export function estimateFromAveragedPower(samples: TimedValue[], w: SpanNs, options: { averagingWindowMs: number; maxGapS: number }): Outcome<AveragedWindow> {
  const shiftNs = BigInt(Math.round((options.averagingWindowMs / 2) * 1e6));
  const r = trapezoid(samples, { startNs: w.startNs + shiftNs, endNs: w.endNs + shiftNs }, options.maxGapS);
  if (!r.ok) return r;
  const smearJ = Math.SQRT2 * (options.averagingWindowMs / 1000 / 4) * (r.maxW - r.minW);
  return { ...r, smearJ };
}
