import type { Clock } from '../core/index.js';
import { windowSeconds, type SpanNs } from './energy-math.js';
import type { Baseline, CooldownOptions, CooldownResult, DomainSeries } from './types.js';
import { readingForSeries } from './window-energy.js';

export interface CooldownCheck {
  met: boolean;
  /** One clause per compared domain, e.g. 'gpu:0 (nvml) 61.2 W <= 66.0 W'. */
  clauses: string[];
}

const fmt = (x: number) => x.toFixed(1);

/**
 * Compares power over the trailing span `w` (and the latest temperature) with the baseline, per
 * domain that has a baseline. Met when every domain is within tolerance; a domain without data in
 * the span counts as not met.
 */
export function checkCooldown(
  series: DomainSeries[],
  w: SpanNs,
  baseline: Baseline,
  options: Pick<CooldownOptions, 'powerTolerance' | 'temperatureToleranceC'>,
): CooldownCheck {
  const clauses: string[] = [];
  let met = true;
  const seconds = windowSeconds(w);
  for (const s of series) {
    const base = baseline.domains.find((d) => d.source === s.info.source && d.domain === s.info.domain);
    if (!base) continue;
    const name = `${s.info.domain} (${s.info.source})`;
    if (base.powerW !== null) {
      const limitW = base.powerW * (1 + options.powerTolerance);
      const r = readingForSeries(s, w, null);
      if (r.energyJ === null) {
        met = false;
        clauses.push(`${name} power unknown (${r.reason})`);
      } else {
        const powerW = r.energyJ / seconds;
        const ok = powerW <= limitW;
        met &&= ok;
        clauses.push(
          `${name} ${fmt(powerW)} W ${ok ? '<=' : '>'} ${fmt(limitW)} W (baseline ${fmt(base.powerW)} W x ${(1 + options.powerTolerance).toFixed(2)})`,
        );
      }
    }
    if (base.temperatureC !== null && s.info.temperature) {
      const latest = s.temperatureC.filter((t) => t.tNs <= w.endNs).at(-1);
      const limitC = base.temperatureC + options.temperatureToleranceC;
      if (!latest) {
        met = false;
        clauses.push(`${name} temperature unknown`);
      } else {
        const ok = latest.v <= limitC;
        met &&= ok;
        clauses.push(
          `${name} ${fmt(latest.v)} °C ${ok ? '<=' : '>'} ${fmt(limitC)} °C (baseline ${fmt(base.temperatureC)} + ${options.temperatureToleranceC})`,
        );
      }
    }
  }
  return { met, clauses };
}

/** What the gate needs from the monitor. */
export interface CooldownDeps {
  clock: Clock;
  canMeasure: boolean;
  /** When sampling started (the first comparison needs a full evaluation span of samples). */
  samplingSinceNs: bigint;
  slice(startNs: bigint, endNs: bigint): DomainSeries[];
}

/**
 * The cool-down gate: rest minMs, then compare the trailing `evaluateOverMs` of samples with the
 * baseline every `pollMs` until met or maxMs has passed. Without a source or a baseline there is
 * nothing to compare: the gate is met after the rest, and the detail says so.
 */
export async function waitForCooldownGate(
  deps: CooldownDeps,
  options: CooldownOptions,
  baseline: Baseline | null,
  signal?: AbortSignal,
): Promise<CooldownResult> {
  const { clock } = deps;
  const t0 = clock.monotonicNs();
  const elapsedMs = () => Number(clock.monotonicNs() - t0) / 1e6;
  if (options.minMs > 0) await clock.sleep(options.minMs, signal);
  const rest = `rested ${(options.minMs / 1000).toFixed(1)} s`;
  if (!deps.canMeasure) return { waitedMs: elapsedMs(), met: true, detail: `${rest}; no power source works, nothing to compare` };
  if (!baseline || baseline.domains.every((d) => d.powerW === null && d.temperatureC === null)) {
    return { waitedMs: elapsedMs(), met: true, detail: `${rest}; no idle baseline, nothing to compare` };
  }
  const evaluateNs = BigInt(Math.round((options.evaluateOverMs ?? 1000) * 1e6));
  const pollMs = options.pollMs ?? 1000;
  const ready = deps.samplingSinceNs + evaluateNs;
  const now0 = clock.monotonicNs();
  if (now0 < ready) await clock.sleep(Number(ready - now0) / 1e6, signal);
  for (;;) {
    const endNs = clock.monotonicNs();
    const w = { startNs: endNs - evaluateNs, endNs };
    const check = checkCooldown(deps.slice(w.startNs, w.endNs), w, baseline, options);
    const waited = elapsedMs();
    if (check.clauses.length === 0) return { waitedMs: waited, met: true, detail: `${rest}; no measured domain has a baseline to compare` };
    if (check.met) return { waitedMs: waited, met: true, detail: `met after ${(waited / 1000).toFixed(1)} s: ${check.clauses.join('; ')}` };
    if (waited >= options.maxMs)
      return { waitedMs: waited, met: false, detail: `not met within ${(options.maxMs / 1000).toFixed(1)} s: ${check.clauses.join('; ')}` };
    await clock.sleep(Math.min(pollMs, options.maxMs - waited), signal);
  }
}
