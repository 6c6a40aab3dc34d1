import type { EnergyReading, TrialResult } from '../contracts/index.js';
import { counterEnergy, estimateFromAveragedPower, integrateInstantPower, rss, windowSeconds, type SpanNs } from './energy-math.js';
import { updatePeriodFromReads } from './update-period.js';
import type { Baseline, DomainSeries, Recorded, SourceStatus } from './types.js';

type Energy = TrialResult['energy'];
type Provenance = EnergyReading['provenance'];

/** A reading plus what totals need to know about it. */
interface Scored {
  reading: EnergyReading;
  hardware: string | null;
}

const rank: Record<Provenance, number> = { counter: 0, integrated: 1, estimated: 2, unavailable: 3 };
const sourceRank: Record<string, number> = { nvml: 0, rapl: 0, 'nvidia-smi': 1, none: 2 };

function achievedHz(samples: { tNs: bigint }[]): number | null {
  if (samples.length < 2) return null;
  const spanS = Number(samples[samples.length - 1]!.tNs - samples[0]!.tNs) / 1e9;
  return spanS > 0 ? (samples.length - 1) / spanS : null;
}

/** Samples spaced more than 2.5 requested intervals apart leave a gap (counted as not covered). */
function maxGapS(series: DomainSeries): number {
  return 2.5 / series.requestedHz;
}

function round(x: number, digits = 6): number {
  return Number(x.toFixed(digits));
}

/** One reading for one source/domain over the window, best method first. */
export function readingForSeries(series: DomainSeries, w: SpanNs, baselineW: number | null): EnergyReading {
  const { info } = series;
  const base = { source: info.source, domain: info.domain, baselinePowerW: baselineW } as const;
  const net = (energyJ: number) => (baselineW === null ? null : round(energyJ - baselineW * windowSeconds(w)));
  const errors = series.errors.length ? ` (read errors: ${series.errors.slice(0, 3).join('; ')})` : '';
  const powerSamples = series.power;
  const instant =
    info.power?.quantity === 'instantPowerW'
      ? integrateInstantPower({ quantity: 'instantPowerW', samples: powerSamples }, w, { maxGapS: maxGapS(series) })
      : null;

  if (info.counter) {
    const c = counterEnergy(series.counter, w);
    if (c.ok && c.energyJ < 0) return unavailable(base, `the energy counter decreased over the window${errors}`);
    if (c.ok) {
      const detected = updatePeriodFromReads(series.counter);
      const periodMs = info.counter.updatePeriodMs ?? detected?.updatePeriodMs ?? 1000 / series.requestedHz;
      const uncertaintyJ = rss(info.counter.accuracyRel * c.energyJ, Math.SQRT2 * info.counter.resolutionJ, c.meanPowerW * (periodMs / 1000), c.extrapolatedJ);
      const cross = instant?.ok
        ? { integratedJ: round(instant.energyJ), disagreement: c.energyJ > 0 ? round((c.energyJ - instant.energyJ) / c.energyJ) : 0 }
        : null;
      return {
        ...base,
        provenance: 'counter',
        energyJ: round(c.energyJ),
        netEnergyJ: net(c.energyJ),
        uncertaintyJ: round(uncertaintyJ),
        coverage: round(c.coverage),
        crossCheck: cross,
        achievedHz: achievedHz(series.counter),
        counterUpdatePeriodMs: round(periodMs, 3),
        reason:
          c.coverage < 1 ? `counter reads cover ${(c.coverage * 100).toFixed(1)} % of the window; the rest is extrapolated at the mean power${errors}` : null,
      };
    }
    if (!instant?.ok && info.power?.quantity !== 'averagePowerW') return unavailable(base, `counter: ${c.reason}${errors}`);
  }
  if (instant?.ok && info.power) {
    const uncertaintyJ = rss(
      info.power.accuracyRel * instant.energyJ,
      instant.samplingErrorJ,
      instant.extrapolatedJ,
      instant.gapS * (instant.maxW - instant.minW),
    );
    return {
      ...base,
      provenance: 'integrated',
      energyJ: round(instant.energyJ),
      netEnergyJ: net(instant.energyJ),
      uncertaintyJ: round(uncertaintyJ),
      coverage: round(instant.coverage),
      crossCheck: null,
      achievedHz: achievedHz(powerSamples),
      counterUpdatePeriodMs: null,
      reason: instant.coverage < 1 ? `power samples cover ${(instant.coverage * 100).toFixed(1)} % of the window (gaps or edges extrapolated)${errors}` : null,
    };
  }
  if (info.power?.quantity === 'averagePowerW') {
    const windowMs = info.power.averagingWindowMs ?? 1000;
    const e = estimateFromAveragedPower(powerSamples, w, { averagingWindowMs: windowMs, maxGapS: maxGapS(series) });
    if (!e.ok) return unavailable(base, `averaged power: ${e.reason}${errors}`);
    const uncertaintyJ = rss(info.power.accuracyRel * e.energyJ, e.samplingErrorJ, e.extrapolatedJ, e.smearJ, e.gapS * (e.maxW - e.minW));
    return {
      ...base,
      provenance: 'estimated',
      energyJ: round(e.energyJ),
      netEnergyJ: net(e.energyJ),
      uncertaintyJ: round(uncertaintyJ),
      coverage: round(e.coverage),
      crossCheck: null,
      achievedHz: achievedHz(powerSamples),
      counterUpdatePeriodMs: null,
      reason: `only ${windowMs} ms averaged power is available (${info.source} on this GPU): integrated over the window shifted by half the averaging window, an estimate, not instant power${errors}`,
    };
  }
  return unavailable(base, `${instant && !instant.ok ? instant.reason : 'no samples'}${errors}`);
}

function unavailable(base: { source: EnergyReading['source']; domain: string; baselinePowerW: number | null }, reason: string): EnergyReading {
  return { ...base, provenance: 'unavailable', energyJ: null, netEnergyJ: null, uncertaintyJ: null, coverage: null, crossCheck: null, reason };
}

/** The reading for a configured source that does not work. */
export function unavailableSourceReading(status: SourceStatus): EnergyReading {
  return unavailable({ source: status.source, domain: 'host', baselinePowerW: null }, `${status.source}: ${status.reason ?? 'unavailable'}`);
}

/** "rapl: why; nvml: why" for every source that does not work. */
export function whyUnavailable(statuses: SourceStatus[]): string {
  return statuses.map((s) => `${s.source}: ${s.reason ?? 'unavailable'}`).join('; ');
}

/**
 * Energy over exactly the entrypoint's measure window (CLOCK_MONOTONIC ns markers), per source
 * and domain, and in total over distinct hardware: per piece of hardware the best reading counts
 * (counter > integrated instant power > estimate from averaged power; NVML before nvidia-smi).
 * totalEnergyJ is null, never 0, when nothing measured the window.
 */
export function energyForWindow(
  recorded: Recorded | null,
  window: { startNs: string | bigint; endNs: string | bigint } | null,
  baseline: Baseline | null,
  measuredIterations: number,
): Energy {
  if (!recorded || !window) {
    const why = !recorded ? 'nothing was recorded for this trial' : 'the entrypoint reported no measure window';
    return {
      window: 'measure',
      readings: [],
      totalEnergyJ: null,
      totalNetEnergyJ: null,
      totalProvenance: 'unavailable',
      energyPerInferenceJ: null,
      reason: why,
    };
  }
  const w: SpanNs = { startNs: BigInt(window.startNs), endNs: BigInt(window.endNs) };
  const scored: Scored[] = [];
  for (const series of recorded.series) {
    const b = baseline?.domains.find((d) => d.source === series.info.source && d.domain === series.info.domain)?.powerW ?? null;
    const reading =
      w.endNs > w.startNs
        ? readingForSeries(series, w, b)
        : unavailable(
            { source: series.info.source, domain: series.info.domain, baselinePowerW: b },
            `the measure window has no length (${w.startNs}..${w.endNs})`,
          );
    scored.push({ reading, hardware: series.info.hardware });
  }
  for (const status of recorded.unavailable) scored.push({ reading: unavailableSourceReading(status), hardware: null });
  if (scored.length === 0) {
    scored.push({
      reading: unavailable({ source: 'none', domain: 'host', baselinePowerW: null }, 'power.sources is "none": energy is not measured by configuration'),
      hardware: null,
    });
  }

  const best = new Map<string, EnergyReading>();
  for (const { reading, hardware } of scored) {
    if (!hardware || reading.provenance === 'unavailable') continue;
    const current = best.get(hardware);
    if (
      !current ||
      rank[reading.provenance] < rank[current.provenance] ||
      (rank[reading.provenance] === rank[current.provenance] && sourceRank[reading.source]! < sourceRank[current.source]!)
    ) {
      best.set(hardware, reading);
    }
  }
  const chosen = [...best.values()];
  const readings = scored.map((s) => s.reading);
  const missing = [
    ...new Set(scored.filter((s) => s.hardware && !best.has(s.hardware)).map((s) => `${s.reading.source} ${s.reading.domain}: ${s.reading.reason}`)),
  ];
  const sourceProblems = recorded.unavailable.length ? [whyUnavailable(recorded.unavailable)] : [];
  if (chosen.length === 0) {
    const tried = [...missing, ...sourceProblems];
    return {
      window: 'measure',
      readings,
      totalEnergyJ: null,
      totalNetEnergyJ: null,
      totalProvenance: 'unavailable',
      energyPerInferenceJ: null,
      reason: tried.length ? `No power source measured this window: ${tried.join('; ')}` : 'power.sources is "none": energy is not measured by configuration',
    };
  }
  const totalEnergyJ = round(chosen.reduce((sum, r) => sum + (r.energyJ ?? 0), 0));
  const nets = chosen.map((r) => r.netEnergyJ);
  const totalProvenance = chosen.reduce<Provenance>((worst, r) => (rank[r.provenance] > rank[worst] ? r.provenance : worst), 'counter');
  const notes = [
    ...(missing.length ? [`partial: ${missing.join('; ')}`] : []),
    ...(sourceProblems.length ? [`not measured: ${sourceProblems.join('; ')}`] : []),
  ];
  if (totalProvenance === 'estimated') notes.push('the total includes an estimate from averaged power');
  return {
    window: 'measure',
    readings,
    totalEnergyJ,
    totalNetEnergyJ: nets.every((n) => typeof n === 'number') ? round(nets.reduce((a, b) => a! + b!, 0)!) : null,
    totalProvenance,
    energyPerInferenceJ: measuredIterations > 0 ? round(totalEnergyJ / measuredIterations, 9) : null,
    reason: notes.length ? notes.join('; ') : null,
  };
}
